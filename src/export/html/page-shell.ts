// The frame every page of the HTML export shares: head with the policy, style, and the end.
import { CONTENT_SECURITY_POLICY, FILTER_SCRIPT, STYLE } from './assets.js';
import { escapeHtml } from './escape.js';

export function pageStart(title: string, bodyClass: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(CONTENT_SECURITY_POLICY)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="igtg export">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body class="${bodyClass}">
`;
}

export function pageEnd(withFilterScript = false): string {
  return `${withFilterScript ? `<script>${FILTER_SCRIPT}</script>\n` : ''}</body>
</html>
`;
}

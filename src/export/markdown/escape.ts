// Escaping for GitHub-flavoured Markdown: message text always renders as the literal text, never as
// formatting, links, HTML or tables.

const INLINE = /[\\`*_[\]<>|~&#!]/g;
const BLOCK_START = /^(\s*)([-+=]|\d+(?=[.)]))/;

/** Escapes one line of text (newlines become spaces). */
export function escapeMarkdownInline(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(INLINE, (char) => `\\${char}`)
    .replace(BLOCK_START, (_match, space: string, marker: string) =>
      /\d/.test(marker) ? `${space}${marker}\\` : `${space}\\${marker}`,
    )
    .replace(/^ +/, (spaces) => '&nbsp;'.repeat(spaces.length));
}

/** Escapes multi-line text; lines are joined with `<br>` so the text stays one paragraph. */
export function escapeMarkdownText(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map(escapeMarkdownInline)
    .join('<br>\n');
}

/** A link destination in angle brackets, which allows parentheses and spaces-free URLs. */
export function markdownLinkTarget(url: string): string {
  return `<${url.replace(/[<>\s]/g, (char) => encodeURIComponent(char))}>`;
}

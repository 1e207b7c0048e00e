// index.html of the HTML export: every thread with its message count and last activity, newest
// first, and a box that filters the list as you type.
import type { EpochMs } from '../../core/model.js';
import { toIso } from '../../core/time.js';
import { normalizeForSearch } from '../../store/search-query.js';
import { encodePathForUrl } from '../file-names.js';
import { localDateTime, localZoneName } from '../local-time.js';
import type { ThreadEntry } from '../thread-folder.js';
import { escapeHtml } from './escape.js';
import { threadPageFile } from './page-files.js';
import { pageEnd, pageStart } from './page-shell.js';

export interface IndexEntry extends ThreadEntry {
  pages: number;
}

export interface IndexInfo {
  exportedAt: EpochMs;
  description: string | null;
  missingMedia: number;
}

function pageHref(stem: string, page: number): string {
  return `threads/${encodePathForUrl(threadPageFile(stem, page))}`;
}

function row(entry: IndexEntry): string {
  const filter = normalizeForSearch(`${entry.title} ${entry.participants}`);
  const latest = entry.pages > 1 ? ` · <a href="${escapeHtml(pageHref(entry.stem, entry.pages))}">latest page</a>` : '';
  const last =
    entry.lastAt === null
      ? ''
      : `<time datetime="${toIso(entry.lastAt)}">${localDateTime(entry.lastAt).slice(0, 16)}</time>`;
  return (
    `<tr data-filter="${escapeHtml(filter)}">` +
    `<td><a dir="auto" href="${escapeHtml(pageHref(entry.stem, 1))}">${escapeHtml(entry.title)}</a>` +
    `<div class="participants">${escapeHtml(entry.participants)}</div></td>` +
    `<td class="count">${entry.messages}${latest}</td><td>${last}</td></tr>\n`
  );
}

export function renderIndex(entries: IndexEntry[], info: IndexInfo): string {
  const sorted = [...entries].sort((a, b) => (b.lastAt ?? 0) - (a.lastAt ?? 0));
  const messages = entries.reduce((sum, entry) => sum + entry.messages, 0);
  const notes = [
    `${entries.length} threads`,
    `${messages} messages`,
    `exported ${escapeHtml(localDateTime(info.exportedAt).slice(0, 16))}`,
    `times in ${escapeHtml(localZoneName())}`,
  ];
  return (
    pageStart('Instagram messages', 'index') +
    '<header>\n<h1>Instagram messages</h1>\n' +
    `<p class="muted">${notes.join(' · ')}</p>\n` +
    (info.description ? `<p class="muted">${escapeHtml(info.description)}</p>\n` : '') +
    (info.missingMedia > 0
      ? `<p class="muted">Not kept locally, so not included: ${info.missingMedia} media file(s).</p>\n`
      : '') +
    '<input id="filter" type="search" placeholder="Filter threads by name" aria-label="Filter threads" autocomplete="off">\n' +
    `<p class="muted"><span id="shown">${entries.length}</span> of ${entries.length} threads shown</p>\n` +
    '</header>\n<main>\n<table id="threads">\n<thead><tr><th>Thread</th><th>Messages</th><th>Last activity</th></tr></thead>\n<tbody>\n' +
    sorted.map(row).join('') +
    '</tbody>\n</table>\n</main>\n' +
    pageEnd(true)
  );
}

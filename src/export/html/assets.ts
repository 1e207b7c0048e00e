// The stylesheet and the one script of the HTML export, inlined in each page and allowed by their
// hashes in a strict Content-Security-Policy: nothing else can run, whatever a message contains.
import { createHash } from 'node:crypto';

export const STYLE = `
:root { color-scheme: light dark; --bg: #fafafa; --fg: #111; --muted: #666; --me: #3797f0; --me-fg: #fff;
  --them: #efefef; --them-fg: #111; --line: #ddd; }
@media (prefers-color-scheme: dark) { :root { --bg: #000; --fg: #f5f5f5; --muted: #a8a8a8; --them: #262626;
  --them-fg: #f5f5f5; --line: #363636; } }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: var(--bg); color: var(--fg); }
header, main, footer { max-width: 760px; margin: 0 auto; padding: 12px 16px; }
h1 { font-size: 1.4em; margin: 8px 0; }
a { color: var(--me); }
nav { color: var(--muted); }
.muted, .participants { color: var(--muted); }
.day { text-align: center; color: var(--muted); font-size: 0.85em; margin: 18px 0 8px; }
.msg { width: fit-content; min-width: 72px; max-width: 75%; margin: 4px 0; padding: 8px 12px; border-radius: 18px; background: var(--them); color: var(--them-fg);
  overflow-wrap: anywhere; }
.msg.me { margin-left: auto; background: var(--me); color: var(--me-fg); }
.msg.me a { color: inherit; }
.msg.system { max-width: 100%; margin: 4px auto; background: none; color: var(--muted); text-align: center; font-size: 0.9em; }
.sender { font-size: 0.8em; font-weight: 600; margin: 0 0 2px; opacity: 0.8; }
.text { white-space: pre-wrap; margin: 0; }
.unsent, .missing, .kind { font-style: italic; opacity: 0.8; margin: 0; }
.reply { margin: 0 0 4px; padding: 2px 8px; border-left: 3px solid currentColor; opacity: 0.75; font-size: 0.9em; }
.reply a { color: inherit; }
.media { margin: 4px 0; }
.media img, .media video { display: block; max-width: 100%; max-height: 420px; border-radius: 12px; }
.media audio { max-width: 100%; }
.share { margin: 4px 0 0; }
.reactions { list-style: none; margin: 4px 0 0; padding: 0; display: flex; gap: 4px; flex-wrap: wrap; }
.reactions li { background: var(--bg); color: var(--fg); border: 1px solid var(--line); border-radius: 12px; padding: 0 6px; font-size: 0.9em; }
.meta { margin: 2px 0 0; font-size: 0.75em; opacity: 0.7; text-align: right; }
#filter { width: 100%; padding: 8px 12px; font: inherit; border: 1px solid var(--line); border-radius: 8px; background: var(--bg); color: var(--fg); }
table { width: 100%; border-collapse: collapse; margin-top: 12px; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
td.count { text-align: right; white-space: nowrap; }
`.trim();

/** Filters the index rows by the text typed in the box (case- and accent-insensitive). */
export const FILTER_SCRIPT = `
(function () {
  var box = document.getElementById('filter');
  var shown = document.getElementById('shown');
  var rows = Array.prototype.slice.call(document.querySelectorAll('#threads tbody tr'));
  function norm(text) { return text.normalize('NFKD').replace(/\\p{M}+/gu, '').toLowerCase(); }
  function apply() {
    var query = norm(box.value.trim());
    var count = 0;
    rows.forEach(function (row) {
      var hit = query === '' || row.getAttribute('data-filter').indexOf(query) !== -1;
      row.hidden = !hit;
      if (hit) count += 1;
    });
    shown.textContent = String(count);
  }
  box.addEventListener('input', apply);
  apply();
})();
`.trim();

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** The policy of every page: no network, no plugins, only our own style and script. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src ${sha256(STYLE)}`,
  `script-src ${sha256(FILTER_SCRIPT)}`,
  // `file:` for browsers that give each local file its own origin; media are never remote.
  "img-src 'self' file:",
  "media-src 'self' file:",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

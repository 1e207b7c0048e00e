// Escaping for GitHub-flavoured Markdown: message text always renders as the literal text, never as
// formatting, links (see breakAutolinks for e-mail addresses), HTML, tables or math ($…$ on GitHub).

const INLINE = /[\\`*_[\]<>|~&#!$]/g;
const BLOCK_START = /^(\s*)([-+=]|\d+(?=[.)]))/;
// GFM turns URLs and www. addresses into links by themselves, backslash escapes or not (and then
// shows the backslashes): the character that makes each one is written as an entity instead, which
// renders the same. (A plain e-mail address may still become a mailto: link of the same text: GFM
// finds those after entities are decoded.)
function breakAutolinks(text: string): string {
  return text.replace(/([a-z0-9]):\/\//gi, '$1&#58;//').replace(/(^|[^a-z0-9])(www)\./gi, '$1$2&#46;');
}

/** Escapes one line of text (newlines become spaces). */
export function escapeMarkdownInline(text: string): string {
  return breakAutolinks(
    text
      .replace(/[\r\n]+/g, ' ')
      .replace(INLINE, (char) => `\\${char}`)
      .replace(BLOCK_START, (_match, space: string, marker: string) =>
        /\d/.test(marker) ? `${space}${marker}\\` : `${space}\\${marker}`,
      ),
  ).replace(/^[ \t]+/, (blank) => blank.replace(/ /g, '&nbsp;').replace(/\t/g, '&#9;'));
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

// The text of an element of an HtmlTree: all of it (as a DOM's text, with <br> as a newline), or
// a message body's visible lines.
import type { HtmlElement, HtmlNode } from './html-tree.js';

const BLOCK_TAGS = new Set(['div', 'p', 'br', 'li', 'ul', 'h1', 'h2', 'h3', 'table', 'tr', 'section']);
const SKIPPED_TAGS = new Set(['ul', 'img', 'video', 'audio', 'source', 'script', 'style']);

/** Every text below the element, in page order; each `<br>` is a newline. */
export function htmlText(element: HtmlElement): string {
  let text = '';
  const stack: HtmlNode[] = [element];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (typeof node === 'string') text += node;
    else if (node.name === 'br') text += '\n';
    else for (let i = node.children.length - 1; i >= 0; i -= 1) stack.push(node.children[i]!);
  }
  return text;
}

// HTML's own whitespace (ASCII only): a page collapses runs of it, never a no-break space or an
// ideographic space, which are part of the text (JavaScript's \s and trim() take those too).
const HTML_SPACE_RUN = /[ \t\n\f\r]+/g;
const HTML_SPACE_ENDS = /^[ \t\n\f\r]+|[ \t\n\f\r]+$/g;

/** The text as a page shows it: runs of HTML whitespace made one space, none at the ends. */
export function collapseHtmlSpace(text: string): string {
  return text.replace(HTML_SPACE_RUN, ' ').replace(HTML_SPACE_ENDS, '');
}

const BLOCK_END = Symbol('block end');

/** The visible text of a message body, without reactions and media, one line per block. */
export function htmlBodyText(element: HtmlElement): string {
  const lines: string[] = [];
  let current = '';
  const breakLine = () => {
    const line = collapseHtmlSpace(current);
    if (line) lines.push(line);
    current = '';
  };
  const stack: Array<HtmlNode | typeof BLOCK_END> = [element];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (node === BLOCK_END) {
      breakLine();
      continue;
    }
    if (typeof node === 'string') {
      current += node;
      continue;
    }
    if (SKIPPED_TAGS.has(node.name)) continue;
    if (BLOCK_TAGS.has(node.name)) {
      breakLine();
      stack.push(BLOCK_END);
    }
    for (let i = node.children.length - 1; i >= 0; i -= 1) stack.push(node.children[i]!);
  }
  breakLine();
  return lines.join('\n');
}

// A linear look at an HTML page's tags before it is parsed. node-html-parser's time is far from
// linear on some shapes a small file can take: elements left open (20,000 stray `<p>x` or `<div>`:
// seconds to minutes, in a tree it then builds flat, so a depth check on the tree never sees them)
// and very many siblings (40,000 `a<br>` in one element: over three minutes). Meta's pages nest a
// few dozen elements deep and hold at most about 10,000 messages a page, so both are bounded here.

/** Deepest the tags may nest (or stay open) before parsing. */
export const MAX_HTML_OPEN = 512;
/** Most children (elements and texts) one element may hold: 10,000 messages, with text between. */
export const MAX_HTML_SIBLINGS = 25_000;

const VOID_TAGS = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);

// The tag name is captured in a lookahead and matched back, so it is never given back to the
// attribute part: a run such as `<a-a-a…` without any `>` fails once per `<`, not once per letter.
const TAG = /<(\/?)(?=([a-zA-Z][a-zA-Z0-9-]*))\2[^<>]*>/g;

export type HtmlShapeProblem = { kind: 'open'; depth: number } | { kind: 'siblings'; count: number };

/** The first bound the page passes, or null when it is within both. */
export function htmlShapeProblem(html: string): HtmlShapeProblem | null {
  const names: string[] = [];
  const children: number[] = [0];
  let textFrom = 0;
  const addChild = (): HtmlShapeProblem | null => {
    const count = (children[children.length - 1] ?? 0) + 1;
    children[children.length - 1] = count;
    return count > MAX_HTML_SIBLINGS ? { kind: 'siblings', count } : null;
  };
  for (const match of html.matchAll(TAG)) {
    const at = match.index;
    if (at > textFrom && html.slice(textFrom, at).trim() !== '') {
      const problem = addChild();
      if (problem) return problem;
    }
    textFrom = at + match[0].length;
    const name = match[2]!.toLowerCase();
    if (match[1]) {
      // A close tag ends the nearest open element of its name, and any left open inside it.
      const open = names.lastIndexOf(name);
      if (open !== -1) {
        names.length = open;
        children.length = open + 1;
      }
      continue;
    }
    const problem = addChild();
    if (problem) return problem;
    if (VOID_TAGS.has(name) || match[0].endsWith('/>')) continue;
    names.push(name);
    children.push(0);
    if (names.length > MAX_HTML_OPEN) return { kind: 'open', depth: names.length };
  }
  return null;
}

// A linear look at an HTML page's tags before it is parsed, refusing shapes Meta never writes:
// elements left open (20,000 stray `<div>` or `<p>x`; the parser closes each `<p>` at the next one,
// into a flat tree that a depth check never sees) and very many siblings in one element. Meta's
// pages nest a few dozen elements deep and hold at most about 10,000 messages a page.

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

// Only `<name` and `</name` are looked at, never what follows up to `>`: the parser lets a quoted
// attribute hold `<` and `>` (`<div x="<">`), so a pattern over the whole tag would miss tags it
// sees. Counting every `<name` can only count more. Nothing after the name is matched, so nothing
// is ever rescanned.
const TAG_START = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)/g;

export type HtmlShapeProblem = { kind: 'open'; depth: number } | { kind: 'siblings'; count: number };

/** The first bound the page passes, or null when it is within both. Linear in the page's length. */
export function htmlShapeProblem(html: string): HtmlShapeProblem | null {
  const names: string[] = [];
  const openByName = new Map<string, number>();
  const children: number[] = [0];
  let textFrom = 0;
  let nextGt = -1;
  const addChild = (): HtmlShapeProblem | null => {
    const count = (children[children.length - 1] ?? 0) + 1;
    children[children.length - 1] = count;
    return count > MAX_HTML_SIBLINGS ? { kind: 'siblings', count } : null;
  };
  for (const match of html.matchAll(TAG_START)) {
    const at = match.index;
    if (at > textFrom && html.slice(textFrom, at).trim() !== '') {
      const problem = addChild();
      if (problem) return problem;
    }
    // The `>` that ends this tag, found once for every tag before it (`<a<a<a…>` share one).
    const nameEnd = at + match[0].length;
    if (nextGt < nameEnd) nextGt = html.indexOf('>', nameEnd);
    if (nextGt === -1) nextGt = html.length;
    const nextLt = html.indexOf('<', nameEnd);
    const end = nextLt !== -1 && nextLt < nextGt ? nextLt : nextGt + 1;
    textFrom = Math.max(textFrom, end);
    const name = match[2]!.toLowerCase();
    if (match[1]) {
      // A close tag ends the nearest open element of its name, and any left open inside it.
      if ((openByName.get(name) ?? 0) === 0) continue;
      const open = names.lastIndexOf(name);
      for (const closed of names.splice(open)) openByName.set(closed, openByName.get(closed)! - 1);
      children.length = open + 1;
      continue;
    }
    const problem = addChild();
    if (problem) return problem;
    const selfClosed = end === nextGt + 1 && html[nextGt - 1] === '/';
    if (VOID_TAGS.has(name) || selfClosed) continue;
    names.push(name);
    openByName.set(name, (openByName.get(name) ?? 0) + 1);
    children.push(0);
    if (names.length > MAX_HTML_OPEN) return { kind: 'open', depth: names.length };
  }
  return null;
}

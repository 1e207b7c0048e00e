// A small tree of an HTML page, built in one linear pass of htmlparser2: elements (names in lower
// case, attributes with entities decoded) and texts (entities decoded); comments and doctypes are
// dropped. Building and every walk over the tree are iterative, so no depth can overflow a stack.
import { Parser } from 'htmlparser2';

export interface HtmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: HtmlNode[];
}

export type HtmlNode = HtmlElement | string;

/** Thrown by parseHtmlTree when an element or text lies deeper than the depth it was given. */
export class HtmlTooDeepError extends Error {
  constructor(readonly maxDepth: number) {
    super(`HTML nested deeper than ${maxDepth}`);
    this.name = 'HtmlTooDeepError';
  }
}

/**
 * The page under a nameless root element. Depth counts from the root's children (1); a text is one
 * deeper than the element holding it.
 */
export function parseHtmlTree(html: string, maxDepth: number): HtmlElement {
  const root: HtmlElement = { name: '', attributes: {}, children: [] };
  const open: HtmlElement[] = [root];
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        const element: HtmlElement = { name, attributes, children: [] };
        open[open.length - 1]!.children.push(element);
        open.push(element);
        if (open.length - 1 > maxDepth) throw new HtmlTooDeepError(maxDepth);
      },
      onclosetag(name) {
        // The parser closes what it opened; the check only guards a tag cut off by the end of the page.
        if (open.length > 1 && open[open.length - 1]!.name === name) open.pop();
      },
      ontext(text) {
        if (open.length > maxDepth) throw new HtmlTooDeepError(maxDepth);
        const children = open[open.length - 1]!.children;
        const last = children.length - 1;
        // Entities arrive as texts of their own: one text between two tags stays one text.
        if (typeof children[last] === 'string') children[last] += text;
        else children.push(text);
      },
    },
    // `<span/>` closes itself, as html-shape.ts counts it (and node-html-parser read it).
    { recognizeSelfClosing: true },
  );
  parser.end(html);
  return root;
}

export function hasClass(element: HtmlElement, name: string): boolean {
  const classes = element.attributes.class;
  return classes !== undefined && classes.split(/\s+/).includes(name);
}

/** The elements below root (not root itself), in page order. */
export function* elementsBelow(root: HtmlElement): Generator<HtmlElement> {
  const stack: HtmlNode[] = [...root.children].reverse();
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (typeof node === 'string') continue;
    yield node;
    for (let i = node.children.length - 1; i >= 0; i -= 1) stack.push(node.children[i]!);
  }
}

/** The first element below root that has the class, as `querySelector('.name')`. */
export function firstWithClass(root: HtmlElement, name: string): HtmlElement | null {
  for (const element of elementsBelow(root)) if (hasClass(element, name)) return element;
  return null;
}

export function firstNamed(root: HtmlElement, name: string): HtmlElement | null {
  for (const element of elementsBelow(root)) if (element.name === name) return element;
  return null;
}

export function allWithClass(root: HtmlElement, name: string): HtmlElement[] {
  return [...elementsBelow(root)].filter((element) => hasClass(element, name));
}

export function allNamed(root: HtmlElement, names: ReadonlySet<string>): HtmlElement[] {
  return [...elementsBelow(root)].filter((element) => names.has(element.name));
}

/** What `querySelectorAll('ul li')` gives: each `li` inside a `ul` that is itself below root. */
export function listItemsBelow(root: HtmlElement): HtmlElement[] {
  const items: HtmlElement[] = [];
  const stack: Array<[HtmlNode, boolean]> = root.children.map((child) => [child, false] as [HtmlNode, boolean]);
  stack.reverse();
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [node, inList] = next;
    if (typeof node === 'string') continue;
    if (inList && node.name === 'li') items.push(node);
    const childrenInList = inList || node.name === 'ul';
    for (let i = node.children.length - 1; i >= 0; i -= 1) stack.push([node.children[i]!, childrenInList]);
  }
  return items;
}

import { describe, expect, it } from 'vitest';
import { htmlBodyText, htmlText } from '../../src/archive/html-text.js';
import {
  HtmlTooDeepError,
  allNamed,
  allWithClass,
  firstNamed,
  firstWithClass,
  listItemsBelow,
  parseHtmlTree,
  type HtmlElement,
} from '../../src/archive/html-tree.js';

const tree = (html: string) => parseHtmlTree(html, 512);
const only = (html: string): HtmlElement => {
  const child = tree(html).children[0];
  if (typeof child !== 'object') throw new Error('expected an element');
  return child;
};

describe('parseHtmlTree', () => {
  it('decodes entities in texts and attributes and keeps real UTF-8', () => {
    const root = tree('<p title="a &amp; b &#x1F600;">Grüße &amp; &lt;Küsse&gt; &#x1F600; &#128512; &nbsp;Zoë</p>');
    expect(root.children).toEqual([
      { name: 'p', attributes: { title: 'a & b 😀' }, children: ['Grüße & <Küsse> 😀 😀 \u00a0Zoë'] },
    ]);
  });

  it('lower-cases names, drops comments and doctypes, and closes void and self-closed tags', () => {
    const root = tree('<!DOCTYPE html><DIV CLASS="x">a<!-- note -->b<BR><img src="i.jpg"><span/>c</DIV>');
    expect(root.children).toEqual([
      {
        name: 'div',
        attributes: { class: 'x' },
        children: [
          'ab',
          { name: 'br', attributes: {}, children: [] },
          { name: 'img', attributes: { src: 'i.jpg' }, children: [] },
          { name: 'span', attributes: {}, children: [] },
          'c',
        ],
      },
    ]);
  });

  it('refuses an element or a text past the depth it is given, and builds one at it', () => {
    expect(() => parseHtmlTree('<a><b><c></c></b></a>', 2)).toThrow(HtmlTooDeepError);
    expect(() => parseHtmlTree('<a><b>text</b></a>', 2)).toThrow(HtmlTooDeepError);
    expect(parseHtmlTree('<a><b></b></a>', 2).children).toHaveLength(1);
    expect(parseHtmlTree('<a>text</a>', 2).children).toHaveLength(1);
  });

  it('refuses a far deeper page without overflowing the stack', () => {
    // `x=a/` is an unquoted value, not a self-closing slash: each div stays open.
    const deep = '<div x=a/>'.repeat(200_000);
    expect(() => parseHtmlTree(deep, 512)).toThrow(HtmlTooDeepError);
  });

  it('holds many thousands of siblings', () => {
    const root = tree(`<div>${'a<br>'.repeat(30_000)}</div>`);
    expect((root.children[0] as HtmlElement).children).toHaveLength(60_000);
  });
});

describe('queries', () => {
  const page = only(
    '<main><div class="x _a6-g"><h2 class="_a6-h">first</h2><div class="_a6-g"><h2 class="_a6-h">inner</h2></div></div>' +
      '<ul><li>one<ul><li>two</li></ul></li></ul><li>loose</li><img src="1"><p><video src="2"></video></p></main>',
  );

  it('finds by class in page order, nested ones too, never the root itself', () => {
    expect(allWithClass(page, '_a6-g').map((block) => htmlText(block))).toEqual(['firstinner', 'inner']);
    expect(htmlText(firstWithClass(page, '_a6-h')!)).toBe('first');
    const block = firstWithClass(page, '_a6-g')!;
    expect(htmlText(firstWithClass(block, '_a6-g')!)).toBe('inner');
    expect(firstWithClass(page, '_a6')).toBeNull();
  });

  it('finds by name in page order', () => {
    expect(allNamed(page, new Set(['img', 'video'])).map((element) => element.attributes.src)).toEqual(['1', '2']);
    expect(firstNamed(page, 'h2')?.attributes.class).toBe('_a6-h');
    expect(firstNamed(page, 'table')).toBeNull();
  });

  it('lists the items inside a list below the root, as `ul li` does', () => {
    expect(listItemsBelow(page).map((item) => htmlText(item))).toEqual(['onetwo', 'two']);
    expect(listItemsBelow(only('<ul><li>x</li></ul>'))).toEqual([]);
  });
});

describe('htmlText', () => {
  it('joins every text in page order, with <br> as a newline', () => {
    expect(htmlText(only('<div>a <b>b<i>c</i></b><br>d<script>e</script></div>'))).toBe('a bc\nde');
  });
});

describe('htmlBodyText', () => {
  it('gives one line per block and keeps inline tags on their line', () => {
    const body = only(
      '<div><div>Hello <b>big <i>wide</i></b>\n   world</div><p>second</p>third<br>fourth<br/><br>' +
        '<span>fifth</span><li>sixth</li><h2>seventh</h2></div>',
    );
    expect(htmlBodyText(body)).toBe('Hello big wide world\nsecond\nthird\nfourth\nfifth\nsixth\nseventh');
  });

  it('leaves out reactions, media, scripts and styles', () => {
    const body = only(
      '<div>text <ul class="_a6-q"><li>❤️Alex</li></ul><img src="a.jpg" alt="x"><video src="v.mp4">no video</video>' +
        '<audio>no audio</audio><script>var a;</script><style>p {}</style> end</div>',
    );
    // Left out whole: no line break where they stood.
    expect(htmlBodyText(body)).toBe('text end');
  });

  it("decodes entities and collapses HTML's whitespace, keeping a no-break space", () => {
    expect(htmlBodyText(only('<div>  Grüße &amp;&nbsp;&lt;Küsse&gt;  &#x1F600;\n</div>'))).toBe(
      'Grüße &\u00a0<Küsse> 😀',
    );
  });

  it('walks a body nested hundreds deep', () => {
    expect(htmlBodyText(only(`${'<span>'.repeat(500)}deep${'</span>'.repeat(500)}`))).toBe('deep');
  });
});

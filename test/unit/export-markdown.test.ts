import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeMarkdownInline, escapeMarkdownText, markdownLinkTarget } from '../../src/export/markdown/escape.js';
import { createMarkdownWriter } from '../../src/export/markdown/markdown-writer.js';
import { PNG, sampleMessages, writeAll, writeSampleMedia } from './export-fixtures.js';

describe('markdown escaping', () => {
  it.each([
    ['plain words stay as they are', 'plain words stay as they are'],
    ['<script>alert(1)</script>', '\\<script\\>alert(1)\\</script\\>'],
    ['**bold** _it_ `code`', '\\*\\*bold\\*\\* \\_it\\_ \\`code\\`'],
    ['[link](http://x) ![img](y)', '\\[link\\](http&#58;//x) \\!\\[img\\](y)'],
    // GFM links bare URLs and www. addresses whatever the escapes (and then shows the backslashes).
    ['see https://evil.example/?a=1&b=2', 'see https&#58;//evil.example/?a=1\\&b=2'],
    ['<https://evil.example/auto>', '\\<https&#58;//evil.example/auto\\>'],
    ['www.evil.example or WWW.X.ORG, not awww.x', 'www&#46;evil.example or WWW&#46;X.ORG, not awww.x'],
    ['\tindented', '&#9;indented'],
    ['&amp; | ~~x~~', '\\&amp; \\| \\~\\~x\\~\\~'],
    ['# heading', '\\# heading'],
    ['- item', '\\- item'],
    ['+ item', '\\+ item'],
    ['===', '\\==='],
    ['12. item', '12\\. item'],
    ['3) item', '3\\) item'],
    ['    code block', '&nbsp;&nbsp;&nbsp;&nbsp;code block'],
    ['a\\b', 'a\\\\b'],
    // GitHub renders $…$ and $$…$$ as math.
    ['it costs $5 or $$10$$', 'it costs \\$5 or \\$\\$10\\$\\$'],
    ['one\ntwo', 'one two'],
  ])('%j', (input, expected) => {
    expect(escapeMarkdownInline(input)).toBe(expected);
  });

  it('keeps lines of a message in one paragraph, each escaped as a line of its own', () => {
    expect(escapeMarkdownText('hi\n- not a list\n\n# nor a heading')).toBe(
      'hi<br>\n\\- not a list<br>\n<br>\n\\# nor a heading',
    );
  });

  it('puts link targets in angle brackets without spaces or brackets', () => {
    expect(markdownLinkTarget('https://x.test/a_(b)')).toBe('<https://x.test/a_(b)>');
    expect(markdownLinkTarget('../media/a b<c>.png')).toBe('<../media/a%20b%3Cc%3E.png>');
  });
});

describe('markdown export', () => {
  const root = mkdtempSync(join(tmpdir(), 'igtg-md-'));
  const dir = join(root, 'out');
  let files = 0;
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  beforeAll(async () => {
    const mediaDir = join(root, 'media');
    writeSampleMedia(mediaDir);
    const messages = sampleMessages();
    files = await writeAll(
      createMarkdownWriter({
        dir,
        mediaDir,
        exportedAt: Date.UTC(2024, 5, 1),
        description: null,
        lookupMessage: async () => null,
      }),
      messages,
    );
  });

  const thread = (prefix: string) => {
    const file = readdirSync(join(dir, 'threads')).find((name) => name.startsWith(prefix))!;
    return readFileSync(join(dir, 'threads', file), 'utf8');
  };

  it('writes index.md, one file per thread, and the media', () => {
    expect(readdirSync(join(dir, 'threads'))).toHaveLength(2);
    expect(existsSync(join(dir, 'index.md'))).toBe(true);
    expect(readFileSync(join(dir, 'media', 'ab', 'photo.png'))).toEqual(PNG);
    expect(files).toBe(4);
  });

  it('lists the threads in a table with escaped titles and relative links', () => {
    const index = readFileSync(join(dir, 'index.md'), 'utf8');
    expect(index).toContain('| Thread | Participants | Messages | Last activity |');
    expect(index).toMatch(/\| \[Book club, "the" \\<best\\>\]\(<threads\/book-club-the-best-[0-9a-f]{8}\.md>\) \| /);
    expect(index).toMatch(/\| \[Zoë Müller\]\(<threads\/zoe-muller-[0-9a-f]{8}\.md>\) \| .* \| 11 \| /);
    // The video whose file is gone, as in the HTML index.
    expect(index).toContain('*Not kept locally, so not included: 1 media file(s).*');
  });

  it('escapes message text and shows media, shares, replies and reactions', () => {
    const zoe = thread('zoe-muller-');
    expect(zoe).toContain('\\<script\\>window.\\_\\_pwned = 1\\</script\\>');
    expect(zoe).not.toMatch(/(^|[^\\])<(script|img)/m);
    expect(zoe).toContain('![photo: photo.png](<../media/ab/photo.png>)');
    expect(zoe).toContain('😂 Me, Zoë Müller');
    expect(zoe).toContain('🔗 [A post (with) \\[brackets\\]](<https://www.instagram.com/p/abc/>) by natgeo');
    expect(zoe).toContain('🔗 bad link');
    expect(zoe).not.toContain('javascript:');
    expect(zoe).toContain('*video: clip.mp4 (not kept locally)*');
    expect(zoe).toContain('*message unsent*');
    expect(zoe.match(/^## /gm)).toHaveLength(2);
    const club = thread('book-club-');
    expect(club).toContain('\\# not a heading<br>\n\\- not a list<br>\n1\\. not a list<br>\n\\| a \\| b \\|');
    expect(club).toContain('↪ *Anna: \\# not a heading - not a list 1. not a list \\| a \\| b \\|*');
  });
});

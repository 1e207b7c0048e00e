import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, type HTMLElement } from 'node-html-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHtmlWriter } from '../../src/export/html/html-writer.js';
import { escapeHtml, safeExternalUrl } from '../../src/export/html/escape.js';
import { PNG, XSS_IMG, XSS_SCRIPT, ZOE_ID, sampleMessages, writeAll, writeSampleMedia } from './export-fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'igtg-html-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function exportHtml(name: string, pageSize: number): Promise<{ dir: string; files: number }> {
  const dir = join(root, name);
  const mediaDir = join(root, 'media');
  writeSampleMedia(mediaDir);
  const messages = sampleMessages();
  const writer = createHtmlWriter({
    dir,
    mediaDir,
    pageSize,
    exportedAt: Date.UTC(2024, 5, 1),
    description: null,
    lookupMessage: async (threadId, id) => messages.find((m) => m.threadId === threadId && m.id === id) ?? null,
  });
  const files = await writeAll(writer, messages);
  return { dir, files };
}

function page(dir: string, file: string): HTMLElement {
  return parse(readFileSync(join(dir, file), 'utf8'));
}

function threadPages(dir: string): string[] {
  return readdirSync(join(dir, 'threads')).sort();
}

describe('escaping', () => {
  it('escapes every character that could start markup or leave an attribute', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('links only to http and https URLs', () => {
    expect(safeExternalUrl('https://example.com/a b')).toBe('https://example.com/a%20b');
    for (const url of [
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      'data:text/html,x',
      'file:///etc/passwd',
      'nope',
      null,
    ]) {
      expect(safeExternalUrl(url)).toBeNull();
    }
  });
});

describe('html export', () => {
  let dir: string;
  let files: number;
  beforeAll(async () => {
    ({ dir, files } = await exportHtml('one-page', 1000));
  });

  it('writes an index, one page per thread, and the media it shows', () => {
    expect(existsSync(join(dir, 'index.html'))).toBe(true);
    expect(threadPages(dir)).toHaveLength(2);
    expect(readFileSync(join(dir, 'media', 'ab', 'photo.png'))).toEqual(PNG);
    expect(files).toBe(4);
  });

  it('shows message text as text: injected markup never becomes elements', () => {
    const [zoe] = threadPages(dir).filter((file) => file.startsWith('zoe-muller-'));
    const html = readFileSync(join(dir, 'threads', zoe!), 'utf8');
    const doc = parse(html);
    expect(doc.querySelector('#m-z3 .text')!.text).toBe(XSS_SCRIPT);
    expect(doc.querySelector('#m-z4 .text')!.text).toBe(XSS_IMG);
    expect(doc.querySelectorAll('script')).toHaveLength(0);
    expect(doc.querySelectorAll('img').map((img) => img.getAttribute('src'))).toEqual(['../media/ab/photo.png']);
    expect(html).not.toContain('onerror="');
  });

  it('renders bubbles, senders, days, reactions, replies, shares and missing media', () => {
    const [zoe] = threadPages(dir).filter((file) => file.startsWith('zoe-muller-'));
    const doc = page(dir, join('threads', zoe!));
    expect(doc.querySelectorAll('h2.day')).toHaveLength(2);
    expect(doc.querySelector('#m-z2')!.classList.contains('me')).toBe(true);
    expect(doc.querySelector('#m-z1')!.classList.contains('them')).toBe(true);
    expect(doc.querySelector('#m-z1 .sender')!.text).toBe('Zoë Müller');
    expect(doc.querySelector('#m-z2 time')!.getAttribute('datetime')).toBe(
      new Date(sampleMessages()[1]!.sentAt).toISOString(),
    );
    expect(doc.querySelector('#m-z2 .text')!.text).toBe('Hello,\n"world"\r\nline three');
    expect(doc.querySelector('#m-z5 .reactions')!.text).toBe('😂 2');
    expect(doc.querySelector('#m-z5 .reactions li')!.getAttribute('title')).toBe('Me, Zoë Müller');
    expect(doc.querySelector('#m-z6 .reply a')!.getAttribute('href')).toBe('#m-z5');
    const share = doc.querySelector('#m-z7 .share a')!;
    expect(share.getAttribute('href')).toBe('https://www.instagram.com/p/abc/');
    expect(share.getAttribute('rel')).toBe('noopener noreferrer');
    expect(doc.querySelector('#m-z8 .share')!.querySelector('a')).toBeNull();
    expect(doc.querySelector('#m-z10 .unsent')!.text).toBe('Zoë Müller unsent a message');
    expect(doc.querySelector('#m-z11 .missing')!.text).toContain('not kept locally');
    // Each text takes the direction of its own script: Arabic and Hebrew read right to left.
    for (const selector of ['#m-z1 .text', '#m-z1 .sender', '#m-z6 .reply', '#m-z7 .share', 'h1']) {
      expect(doc.querySelector(selector)!.getAttribute('dir'), selector).toBe('auto');
    }
    expect(page(dir, 'index.html').querySelector('#threads tbody a')!.getAttribute('dir')).toBe('auto');
  });

  it('lists threads in the index with counts, last activity and a filter box', () => {
    const doc = page(dir, 'index.html');
    const rows = doc.querySelectorAll('#threads tbody tr');
    expect(rows).toHaveLength(2);
    expect(rows[0]!.querySelector('a')!.text).toBe('Book club, "the" <best>');
    expect(rows[0]!.getAttribute('data-filter')).toContain('book club');
    expect(rows[1]!.getAttribute('data-filter')).toContain('zoe muller');
    expect(rows[1]!.querySelector('td.count')!.text).toBe('11');
    expect(rows[1]!.querySelector('time')).not.toBeNull();
    expect(doc.querySelector('#filter')).not.toBeNull();
    expect(doc.querySelectorAll('script')).toHaveLength(1);
  });

  it('allows exactly its own inline style and script by hash in a strict policy', () => {
    for (const file of ['index.html', join('threads', threadPages(dir)[0]!)]) {
      const doc = page(dir, file);
      const policy = doc.querySelector('meta[http-equiv="Content-Security-Policy"]')!.getAttribute('content')!;
      expect(policy).toContain("default-src 'none'");
      expect(policy).not.toContain('unsafe-inline');
      const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
      expect(policy).toContain(`style-src ${hash(doc.querySelector('style')!.innerHTML)}`);
      const script = doc.querySelector('script');
      if (script) expect(policy).toContain(`script-src ${hash(script.innerHTML)}`);
    }
  });
});

describe('html export of large threads', () => {
  it('splits a thread into pages with earlier/later links and links replies across pages', async () => {
    const { dir } = await exportHtml('paged', 5);
    const zoe = threadPages(dir).filter((file) => file.startsWith('zoe-muller-'));
    const stem = zoe.find((file) => !/-p\d+\.html$/.test(file))!.replace(/\.html$/, '');
    expect(zoe.sort()).toEqual([`${stem}-p2.html`, `${stem}-p3.html`, `${stem}.html`].sort());
    const first = page(dir, join('threads', `${stem}.html`));
    const middle = page(dir, join('threads', `${stem}-p2.html`));
    const last = page(dir, join('threads', `${stem}-p3.html`));
    expect(first.querySelectorAll('article')).toHaveLength(5);
    expect(last.querySelectorAll('article')).toHaveLength(1);
    expect(first.querySelector('a[rel=prev]')).toBeNull();
    expect(first.querySelector('a[rel=next]')!.getAttribute('href')).toBe(`${stem}-p2.html`);
    expect(middle.querySelector('a[rel=prev]')!.getAttribute('href')).toBe(`${stem}.html`);
    expect(middle.querySelector('a[rel=next]')!.getAttribute('href')).toBe(`${stem}-p3.html`);
    expect(last.querySelector('a[rel=next]')).toBeNull();
    // z6 (page 2) replies to z5 (page 1).
    expect(middle.querySelector('#m-z6 .reply a')!.getAttribute('href')).toBe(`${stem}.html#m-z5`);
    // Every page starts with its day.
    expect(middle.querySelector('main')!.firstElementChild!.tagName).toBe('H2');
    const index = page(dir, 'index.html');
    const latest = index.querySelectorAll('a').find((a) => a.text === 'latest page')!;
    expect(latest.getAttribute('href')).toBe(`threads/${stem}-p3.html`);
    expect(sampleMessages().filter((m) => m.threadId === ZOE_ID)).toHaveLength(11);
  });
});

// Opens the HTML export in a real browser (Debian's chromium driven by playwright-core).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runIgtg, tempHome } from '../helpers/cli.js';
import { XSS_IMG, XSS_SCRIPT, seedSample } from '../unit/export-fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SHOTS = join(ROOT, 'test-output', 'html-export');
const available = existsSync(CHROMIUM);
if (!available)
  console.warn(`skipping the HTML export browser test: ${CHROMIUM} is not installed (apt-get install chromium)`);

describe.skipIf(!available)('html export in a browser', () => {
  const { home, cleanup } = tempHome('igtg-browser-');
  const out = join(home, 'site');
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    await seedSample(home);
    const result = await runIgtg(['export', '--format', 'html', '--out', out], { home });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    mkdirSync(SHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    page = await browser.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('requestfailed', (request) => problems.push(`failed request: ${request.url()}`));
    await page.goto(pathToFileURL(join(out, 'index.html')).href);
  });

  afterAll(async () => {
    await browser?.close();
    cleanup();
  });

  const visibleRows = () => page.locator('#threads tbody tr:visible');

  it('lists the threads and filters them as you type', async () => {
    await expect.poll(() => visibleRows().count()).toBe(2);
    await page.fill('#filter', 'zoe');
    await expect.poll(() => visibleRows().count()).toBe(1);
    expect(await visibleRows().first().locator('a').textContent()).toBe('Zoë Müller');
    expect(await page.textContent('#shown')).toBe('1');
    await page.fill('#filter', 'ANNA');
    await expect.poll(() => visibleRows().count()).toBe(1);
    expect(await visibleRows().first().locator('a').textContent()).toBe('Book club, "the" <best>');
    await page.fill('#filter', 'nobody at all');
    await expect.poll(() => visibleRows().count()).toBe(0);
    await page.fill('#filter', '');
    await expect.poll(() => visibleRows().count()).toBe(2);
    await page.screenshot({ path: join(SHOTS, 'index.png'), fullPage: true });
  });

  it('shows messages, the photo and reactions of a thread, and injected markup only as text', async () => {
    await page.click('text=Zoë Müller');
    await page.waitForSelector('article#m-z1');
    expect(await page.locator('article.msg').count()).toBe(11);
    expect(await page.textContent('#m-z1 .text')).toBe('Hi Zoë! 👋');
    expect(await page.textContent('#m-z3 .text')).toBe(XSS_SCRIPT);
    expect(await page.textContent('#m-z4 .text')).toBe(XSS_IMG);
    await page.waitForFunction(
      "(() => { const img = document.querySelector('#m-z5 img'); return !!img && img.complete && img.naturalWidth > 0; })()",
    );
    expect(await page.locator('#m-z5 .reactions li').textContent()).toBe('😂 2');
    expect(await page.locator('#m-z5 .reactions').isVisible()).toBe(true);
    expect(await page.locator('#m-z2 .reactions li').textContent()).toBe('❤️');
    expect(await page.getAttribute('#m-z7 .share a', 'href')).toBe('https://www.instagram.com/p/abc/');
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
    expect(await page.locator('#m-z3 script, #m-z4 img').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'thread.png'), fullPage: true });
  });

  it('logs no errors, warnings or failed requests', () => {
    expect(problems).toEqual([]);
  });
});

// HTML page benchmark: reads one message_N.html of Meta's shape (texts, photos, links, reactions,
// a line break between blocks) in a fresh process and prints the time and that process's peak RSS.
//   node --import tsx bench/html-bench.ts [--messages N]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHtmlThreadFile } from '../src/archive/html-thread.js';
import { htmlPage, type HtmlMessage } from '../test/fixtures/archive/build-archive.js';

const BASE = 'your_instagram_activity/messages/inbox/zoemuller_1';

function timeOf(minutesAgo: number): string {
  const at = new Date(Date.UTC(2024, 5, 14, 12) - minutesAgo * 60_000);
  const month = at.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const hour = at.getUTCHours() % 12 || 12;
  const minute = String(at.getUTCMinutes()).padStart(2, '0');
  return `${month} ${at.getUTCDate()}, ${at.getUTCFullYear()} ${hour}:${minute} ${at.getUTCHours() < 12 ? 'am' : 'pm'}`;
}

export function benchPage(messages: number): string {
  const blocks = Array.from({ length: messages }, (_, i): HtmlMessage => {
    const sender = i % 2 ? 'Zoë Müller' : 'Alex Kim';
    const time = timeOf(i);
    if (i % 10 === 3) return { sender, time, media: [`${BASE}/photos/${i}.jpg`] };
    if (i % 10 === 5) return { sender, time, link: `https://www.instagram.com/reel/C${i}/` };
    if (i % 10 === 7) return { sender, time, text: `message ${i} & more 😀\nsecond line`, reactions: ['❤️Alex Kim'] };
    return { sender, time, text: `message number ${i}, a few words long like most of them` };
  });
  return htmlPage('Zoë Müller', ['Zoë Müller', 'Alex Kim'], blocks).replaceAll('<div class="pam', '\n<div class="pam');
}

/** Reads the page in this process, after a small page has paid the one-time costs (month tables). */
function readPage(file: string, messages: number): void {
  parseHtmlThreadFile(benchPage(2), file, 'UTC');
  const page = readFileSync(file, 'utf8');
  const rssBefore = process.memoryUsage().rss / 2 ** 20;
  const started = process.hrtime.bigint();
  const parsed = parseHtmlThreadFile(page, `${BASE}/message_1.html`, 'UTC');
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  if (parsed.messages.length !== messages) throw new Error(`read ${parsed.messages.length} of ${messages} messages`);
  console.log(
    `HTML page of ${messages.toLocaleString('en-US')} messages (${(page.length / 1e6).toFixed(1)} MB): ` +
      `read in ${ms.toFixed(0)} ms, peak RSS ${peakRssMb.toFixed(0)} MB (${rssBefore.toFixed(0)} MB before reading)`,
  );
}

/** Writes the page, then reads it in a fresh process so that its peak RSS is the reader's alone. */
export function runHtmlBench(messages = 10_000): void {
  const dir = mkdtempSync(join(tmpdir(), 'igtg-bench-html-'));
  try {
    const file = join(dir, 'message_1.html');
    writeFileSync(file, benchPage(messages));
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', import.meta.filename, '--read', file, '--messages', String(messages)],
      { stdio: 'inherit' },
    );
    if (child.status !== 0) throw new Error(`reading the page failed (exit ${child.status ?? child.signal})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function argValue(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

if (process.argv[1] === import.meta.filename) {
  const messages = Number(argValue('--messages') ?? 10_000);
  const file = argValue('--read');
  if (file) readPage(file, messages);
  else runHtmlBench(messages);
}

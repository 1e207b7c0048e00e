// Export at scale: N messages (default 1,000,000) over 100 threads in a temporary SQLite store,
// exported by the built `igtg export` as jsonl and as html. Prints messages/s and the peak RSS of
// each export process (goal: < 200 MB).
//   node --import tsx bench/export-bench.ts [--messages N]
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Message, Thread } from '../src/core/model.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'igtg.js');
const RSS_GOAL_MB = 200;
const THREADS = 100;
const BATCH = 10_000;
const T0 = Date.UTC(2020, 0, 1);

/** Loaded into the export process: writes its peak RSS (KiB) to IGTG_BENCH_RSS_FILE on exit. */
const REPORT_RSS = `data:text/javascript,${encodeURIComponent(
  "import { writeFileSync } from 'node:fs';" +
    'process.on("exit", () => writeFileSync(process.env.IGTG_BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));',
)}`;

export interface ExportFigures {
  format: string;
  seconds: number;
  messagesPerSecond: number;
  peakRssMb: number;
}

export interface ExportBenchResult {
  messages: number;
  seedSeconds: number;
  exports: ExportFigures[];
  rssGoalMet: boolean;
}

const WORDS = 'see you at the café tomorrow ok 😂 naïve party beach train photo lunch <b>not bold</b> & "quoted"'.split(
  ' ',
);

function benchMessage(n: number): Message {
  const thread = n % THREADS;
  const fromMe = n % 3 === 0;
  const words = Array.from({ length: 4 + (n % 12) }, (_, k) => WORDS[(n * 7 + k * 13) % WORDS.length]!);
  return {
    id: `bench-${n}`,
    threadId: `bench-thread-${thread}`,
    senderId: fromMe ? 'me' : `friend-${thread}`,
    senderName: fromMe ? 'Alex Kim' : `Friend ${thread}`,
    sentAt: T0 + n * 30_000,
    kind: 'text',
    text: words.join(' '),
    media: [],
    share: null,
    replyTo: n % 10 === 5 ? `bench-${n - THREADS}` : null,
    reactions: n % 7 === 0 ? [{ emoji: '❤️', actor: 'Alex Kim', actorId: 'me', at: null }] : [],
    unsent: false,
    fromMe,
    source: 'api',
    clientContext: null,
    raw: null,
  };
}

async function seed(dbFile: string, count: number): Promise<void> {
  const store = await openSqliteStore(dbFile);
  try {
    const threads: Thread[] = Array.from({ length: THREADS }, (_, n) => ({
      id: `bench-thread-${n}`,
      title: `Friend ${n}`,
      isGroup: false,
      isRequest: false,
      participants: [
        { userId: `friend-${n}`, name: `Friend ${n}`, username: `friend${n}` },
        { userId: 'me', name: 'Alex Kim', username: 'alexkim' },
      ],
      lastActivityAt: null,
      source: 'api',
      archiveFolder: null,
    }));
    await store.write({ threads });
    for (let start = 0; start < count; start += BATCH) {
      const messages: Message[] = [];
      for (let n = start; n < Math.min(count, start + BATCH); n += 1) messages.push(benchMessage(n));
      await store.write({ messages });
    }
  } finally {
    await store.close();
  }
}

function measureExport(home: string, format: string, messages: number): ExportFigures {
  const rssFile = join(home, `rss-${format}`);
  const out = join(home, `export-${format}`);
  const start = process.hrtime.bigint();
  const result = spawnSync(
    process.execPath,
    ['--import', REPORT_RSS, BIN, '--json', 'export', '-f', format, '-o', out],
    {
      encoding: 'utf8',
      env: { ...process.env, IGTG_HOME: home, IGTG_DB: '', IGTG_SECRETS: 'file', IGTG_BENCH_RSS_FILE: rssFile },
      maxBuffer: 1 << 20,
    },
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`igtg export -f ${format} failed: ${result.stderr}`);
  const summary = JSON.parse(result.stdout) as { messages: number };
  if (summary.messages !== messages)
    throw new Error(`igtg export -f ${format} wrote ${summary.messages} of ${messages} messages`);
  rmSync(out, { recursive: true, force: true });
  return {
    format,
    seconds: Math.round(seconds * 10) / 10,
    messagesPerSecond: Math.round(messages / seconds),
    peakRssMb: Math.round(Number(readFileSync(rssFile, 'utf8')) / 1024),
  };
}

export async function runExportBench(messages = 1_000_000): Promise<ExportBenchResult> {
  const home = mkdtempSync(join(tmpdir(), 'igtg-export-bench-'));
  try {
    const profile = join(home, 'profiles', 'default');
    mkdirSync(profile, { recursive: true, mode: 0o700 });
    const seedStart = process.hrtime.bigint();
    await seed(join(profile, 'igtg.db'), messages);
    const seedSeconds = Math.round(Number(process.hrtime.bigint() - seedStart) / 1e8) / 10;
    console.log(`export: ${messages.toLocaleString('en')} messages in ${THREADS} threads stored in ${seedSeconds} s`);
    const exports: ExportFigures[] = [];
    for (const format of ['jsonl', 'html']) {
      const figures = measureExport(home, format, messages);
      exports.push(figures);
      console.log(
        `export ${format.padEnd(5)}: ${figures.messagesPerSecond.toLocaleString('en')} messages/s ` +
          `(${figures.seconds} s), peak RSS ${figures.peakRssMb} MB (goal < ${RSS_GOAL_MB} MB)`,
      );
    }
    return { messages, seedSeconds, exports, rssGoalMet: exports.every((figures) => figures.peakRssMb < RSS_GOAL_MB) };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

if (process.argv[1] === import.meta.filename) {
  const flag = process.argv.indexOf('--messages');
  const result = await runExportBench(flag === -1 ? undefined : Number(process.argv[flag + 1]));
  if (!result.rssGoalMet) process.exitCode = 1;
}

// Import benchmark: generates (once, cached under bench/out/) a synthetic archive in Meta's exact
// format and encoding, then times `igtg import` of it as a child process in a fresh IGTG_HOME and
// prints messages/s and the child's peak RSS.
//   node --import tsx bench/import-bench.ts [--messages N] [--threads T] [--keep-home]
// (needs the build: `npm run build`.)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateArchive } from './gen-archive.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'igtg.js');
const OUT = join(ROOT, 'bench', 'out');

export interface ImportBenchOptions {
  messages?: number;
  threads?: number;
  /** Where the archive is generated (reused when it matches). */
  archiveDir?: string;
  /** IGTG_HOME for the import; a fresh temporary one by default (removed unless keepHome). */
  home?: string;
  keepHome?: boolean;
  /** Extra `igtg import` arguments (default: --no-media; the synthetic archive has no media files). */
  importArgs?: string[];
  log?: (line: string) => void;
}

export interface ImportBenchResult {
  messages: number;
  threads: number;
  seconds: number;
  messagesPerSecond: number;
  peakRssMb: number;
  messagesAdded: number;
  /** The IGTG_HOME holding the imported store (null once removed). */
  home: string | null;
}

// Loaded into the child with --import: writes its peak RSS (KiB) where the bench asks, on exit.
const RSS_PROBE = `data:text/javascript,${encodeURIComponent(
  "import { writeFileSync } from 'node:fs';" +
    'const file = process.env.IGTG_BENCH_RSS_FILE;' +
    "if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));",
)}`;

/** The bench's default thread count for N messages (the 1M over 2,000). */
export function defaultThreads(messages: number): number {
  return Math.max(1, Math.min(2_000, Math.round(messages / 500)));
}

/** Where the synthetic archive of N messages over T threads is cached. */
export function archiveDirFor(messages: number, threads: number): string {
  return join(OUT, `archive-${messages}-${threads}`);
}

export async function ensureArchive(
  dir: string,
  messages: number,
  threads: number,
  log: (line: string) => void,
): Promise<void> {
  const stamp = join(dir, '.generated.json');
  const wanted = JSON.stringify({ messages, threads, version: 3 });
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return;
  log(`generating ${messages} messages over ${threads} threads in ${dir} …`);
  const started = Date.now();
  const result = await generateArchive({ dir, messages, threads });
  writeFileSync(stamp, wanted);
  log(
    `  ${result.files} files, ${(result.bytes / 1e6).toFixed(0)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

function runChild(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', RSS_PROBE, BIN, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export async function runImportBench(options: ImportBenchOptions = {}): Promise<ImportBenchResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const messages = options.messages ?? 1_000_000;
  const threads = options.threads ?? defaultThreads(messages);
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error('build first: npm run build');
  const archiveDir = options.archiveDir ?? archiveDirFor(messages, threads);
  await ensureArchive(archiveDir, messages, threads, log);

  const home = options.home ?? mkdtempSync(join(tmpdir(), 'igtg-bench-import-'));
  const rssFile = join(home, '.peak-rss');
  try {
    const env = {
      ...process.env,
      IGTG_HOME: home,
      IGTG_SECRETS: 'file',
      IGTG_DB: undefined,
      IGTG_BENCH_RSS_FILE: rssFile,
    };
    const started = process.hrtime.bigint();
    const child = await runChild(
      ['import', '--json', '--verbose', ...(options.importArgs ?? ['--no-media']), archiveDir],
      env,
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (child.code !== 0) throw new Error(`igtg import failed (${child.code}): ${child.stderr.trim()}`);
    const summary = JSON.parse(child.stdout) as { messages_read: number; messages_added: number };
    const peakRssMb = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) / 1024 : Number.NaN;
    const result: ImportBenchResult = {
      messages: summary.messages_read,
      threads,
      seconds,
      messagesPerSecond: summary.messages_read / seconds,
      peakRssMb,
      messagesAdded: summary.messages_added,
      home: options.keepHome || options.home ? home : null,
    };
    const n = (value: number) => Math.round(value).toLocaleString('en-US');
    log(
      `igtg import: ${n(result.messages)} messages over ${n(threads)} threads in ${seconds.toFixed(1)} s = ` +
        `${n(result.messagesPerSecond)} messages/s (goal ≥ 100,000/s), peak RSS ${peakRssMb.toFixed(0)} MB (goal < 300 MB)`,
    );
    const phases = /^time: (.*)$/m.exec(child.stderr);
    if (phases) log(`  phases: ${phases[1]}`);
    return result;
  } finally {
    rmSync(rssFile, { force: true });
    if (!options.keepHome && !options.home) rmSync(home, { recursive: true, force: true });
  }
}

function argValue(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

if (process.argv[1] === import.meta.filename) {
  const messages = argValue('--messages');
  const threads = argValue('--threads');
  const result = await runImportBench({
    messages: messages ? Number(messages) : undefined,
    threads: threads ? Number(threads) : undefined,
    keepHome: process.argv.includes('--keep-home'),
  });
  if (result.home) console.log(`store kept in IGTG_HOME=${result.home}`);
}

// Search benchmark: imports the synthetic archive (import-bench's generator and cache) into a
// temporary IGTG_HOME, then runs 200 mixed queries (common and rare words, phrases, prefixes,
// exclusions, OR, filters, sort orders) three ways and prints p50/p99 of each:
//   * `igtg search --json` as a child process (what a user waits for: Node start-up included),
//   * store.search in-process (the search itself; the goal p50 < 10 ms, p99 < 50 ms is about this),
//   * ripgrep over the unpacked archive, the nearest equivalent of each query (text part only).
//   node --import tsx bench/search-bench.ts [--messages N] [--threads T] [--queries Q] [--home DIR] [--keep-home]
// (needs the build: `npm run build`; `--home` reuses a store imported earlier, e.g. by --keep-home.)
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { encodeMetaText } from '../src/archive/decode-meta-text.js';
import { resolvePaths } from '../src/config/paths.js';
import { parseSearchQueryVerbatim, type SearchTerm } from '../src/store/search-query.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { SearchQuery } from '../src/store/store.js';
import { COMMON_WORDS, OTHER_SCRIPTS, RARE_WORDS, rng } from './gen-archive.js';
import { archiveDirFor, defaultThreads, ensureArchive, runImportBench } from './import-bench.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'igtg.js');

interface BenchQuery {
  /** `igtg search` arguments (query words and options). */
  args: string[];
  /** The same query for store.search. */
  query: SearchQuery;
  /** Restricts ripgrep to one thread's folder (the --thread filter). */
  folder?: string;
}

interface ThreadInfo {
  id: string;
  folder: string;
}

const SENDERS = ['Zoë', 'jose', 'Łukasz Nowak', 'Kim', 'Priya Sharma', 'Alex Kim'];
const PREFIXES = ['birth', 'con', 'pan', 'mu', 'tom', 'caf', 'fes', 'pho', 'ri', 'sm'];
const DATES = ['2019-06-01', '2021-01-01', '2022-07-15', '2023-03-01', '2024-01-01'];

function makeQueries(count: number, threads: ThreadInfo[]): BenchQuery[] {
  const random = rng(7);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const word = () => pick(COMMON_WORDS);
  const rare = () => pick(RARE_WORDS);
  const kinds: Array<() => BenchQuery> = [
    () => text(word()), // common word
    () => text(`${word()} ${word()}`), // two common words (AND)
    () => text(rare()), // rare word (a handful of hits)
    () => text(`${rare()} ${word()}`),
    () => text(pick(OTHER_SCRIPTS).split(' ')[0]!), // other scripts (several thousand hits)
    () => text(`"${word()} ${word()}"`), // phrase
    () => text(`${pick(PREFIXES)}*`), // prefix
    () => text(`${word()} -${word()}`), // exclusion
    () => text(`${word()} OR ${word()}`), // OR
    () => text(`${rare()} OR ${rare()} OR ${rare()}`),
    () => text(pick(['cafe', 'creme brulee', 'naive', 'strasse', 'jalapeno', 'grusse koln'])), // diacritics folded
    () => text('zzyzx'), // no hit
    () => withOptions(word(), ['--sort', 'newest'], { sort: 'newest' }),
    () => withOptions(word(), ['--sort', 'oldest'], { sort: 'oldest' }),
    () => {
      const from = pick(SENDERS);
      return withOptions(word(), ['--from', from], { from });
    },
    () => {
      const since = pick(DATES);
      return withOptions(word(), ['--since', since], { since: Date.parse(`${since}T00:00:00Z`) });
    },
    () => {
      const until = pick(DATES);
      return withOptions(word(), ['--until', until], { until: Date.parse(`${until}T00:00:00Z`) });
    },
    () => {
      const thread = pick(threads);
      return { ...withOptions(word(), ['--thread', thread.id], { threadIds: [thread.id] }), folder: thread.folder };
    },
    () => withOptions(word(), ['--limit', '100'], { limit: 100 }),
  ];
  const queries: BenchQuery[] = [];
  for (let i = 0; i < count; i += 1) queries.push(kinds[i % kinds.length]!());
  return queries;
}

function text(input: string): BenchQuery {
  return { args: [input], query: { text: input } };
}

function withOptions(input: string, args: string[], query: Omit<SearchQuery, 'text'>): BenchQuery {
  return { args: [input, ...args], query: { text: input, ...query } };
}

// ---- ripgrep: each query as a regex over message_N.json lines (one "content" field per line).

/** A literal as it appears in Meta's files: UTF-8 bytes written as \u00xx escapes. */
function metaLiteral(literal: string): string {
  let out = '';
  for (const char of encodeMetaText(literal)) {
    const code = char.charCodeAt(0);
    out += code < 0x80 ? char.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&') : `\\\\u00${code.toString(16).padStart(2, '0')}`;
  }
  return out;
}

function termPattern(term: SearchTerm): string {
  const literal = term.kind === 'phrase' ? term.words.join(' ') : term.text;
  const asciiWord = (char: string | undefined) => char !== undefined && /[a-z0-9]/i.test(char);
  const open = asciiWord(literal[0]) ? '\\b' : '';
  const close = term.kind === 'word' && term.prefix ? '' : asciiWord(literal.at(-1)) ? '\\b' : '';
  return `${open}${metaLiteral(literal)}${close}`;
}

function threadDir(archiveDir: string, folder: string): string {
  const messages = join(archiveDir, 'your_instagram_activity', 'messages');
  const inbox = join(messages, 'inbox', folder);
  return existsSync(inbox) ? inbox : join(messages, 'message_requests', folder);
}

function rgArgs(query: BenchQuery, archiveDir: string): string[] {
  const parsed = parseSearchQueryVerbatim(query.query.text);
  const clauses = parsed.clauses.map((clause) => `(?:${clause.map(termPattern).join('|')})`);
  const exclude = parsed.exclude.map(termPattern);
  const base = ['--ignore-case', '--count', '--no-messages', '--glob', '*.json'];
  const target = [query.folder ? threadDir(archiveDir, query.folder) : archiveDir];
  if (clauses.length === 1 && exclude.length === 0) return [...base, '-e', clauses[0]!, ...target];
  // AND and NOT need look-arounds: PCRE2, one line = one message's content.
  const look = [...clauses.map((c) => `(?=.*${c})`), ...exclude.map((e) => `(?!.*${e})`)].join('');
  return [...base, '--pcre2', '-e', `^${look}`, ...target];
}

// ---- figures

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summary(times: number[]): { p50: number; p99: number; mean: number } {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: times.reduce((a, b) => a + b, 0) / times.length,
  };
}

function argValue(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const ms = () => Number(process.hrtime.bigint()) / 1e6;

export async function runSearchBench(
  options: { messages?: number; threads?: number; queries?: number; home?: string; keepHome?: boolean } = {},
): Promise<void> {
  const messages = options.messages ?? 1_000_000;
  const threads = options.threads ?? defaultThreads(messages);
  const archiveDir = archiveDirFor(messages, threads);
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error('build first: npm run build');
  const log = (line: string) => console.log(line);
  await ensureArchive(archiveDir, messages, threads, log);

  let home = options.home;
  if (!home) home = (await runImportBench({ messages, threads, archiveDir, keepHome: true, log })).home!;
  const dbFile = resolvePaths('default', { ...process.env, IGTG_HOME: home }).dbFile;
  const store = await openSqliteStore(dbFile);
  try {
    const threadList = (await store.listThreads()).map((thread) => ({
      id: thread.id,
      folder: thread.id.replace(/^archive:/, ''),
    }));
    const queries = makeQueries(options.queries ?? 200, threadList);
    log(`${queries.length} queries over ${messages.toLocaleString('en-US')} messages (IGTG_HOME=${home})`);

    // In-process: one warm-up pass (statement preparation, page cache), then the measured pass.
    for (const query of queries) await store.search(query.query);
    const inProcess: number[] = [];
    const hits: number[] = [];
    for (const query of queries) {
      const started = ms();
      const found = await store.search(query.query);
      inProcess.push(ms() - started);
      hits.push(found.length);
    }

    const env = { ...process.env, IGTG_HOME: home, IGTG_SECRETS: 'file', IGTG_DB: undefined };
    const cli: number[] = [];
    for (const query of queries) {
      const started = ms();
      const child = spawnSync(process.execPath, [BIN, 'search', '--json', ...query.args], {
        env,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      cli.push(ms() - started);
      if (child.status !== 0) throw new Error(`igtg search ${query.args.join(' ')} failed: ${child.stderr.trim()}`);
    }

    const rg: number[] = [];
    for (const query of queries) {
      const started = ms();
      const child = spawnSync('rg', rgArgs(query, archiveDir), { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      rg.push(ms() - started);
      if (child.error) throw new Error(`ripgrep: ${child.error.message} (apt-get install ripgrep)`);
      if (child.status === 2) throw new Error(`rg ${rgArgs(query, archiveDir).join(' ')} failed: ${child.stderr}`);
    }

    const f = (value: number) => `${value.toFixed(1)} ms`.padStart(10);
    const row = (name: string, times: number[]) => {
      const s = summary(times);
      return `${name.padEnd(34)} p50 ${f(s.p50)}   p99 ${f(s.p99)}   mean ${f(s.mean)}`;
    };
    const store50 = summary(inProcess).p50;
    const cli50 = summary(cli).p50;
    const rg50 = summary(rg).p50;
    log(row('store.search (in-process)', inProcess) + '   (goal p50 < 10 ms, p99 < 50 ms)');
    log(row('igtg search --json (process)', cli));
    log(row('ripgrep over the archive', rg));
    log(
      `ratio (ripgrep p50 / igtg p50): ${(rg50 / store50).toFixed(1)}× the in-process search, ` +
        `${(rg50 / cli50).toFixed(1)}× the igtg process; ` +
        `median hits per query ${percentile(
          [...hits].sort((a, b) => a - b),
          50,
        )}`,
    );
    const slowest = queries
      .map((query, i) => ({ args: query.args.join(' '), time: inProcess[i]! }))
      .sort((a, b) => b.time - a.time)
      .slice(0, 5);
    log(`slowest in-process: ${slowest.map((s) => `${s.args} (${s.time.toFixed(1)} ms)`).join('; ')}`);
  } finally {
    await store.close();
    if (!options.home && !options.keepHome) rmSync(home, { recursive: true, force: true });
    else if (!options.home) log(`store kept in IGTG_HOME=${home}`);
  }
}

if (process.argv[1] === import.meta.filename) {
  const messages = argValue('--messages');
  const threads = argValue('--threads');
  const queries = argValue('--queries');
  await runSearchBench({
    messages: messages ? Number(messages) : undefined,
    threads: threads ? Number(threads) : undefined,
    queries: queries ? Number(queries) : undefined,
    home: argValue('--home'),
    keepHome: process.argv.includes('--keep-home'),
  });
}

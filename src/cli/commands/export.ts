import { dirname } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { StoreError, UsageError } from '../../core/errors.js';
import { StatusMeta } from '../../core/status-meta.js';
import type { Store } from '../../store/store.js';
import { EXPORT_FORMATS, type ExportFormat } from '../../export/types.js';
import type { Context } from '../context.js';
import type { CommandRunner } from '../program.js';
import { resolveOneThread } from '../read-options.js';

interface ExportOptions {
  format: ExportFormat;
  thread?: string[];
  since?: string;
  until?: string;
  out?: string;
  excel?: boolean;
  wait: number;
}

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds < 0) {
    throw new InvalidArgumentError('give a number of seconds, e.g. 15');
  }
  return seconds;
}

const HELP = `
Output:
  html   a folder: index.html plus pages per thread and the media, works offline
  md     a folder: index.md plus one file per thread and the media
  json   one document {"threads":[{thread_id,title,participants,messages:[…]}]}
  jsonl  one message per line, with thread_id and thread_title
  csv    RFC 4180 with a header row; media, share and reactions hold JSON text
Messages use the fields and time format of \`igtg show --json\`. Without --out the export is
written to ./igtg-export.<format> (a file) or ./igtg-export-<format> (a folder); --out - writes
json, jsonl or csv to stdout. A folder is only ever replaced if igtg exported into it before.

Safe under cron: the export is written under a temporary name and put in place only when it is
complete, so a killed run leaves the previous export as it was; a second export to the same
target waits up to --wait seconds, then exits 1. --since last exports only the messages stored
since the last successful export to the same --out with the same --thread selection (on stdout,
also the same --format) and says "nothing new" (exit 0, nothing written) when there are none. A
jsonl or csv file then grows: the new messages are added after the ones it holds (a message
changed since, e.g. unsent, comes again; its last line wins). Other targets hold just the new
ones. It cannot be combined with --until; an export with --since DATE or --until resets the mark.

csv: plain csv is the exact data. --excel adds a BOM and prefixes ' to cells starting with
= + - @ (so a spreadsheet shows them as text instead of running them as formulas) and to
numbers of more than 15 digits (ids, which a spreadsheet would round).`;

/** "1 file", "2 files". */
function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** How long an export's mark waits for another process's write (an import of a few million messages). */
const EXPORT_BUSY_TIMEOUT_MS = 120_000;

/**
 * A store nothing ever went into (created by a command that then failed, say) is no source for an
 * export: under cron its empty output would replace the last good one. A sync or import that
 * finished, or messages the bridge stored, make it one, even when it holds nothing.
 */
async function refuseNeverFilled(store: Store): Promise<void> {
  if ((await store.counts()).messages > 0) return;
  if (await store.getMeta(StatusMeta.lastSyncAt)) return;
  if (await store.getMeta(StatusMeta.lastImportAt)) return;
  throw new StoreError(
    `the store at ${store.location} is empty: nothing was imported or synced into this profile yet ` +
      '(run igtg import or igtg sync, or check --profile, IGTG_HOME and IGTG_DB)',
  );
}

async function exportCommand(ctx: Context, options: ExportOptions): Promise<void> {
  if (ctx.out.json && options.out === '-') {
    throw new UsageError('--json prints a summary on stdout; it cannot be used with --out -');
  }
  const { runExport } = await import('../../export/run-export.js');
  // Its mark is written after the output: behind an import's transaction it waits rather than fail
  // with the output already in place (under cron, nobody would run it again).
  const store = await ctx.openStore({ mustExist: true, busyTimeoutMs: EXPORT_BUSY_TIMEOUT_MS });
  await refuseNeverFilled(store);
  const threadIds: string[] = [];
  for (const input of options.thread ?? []) threadIds.push((await resolveOneThread(store, input)).id);
  const { out } = ctx;
  const progress = out.interactive
    ? (count: number) => out.options.stderr.write(`\rexporting… ${count.toLocaleString()} messages`)
    : undefined;
  let progressShown = false;
  const summary = await runExport(
    {
      format: options.format,
      out: options.out ?? null,
      threadIds: threadIds.length > 0 ? [...new Set(threadIds)] : undefined,
      since: options.since ?? null,
      until: options.until ?? null,
      excel: Boolean(options.excel),
      waitMs: options.wait * 1000,
    },
    {
      store,
      mediaDir: ctx.paths.mediaDir,
      stateDir: ctx.paths.stateDir,
      cwd: process.cwd(),
      stdout: out.options.stdout,
      ownPaths: {
        // Every profile's folders (the "profiles" folders holding them), not just this one's.
        folders: [ctx.paths.dataDir, ctx.paths.configDir, ctx.paths.stateDir].map((dir) => dirname(dir)),
        files: store.kind === 'sqlite' ? [store.location] : [],
      },
      notice: (text) => out.info(text),
      progress:
        progress &&
        ((count) => {
          progressShown = true;
          progress(count);
        }),
    },
  ).finally(() => {
    if (progressShown) out.options.stderr.write('\r\u001b[K');
  });

  if (out.json) {
    out.printJson(summary);
    return;
  }
  const where = summary.out === '-' ? 'stdout' : summary.out;
  const message = summary.nothing_new
    ? `nothing new since the last export to ${where}`
    : `exported ${count(summary.messages, 'message')} from ${count(summary.threads, 'thread')} to ${where}` +
      (summary.out === '-' ? '' : ` (${count(summary.files, 'file')})`);
  // With --out - stdout carries the export itself, so the report goes to stderr.
  if (summary.out === '-') out.info(message);
  else out.report(message);
}

export function registerExport(program: Command, run: CommandRunner): void {
  program
    .command('export')
    .description('export messages as html, md, json, jsonl or csv (safe under cron)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(EXPORT_FORMATS).makeOptionMandatory())
    .option(
      '-t, --thread <id-or-title>',
      'only this thread: its id or a unique part of its title (repeatable)',
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option('--since <date|last>', 'messages sent from this date, or "last": stored since the last export to --out')
    .option('--until <date>', 'messages sent before this date')
    .option('-o, --out <path>', 'output file or folder; - for stdout (json, jsonl, csv)')
    .option('--excel', 'csv for spreadsheets: BOM; cells starting with = + - @ and long ids kept as text')
    .addOption(
      new Option('--wait <seconds>', 'how long to wait for another export to the same target')
        .default(15)
        .argParser(parseSeconds),
    )
    .addHelpText('after', HELP)
    .action(run(exportCommand));
}

// `igtg import PATH`: Meta's "Download your information" archive (zip, folder, or a folder inside
// it) into the profile's store. The work is in src/archive/import-archive.ts.
import { setFlagsFromString } from 'node:v8';
import type { Command } from 'commander';
import type { CommandRunner } from '../program.js';
import type { Context } from '../context.js';
import { StatusMeta } from '../../core/status-meta.js';
import { type Spinner, startSpinner } from '../spinner.js';

interface ImportFlags {
  media: boolean;
  skipBad?: boolean;
  timezone?: string;
}

type ProgressBar = {
  start(total: number, value: number, payload?: object): void;
  update(value: number, payload?: object): void;
  stop(): void;
};

async function progressBar(ctx: Context): Promise<ProgressBar | null> {
  if (!ctx.out.interactive) return null;
  const { default: cliProgress } = await import('cli-progress');
  return new cliProgress.SingleBar(
    {
      stream: ctx.out.options.stderr,
      format: '{phase} [{bar}] {value}/{total} files | {messages} messages',
      hideCursor: true,
      clearOnComplete: true,
      barsize: 30,
    },
    cliProgress.Presets.shades_classic,
  );
}

/** "checking 1.0 s, importing 9.8 s, indexing 2.1 s, saving 1.2 s" */
function phaseTimes(phases: Array<{ phase: string; at: number }>, end: number): string {
  return phases
    .map(({ phase, at }, i) => `${phase} ${(((phases[i + 1]?.at ?? end) - at) / 1000).toFixed(1)} s`)
    .join(', ');
}

/**
 * V8 lets a heap grow to 4x what survived its last full collection before collecting again; an
 * import's garbage (every parsed page) then piled up to a peak of ~300 MB for 1M messages. Growing
 * 2x keeps that peak near 230-250 MB for ~5% more time (bench/import-bench.ts). The flag is read at
 * each collection, and this process does nothing but the import.
 */
function keepHeapSmall(): void {
  setFlagsFromString('--heap-growing-percent=100');
}

async function runImport(ctx: Context, path: string, flags: ImportFlags): Promise<void> {
  keepHeapSmall();
  const { checkTimeZone, systemTimeZone } = await import('../../archive/local-time.js');
  const timeZone = flags.timezone ? checkTimeZone(flags.timezone) : systemTimeZone();
  const [{ importArchive }, { acquireSyncLock }] = await Promise.all([
    import('../../archive/import-archive.js'),
    import('../../sync/sync-lock.js'),
  ]);
  // Never beside a sync of the profile: see sync-lock.ts.
  const lock = await acquireSyncLock(ctx.paths.stateDir, 'import', {
    onWait: (holder) => ctx.out.info(`${holder}; waiting for it to finish…`),
  });
  ctx.onClose(() => lock.release());
  // Its writes run beside the parsing of the next batch (store/sqlite/writer-thread.ts); into an
  // empty store, without the WAL (store/sqlite/direct-load.ts).
  const store = await ctx.openStore({ writerThread: true, directLoad: true });

  const bar = await progressBar(ctx);
  let files = 0;
  let messages = 0;
  let phase = '';
  let summary;
  // The indexing pass is one SQL statement with nothing to count, so it gets a spinner.
  let indexing = null as Promise<Spinner | null> | null;
  const phases: Array<{ phase: string; at: number }> = [];
  try {
    summary = await importArchive({
      path,
      store,
      mediaDir: flags.media ? ctx.paths.mediaDir : null,
      timeZone,
      skipBad: Boolean(flags.skipBad),
      finalMeta: () => ({ [StatusMeta.lastImportAt]: String(Date.now()) }),
      onWarning: (message) => ctx.out.warn(message),
      onProgress: (event) => {
        if (event.type === 'phase') phases.push({ phase: event.phase, at: performance.now() });
        if (!bar) return;
        if (event.type === 'phase' && event.phase === 'indexing') {
          bar.stop();
          indexing = startSpinner(ctx.out, `indexing ${messages.toLocaleString('en-US')} messages for search`);
        } else if (event.type === 'phase' && event.phase === 'saving') {
          // Only worth a word after an index pass: a small import commits in a moment.
          void indexing?.then((spinner) => {
            if (spinner) spinner.text = `saving ${messages.toLocaleString('en-US')} messages`;
          });
        } else if (event.type === 'phase') {
          if (phase) bar.stop();
          phase = event.phase === 'checking' ? 'checking ' : 'importing';
          files = 0;
          messages = 0;
          bar.start(event.files, 0, { phase, messages });
        } else {
          files += 1;
          messages += event.messages;
          bar.update(files, { phase, messages });
        }
      },
    });
  } finally {
    bar?.stop();
    (await indexing)?.stop();
  }

  ctx.out.debug(`archive owner: ${summary.owner ?? 'unknown (no message is marked as yours)'}`);
  ctx.out.debug(`time: ${phaseTimes(phases, performance.now())}`);
  for (const skipped of summary.skippedFiles) ctx.out.warn(`skipped ${skipped.file}: ${skipped.reason}`);
  if (ctx.out.json) {
    ctx.out.printJson({
      threads: summary.threads,
      messages_read: summary.messagesRead,
      messages_added: summary.messagesAdded,
      media_files: summary.mediaFiles,
      skipped_files: summary.skippedFiles.map((skipped) => skipped.file),
    });
    return;
  }
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  ctx.out.line(
    `Imported ${plural(summary.threads, 'thread')}: ${plural(summary.messagesRead, 'message')} read, ` +
      `${summary.messagesAdded} new, ${plural(summary.mediaFiles, 'media file')}.`,
  );
  if (summary.threadsJoined > 0) {
    ctx.out.line(
      `${plural(summary.threadsJoined, 'thread')} joined the same conversation synced from Instagram ` +
        `(${plural(summary.duplicatesSkipped, 'message')} already there).`,
    );
  }
  if (summary.skippedFiles.length > 0) {
    const folders = summary.skippedFiles.filter((skipped) => skipped.folder).length;
    const files = summary.skippedFiles.length - folders;
    const what = [files > 0 ? plural(files, 'bad file') : '', folders > 0 ? plural(folders, 'unreadable folder') : ''];
    ctx.out.line(`Skipped ${what.filter(Boolean).join(' and ')} (listed above).`);
  }
}

export function registerImport(program: Command, run: CommandRunner): void {
  program
    .command('import')
    .description('import Instagram\'s "Download your information" archive (zip or folder)')
    .argument('<path>', 'the zip file, its unpacked folder, or a folder inside it')
    .option('--no-media', 'do not copy media files')
    .option('--skip-bad', 'import the good threads and list the bad files')
    .option('--timezone <zone>', 'time zone of HTML archives (default: the system one)')
    .action(run(async (ctx: Context, path: string, flags: ImportFlags) => runImport(ctx, path, flags)));
}

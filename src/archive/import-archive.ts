// `igtg import`: an archive → the store, all or nothing. Two ways of working, same result:
//  - in one pass (import-one-pass.ts) when the store can hold the whole import in one transaction
//    (SQLite) and nothing needs the careful way: every file is parsed once;
//  - in two passes (import-two-passes.ts) otherwise: every file is checked before anything is
//    written, then read again to be written in batches. It is the way for --skip-bad (which drops
//    bad threads rather than stop), legacy single-file archives, HTML archives, archives whose
//    owner the heads of the files do not tell, and stores holding threads from `igtg sync` (which
//    the archive's threads may join, match-api-threads.ts).
import { basename } from 'node:path';
import { ArchiveError } from './archive-error.js';
import { importInOnePass } from './import-one-pass.js';
import {
  ARCHIVE_OWNER_META,
  DEFAULT_BATCH_SIZE,
  type ImportOptions,
  type ImportRun,
  type ImportSummary,
} from './import-options.js';
import { importInTwoPasses } from './import-two-passes.js';
import { planArchive } from './layouts.js';
import { folderFailure, unreadableFolder } from './folder-source.js';
import { MediaCopier } from './media-copier.js';
import { withLimits } from './limits.js';
import { openArchiveSource } from './open-source.js';
import type { UnreadableFolder } from './source.js';
import { guessOwnerFromHeads } from './owner-guess.js';
import { usernameFromArchiveName } from './owner.js';

export {
  ARCHIVE_OWNER_META,
  DEFAULT_BATCH_SIZE,
  type ImportOptions,
  type ImportProgressEvent,
  type ImportStore,
  type ImportSummary,
  type SkippedFile,
} from './import-options.js';

/** A message box (inbox, …) or a thread's folder: what can hold conversations, not just media. */
const CONVERSATIONS_FOLDER = /(?:^|\/)messages\/(?:inbox|message_requests|archived_threads)(?:\/[^/]+)?$/;

export async function importArchive(options: ImportOptions): Promise<ImportSummary> {
  const limits = withLimits(options.limits);
  const source = await openArchiveSource(options.path, limits);
  try {
    let plan;
    try {
      plan = planArchive(source.files());
    } catch (error) {
      if (error instanceof ArchiveError) throw new ArchiveError(`${options.path}: ${error.message}`);
      throw error;
    }
    const nothingFound = plan.threads.length === 0 && plan.legacyFiles.length === 0;
    const warn = options.onWarning ?? (() => undefined);
    const unreadable: UnreadableFolder[] = [];
    for (const folder of source.unreadableFolders?.() ?? []) {
      if (CONVERSATIONS_FOLDER.test(folder.path)) unreadable.push(folder);
      // A thread's photos, stickers: the import goes on without their files.
      else warn(`cannot read the folder ${folder.fullPath}: ${folderFailure(folder.error)}; its files are left out`);
    }
    if (unreadable.length > 0 && (!options.skipBad || nothingFound)) {
      throw unreadableFolder(unreadable[0]!.fullPath, unreadable[0]!.error);
    }
    if (nothingFound) {
      throw new ArchiveError(
        `${options.path}: not an Instagram archive (no messages/inbox or messages.json found in it)`,
      );
    }
    const run: ImportRun = {
      options,
      source,
      plan,
      limits,
      batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
      progress: options.onProgress ?? (() => undefined),
      warn,
      media: new MediaCopier(source, options.mediaDir, limits, warn),
      storedThreads: options.store.listThreads ? await options.store.listThreads() : [],
      previousOwner: await options.store.getMeta(ARCHIVE_OWNER_META),
      archiveUsername: usernameFromArchiveName(basename(options.path)),
      skipped: unreadable.map(({ path, error }) => ({
        file: path,
        reason: `cannot read the folder: ${folderFailure(error)}`,
        folder: true,
      })),
    };
    const guess = await onePassOwner(run);
    if (guess !== null) {
      const summary = await importInOnePass(run, guess);
      if (summary) return summary;
    }
    return await importInTwoPasses(run);
  } finally {
    await source.close();
  }
}

/** The owner guess an import in one pass starts from; null when it must take two. */
async function onePassOwner(run: ImportRun): Promise<string | null> {
  const { options, plan } = run;
  const store = options.store;
  if (!store.beginBulk || !store.messagePacker || options.skipBad) return null;
  if (plan.legacyFiles.length > 0 || plan.threads.length === 0) return null;
  if (run.storedThreads.some((thread) => thread.source === 'api')) return null;
  return guessOwnerFromHeads(run.source, plan.threads, {
    previous: run.previousOwner,
    archiveUsername: run.archiveUsername,
  });
}

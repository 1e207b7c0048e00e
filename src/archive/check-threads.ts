// Pass 1 of an import over the archive's threads (the legacy single file aside). A big archive is
// checked on two threads (check-pool.ts) once this pass has read `checkerAfterBytes`: a small one
// is done before a thread would have started.
import { setImmediate } from 'node:timers/promises';
import { ArchiveFileError } from './archive-error.js';
import { CheckPool, type ThreadCheckOutcome } from './check-pool.js';
import type { CheckRequest } from './check-protocol.js';
import { absorb, parsePage, startCheck } from './check-thread.js';
import type { ThreadPlan } from './layouts.js';
import type { ArchiveLimits } from './limits.js';
import type { ArchiveSource } from './source.js';
import { maxBytesFor, readArchiveBytes, readArchiveText } from './thread-file.js';

export type { ThreadCheckOutcome } from './check-pool.js';

/** Bytes read before the checker thread starts. */
export const DEFAULT_CHECKER_AFTER_BYTES = 8 * 1024 * 1024;
/** Threads waiting at the checker thread before the importer checks the next one itself. */
const CHECKER_QUEUE = 2;

export interface CheckThreadsOptions {
  source: ArchiveSource;
  limits: ArchiveLimits;
  timeZone: string;
  skipBad: boolean;
  /** Messages of each page checked (0 for the pages a bad file left unchecked). */
  onPage: (messages: number) => void;
  checkerAfterBytes?: number;
}

/**
 * One outcome per thread, in the plan's order. Once an error that stops the import (any error
 * without skipBad) is known, no further thread is started, so the outcomes may end early; they
 * hold the first such error in the plan's order. (Threads the checker was already given are still
 * checked and counted in progress.)
 */
export async function checkThreads(threads: ThreadPlan[], options: CheckThreadsOptions): Promise<ThreadCheckOutcome[]> {
  const { source, limits, timeZone } = options;
  const checkerAfter = options.checkerAfterBytes ?? DEFAULT_CHECKER_AFTER_BYTES;
  const outcomes: Array<Promise<ThreadCheckOutcome>> = [];
  let pool: CheckPool | null = null;
  let bytesRead = 0;
  let stopped = false;
  const settle = (thread: ThreadPlan, outcome: ThreadCheckOutcome): ThreadCheckOutcome => {
    for (const messages of outcome.counts) options.onPage(messages);
    for (let page = outcome.counts.length; page < thread.files.length; page += 1) options.onPage(0);
    if (outcome.error !== null && (!(outcome.error instanceof ArchiveFileError) || !options.skipBad)) stopped = true;
    return outcome;
  };
  try {
    for (const thread of threads) {
      if (stopped) break;
      if (!pool && bytesRead >= checkerAfter) pool = new CheckPool(limits, timeZone);
      if (pool && pool.busy < CHECKER_QUEUE) {
        const { pages, unreadable, bytes } = await readPages(source, thread, limits);
        bytesRead += bytes;
        // A failure of the checker thread itself is this thread's outcome, so errors keep plan order.
        const checking = pool.check(thread, pages, unreadable).then(
          (outcome) => settle(thread, outcome),
          (error: unknown) => settle(thread, { checked: null, error, counts: [] }),
        );
        outcomes.push(checking);
      } else {
        const { outcome, bytes } = await checkHere(source, thread, limits, timeZone);
        bytesRead += bytes;
        outcomes.push(Promise.resolve(settle(thread, outcome)));
        // Reading a folder never waits on the event loop: without a turn of it, the checker
        // thread's answers would not be heard and it would get nothing more to do.
        if (pool) await setImmediate();
      }
    }
    return await Promise.all(outcomes);
  } finally {
    await pool?.close();
  }
}

async function checkHere(
  source: ArchiveSource,
  thread: ThreadPlan,
  limits: ArchiveLimits,
  timeZone: string,
): Promise<{ outcome: ThreadCheckOutcome; bytes: number }> {
  const checked = startCheck(thread.folder, thread.isRequest);
  const counts: number[] = [];
  let bytes = 0;
  try {
    for (const file of thread.files) {
      const text = await readArchiveText(source, file.path, maxBytesFor(file.format, limits));
      bytes += text.length;
      const page = await parsePage(text, file, limits, timeZone, false);
      absorb(checked.facts, page, checked.names, checked.ownLines);
      counts.push(page.messages.length);
    }
  } catch (error) {
    return { outcome: { checked: null, error, counts }, bytes };
  }
  return { outcome: { checked, error: null, counts }, bytes };
}

/** A thread's pages for the checker thread, each in a buffer of its own; reading stops at an unreadable one. */
async function readPages(
  source: ArchiveSource,
  thread: ThreadPlan,
  limits: ArchiveLimits,
): Promise<{ pages: CheckRequest['pages']; unreadable: CheckRequest['unreadable']; bytes: number }> {
  const pages: CheckRequest['pages'] = [];
  let bytes = 0;
  for (const file of thread.files) {
    try {
      // A copy: the source may reuse its buffer for the next read.
      const data = new Uint8Array(await readArchiveBytes(source, file.path, maxBytesFor(file.format, limits)));
      pages.push({ file, bytes: data });
      bytes += data.length;
    } catch (error) {
      if (!(error instanceof ArchiveFileError)) throw error;
      return { pages, unreadable: { file: error.file, reason: error.reason }, bytes };
    }
  }
  return { pages, unreadable: null, bytes };
}

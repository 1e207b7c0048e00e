// `igtg import`: an archive → the store, all or nothing.
//
// Pass 1 reads and validates every message file (nothing is written); a bad file stops the import
// before anything is committed — or, with skipBad, drops its thread and is reported. Pass 2 reads
// the files again, maps them, copies media, and writes in batches of `batchSize` messages (one
// store transaction each); memory stays bounded whatever the archive size.
// Trade-off: a *store* failure in pass 2 (disk full, connection lost) leaves the earlier batches
// committed; the error says so, and running the import again completes it (it only adds what is
// missing). Archives up to `batchSize` messages are written in a single transaction.
// A conversation already stored from the API (`igtg sync` before the import) gets the archive's
// messages in its own thread, without the ones an API message already holds (match-api-threads.ts).
import { basename } from 'node:path';
import type { MessageKeys } from '../core/conversation-match.js';
import { IgtgError, errorMessage } from '../core/errors.js';
import type { Message, Thread, User } from '../core/model.js';
import { storeMediaStream, mediaExtension } from '../media/content-store.js';
import { keepStoredMediaPaths } from '../media/keep-stored-paths.js';
import type { MessagePacker, Store, WriteBatch } from '../store/store.js';
import { ArchiveError, ArchiveFileError } from './archive-error.js';
import { absorb, newFacts, parsePage } from './check-thread.js';
import { checkThreads } from './check-threads.js';
import { planArchive, resolveMediaPath, type ThreadFileRef, type ThreadPlan } from './layouts.js';
import { parseLegacyFile } from './legacy-thread.js';
import { withLimits, type ArchiveLimits } from './limits.js';
import { apiMessageKeys, matchApiThreads, type MatchStore } from './match-api-threads.js';
import { MessageIdSequence } from './message-id.js';
import { openArchiveSource } from './open-source.js';
import { guessOwner, usernameFromArchiveName } from './owner.js';
import type { ArchiveSource } from './source.js';
import { maxBytesFor, readArchiveText, type ParsedThreadFile } from './thread-file.js';
import {
  appendMessages,
  archiveThreadId,
  mediaUris,
  toThread,
  toUser,
  type MapContext,
  type MediaLookup,
  type ThreadFacts,
} from './to-model.js';

/** Messages per store write: big enough to amortise a transaction, small enough to keep memory flat. */
export const DEFAULT_BATCH_SIZE = 5_000;

/** Store meta key: the archive owner's name found by the last import. */
export const ARCHIVE_OWNER_META = 'archive.owner_name';

/**
 * What the importer needs of the store. One that can also list threads and stream messages (every
 * real adapter) gets archive threads joined to the API threads of the same conversation.
 */
export type ImportStore = Pick<Store, 'write' | 'getMeta'> &
  Partial<Pick<Store, 'listThreads' | 'streamMessages' | 'getMessage' | 'messagePacker'>>;

/** `indexing` (files 0) comes last, while the messages written are indexed for search in one pass. */
export type ImportProgressEvent =
  { type: 'phase'; phase: 'checking' | 'importing' | 'indexing'; files: number } | { type: 'file'; messages: number };

export interface SkippedFile {
  file: string;
  reason: string;
}

export interface ImportOptions {
  path: string;
  store: ImportStore;
  /** The profile's media folder; null skips copying media (--no-media). */
  mediaDir: string | null;
  /** IANA zone of the wall-clock times in HTML archives. */
  timeZone: string;
  skipBad?: boolean;
  limits?: Partial<ArchiveLimits>;
  /** Messages per store write. */
  batchSize?: number;
  /** Extra store meta written with the last batch (e.g. the import time). */
  finalMeta?: () => Record<string, string>;
  onProgress?: (event: ImportProgressEvent) => void;
  /** Bytes the checking pass reads before it starts a second thread (check-threads.ts); Infinity never. */
  checkerAfterBytes?: number;
  /** Non-fatal problems (a media file that cannot be copied). */
  onWarning?: (message: string) => void;
}

export interface ImportSummary {
  threads: number;
  messagesRead: number;
  messagesAdded: number;
  mediaFiles: number;
  skippedFiles: SkippedFile[];
  owner: string | null;
  /** Archive threads whose messages went into the API thread of the same conversation. */
  threadsJoined: number;
  /** Archive messages not stored because an API message of the same thread already holds them. */
  duplicatesSkipped: number;
}

interface PagesUnit {
  kind: 'pages';
  plan: ThreadPlan;
  facts: ThreadFacts;
}

interface LegacyUnit {
  kind: 'legacy';
  file: string;
  facts: ThreadFacts[];
}

type Unit = PagesUnit | LegacyUnit;

function canMatch(store: ImportStore): store is ImportStore & MatchStore {
  return typeof store.listThreads === 'function' && typeof store.streamMessages === 'function';
}

const FATAL_WRITE_CODES = new Set(['ENOSPC', 'EDQUOT', 'EROFS']);

/** Reads a page for the writing pass. */
async function loadPage(
  source: ArchiveSource,
  file: ThreadFileRef,
  limits: ArchiveLimits,
  timeZone: string,
): Promise<ParsedThreadFile> {
  const text = await readArchiveText(source, file.path, maxBytesFor(file.format, limits));
  return parsePage(text, file, limits, timeZone, true);
}

class BatchWriter {
  /** The page's messages being mapped; with a packer, packed and cleared after each page. */
  messages: Message[] = [];
  private packer: MessagePacker | null;
  added = 0;
  written = 0;
  skipped = 0;
  private writes = 0;
  private deferred = false;
  private inFlight: Promise<void> = Promise.resolve();
  private failure: unknown = null;

  constructor(
    private readonly store: ImportStore,
    private readonly batchSize: number,
    private head: { users: User[]; threads: Thread[] } | null,
  ) {
    this.packer = store.messagePacker?.() ?? null;
  }

  /** Messages waiting for the next write. */
  private get pending(): number {
    return this.messages.length + (this.packer?.count ?? 0);
  }

  get full(): boolean {
    return this.pending >= this.batchSize;
  }

  /**
   * Maps a page into batches, writing each full one, so a 10,000-message page never piles up.
   * Messages that `held` matches (an API message holds them) are left out. In a thread stored
   * before (`stored`), media files an earlier import kept stay linked when this one copies none.
   */
  async add(page: ParsedThreadFile, context: MapContext, held: MessageKeys | null, stored: boolean): Promise<void> {
    let next = 0;
    while (next < page.messages.length) {
      const start = this.messages.length;
      next = appendMessages(page, context, this.messages, next, this.batchSize - this.pending);
      if (held) this.leaveOut(start, held);
      if (stored && this.store.getMessage) {
        await keepStoredMediaPaths({ getMessage: this.store.getMessage.bind(this.store) }, this.messages.slice(start));
      }
      this.pack();
      if (this.full) await this.flush();
    }
  }

  /** True when earlier batches left their messages for the last to index. */
  get indexPending(): boolean {
    return this.deferred;
  }

  /** After a failure: makes what the earlier batches wrote searchable; a failure here changes nothing. */
  async settle(): Promise<void> {
    await this.inFlight;
    if (!this.deferred) return;
    try {
      await this.store.write({});
      this.deferred = false;
    } catch {
      // The next write of any kind indexes them.
    }
  }

  private pack(): void {
    if (!this.packer) return;
    for (const message of this.messages) this.packer.add(message);
    this.messages.length = 0;
  }

  private leaveOut(start: number, held: MessageKeys): void {
    let kept = start;
    for (let i = start; i < this.messages.length; i += 1) {
      const message = this.messages[i]!;
      if (held.matches(message)) this.skipped += 1;
      else this.messages[kept++] = message;
    }
    this.messages.length = kept;
  }

  /**
   * Sends the batch to the store. Batches before the last (the one with `meta`) leave the search
   * index to the last, which indexes all of them in one sorted pass (write-batch.ts). One write
   * stays in flight while the next batch is made (a store may write on another thread or server);
   * its failure surfaces at the next flush, and the last flush waits for everything.
   */
  async flush(meta?: Record<string, string>): Promise<void> {
    const batch: WriteBatch = { deferSearchIndex: meta === undefined };
    if (this.packer) {
      batch.packed = this.packer;
      this.packer = this.store.messagePacker!();
    } else {
      batch.messages = this.messages;
      this.messages = [];
    }
    if (this.head) {
      batch.users = this.head.users;
      batch.threads = this.head.threads;
    }
    if (meta) batch.meta = meta;
    this.head = null;
    await this.landed();
    this.inFlight = this.send(batch);
    if (meta) await this.landed();
  }

  /** Starts the write; nothing here keeps the batch's messages alive while it runs. */
  private send(batch: WriteBatch): Promise<void> {
    const count = batch.packed?.count ?? batch.messages!.length;
    const deferred = batch.deferSearchIndex === true;
    return this.store.write(batch).then(
      (result) => {
        this.writes += 1;
        this.deferred = deferred;
        this.added += result.messagesAdded;
        this.written += count;
      },
      (error: unknown) => {
        this.failure =
          this.writes === 0
            ? error
            : new IgtgError(
                `the store failed after ${this.written} messages were written (${errorMessage(error)}); run the import again to finish — it only adds what is missing`,
                undefined,
                { cause: error },
              );
      },
    );
  }

  /** Waits for the write in flight; throws its failure. */
  private async landed(): Promise<void> {
    await this.inFlight;
    if (this.failure) throw this.failure;
  }
}

export async function importArchive(options: ImportOptions): Promise<ImportSummary> {
  const limits = withLimits(options.limits);
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const progress = options.onProgress ?? (() => undefined);
  const warn = options.onWarning ?? (() => undefined);
  const skipped: SkippedFile[] = [];

  const source = await openArchiveSource(options.path, limits);
  try {
    let plan;
    try {
      plan = planArchive(source.files());
    } catch (error) {
      if (error instanceof ArchiveError) throw new ArchiveError(`${options.path}: ${error.message}`);
      throw error;
    }
    if (plan.threads.length === 0 && plan.legacyFiles.length === 0) {
      throw new ArchiveError(
        `${options.path}: not an Instagram archive (no messages/inbox or messages.json found in it)`,
      );
    }

    // ---- pass 1: read and check everything, write nothing
    const totalFiles = plan.threads.reduce((sum, thread) => sum + thread.files.length, 0) + plan.legacyFiles.length;
    progress({ type: 'phase', phase: 'checking', files: totalFiles });
    const units: Unit[] = [];
    const names = new Map<string, boolean>();
    const ownLines = new Map<string, number>();
    const reject = (error: unknown) => {
      if (!(error instanceof ArchiveFileError) || !options.skipBad) throw error;
      skipped.push({ file: error.file, reason: error.reason });
    };
    const outcomes = await checkThreads(plan.threads, {
      source,
      limits,
      timeZone: options.timeZone,
      skipBad: options.skipBad === true,
      onPage: (messages) => progress({ type: 'file', messages }),
      checkerAfterBytes: options.checkerAfterBytes,
    });
    for (const [index, outcome] of outcomes.entries()) {
      if (!outcome.checked) {
        reject(outcome.error);
        continue;
      }
      for (const [name, isUsername] of outcome.checked.names) if (!names.has(name)) names.set(name, isUsername);
      for (const [name, count] of outcome.checked.ownLines) ownLines.set(name, (ownLines.get(name) ?? 0) + count);
      units.push({ kind: 'pages', plan: plan.threads[index]!, facts: outcome.checked.facts });
    }
    for (const file of plan.legacyFiles) {
      try {
        const text = await readArchiveText(source, file, limits.maxJsonBytes);
        const threads = parseLegacyFile(text, file, limits.maxJsonDepth);
        const facts = threads.map((thread) => {
          const one = newFacts(thread.folder, false, true);
          absorb(one, thread, names, ownLines);
          return one;
        });
        units.push({ kind: 'legacy', file, facts });
        progress({ type: 'file', messages: threads.reduce((sum, thread) => sum + thread.messages.length, 0) });
      } catch (error) {
        reject(error);
        progress({ type: 'file', messages: 0 });
      }
    }

    const allFacts = units.flatMap((unit) => (unit.kind === 'pages' ? [unit.facts] : unit.facts));
    const owner = guessOwner({
      threads: allFacts.map((facts) => ({ participants: facts.participants, title: facts.title })),
      ownLineSenders: ownLines,
      previous: await options.store.getMeta(ARCHIVE_OWNER_META),
      archiveUsername: usernameFromArchiveName(basename(options.path)),
    });

    // ---- pass 2: map, copy media, write in batches
    const users = [...names].map(([name, isUsername]) => toUser(name, isUsername));
    const archiveThreads = allFacts.map((facts) => toThread(facts, owner));
    const storedThreads = options.store.listThreads ? await options.store.listThreads() : [];
    // Legacy archives name people by username, which the API's display names cannot match.
    const joined = canMatch(options.store)
      ? await matchApiThreads(
          options.store,
          archiveThreads.filter((_, i) => !allFacts[i]!.namesAreUsernames),
          owner,
          storedThreads,
        )
      : new Map<string, Thread>();
    const threads = archiveThreads.map((thread) => joined.get(thread.id) ?? thread);
    // Threads an earlier import or sync stored: their messages may have media files kept already.
    const storedBefore = new Set(storedThreads.map((thread) => thread.id));
    const writer = new BatchWriter(options.store, batchSize, { users, threads });
    /** Where a thread's messages go, and the API messages already there. */
    const targetOf = async (folder: string): Promise<{ threadId: string; held: MessageKeys | null }> => {
      const api = joined.get(archiveThreadId(folder));
      if (!api || !canMatch(options.store)) return { threadId: archiveThreadId(folder), held: null };
      return { threadId: api.id, held: await apiMessageKeys(options.store, api.id) };
    };
    const stored = new Map<string, string | null>();
    let messagesRead = 0;
    const filesToWrite = units.reduce((sum, unit) => sum + (unit.kind === 'pages' ? unit.plan.files.length : 1), 0);
    progress({ type: 'phase', phase: 'importing', files: filesToWrite });

    const copyMedia = async (page: ParsedThreadFile, file: ThreadFileRef): Promise<MediaLookup> => {
      const byUri = new Map<string, string | null>();
      if (!options.mediaDir) return () => null;
      for (const message of page.messages) {
        for (const uri of mediaUris(message)) {
          if (byUri.has(uri)) continue;
          const archivePath = resolveMediaPath(uri, file, source);
          if (!archivePath) {
            byUri.set(uri, null);
            continue;
          }
          if (!stored.has(archivePath)) stored.set(archivePath, await copyOne(archivePath));
          byUri.set(uri, stored.get(archivePath)!);
        }
      }
      return (uri) => byUri.get(uri) ?? null;
    };
    const copyOne = async (archivePath: string): Promise<string | null> => {
      try {
        const input = await source.open(archivePath, limits.maxEntryBytes);
        const result = await storeMediaStream(options.mediaDir!, input, {
          ext: mediaExtension(archivePath),
          maxBytes: limits.maxEntryBytes,
        });
        return result.path;
      } catch (error) {
        if (FATAL_WRITE_CODES.has((error as NodeJS.ErrnoException).code ?? '')) {
          throw new IgtgError(`cannot copy media into ${options.mediaDir}: ${errorMessage(error)}`, undefined, {
            cause: error,
          });
        }
        warn(`${archivePath}: media file not copied (${errorMessage(error)})`);
        return null;
      }
    };

    try {
      for (const unit of units) {
        if (unit.kind === 'pages') {
          const { threadId, held } = await targetOf(unit.facts.folder);
          const context: MapContext = {
            threadId,
            owner,
            ids: new MessageIdSequence(unit.facts.folder),
            media: () => null,
          };
          for (const file of unit.plan.files) {
            const page = await loadPage(source, file, limits, options.timeZone);
            context.media = await copyMedia(page, file);
            await writer.add(page, context, held, storedBefore.has(threadId));
            messagesRead += page.messages.length;
            progress({ type: 'file', messages: page.messages.length });
          }
        } else {
          const text = await readArchiveText(source, unit.file, limits.maxJsonBytes);
          let count = 0;
          for (const thread of parseLegacyFile(text, unit.file, limits.maxJsonDepth)) {
            const { threadId, held } = await targetOf(thread.folder);
            const context = {
              threadId,
              owner,
              ids: new MessageIdSequence(thread.folder),
              media: () => null,
            };
            await writer.add(thread, context, held, storedBefore.has(threadId));
            count += thread.messages.length;
          }
          messagesRead += count;
          progress({ type: 'file', messages: count });
        }
      }
      const meta: Record<string, string> = { ...options.finalMeta?.() };
      if (owner) meta[ARCHIVE_OWNER_META] = owner;
      if (writer.indexPending) progress({ type: 'phase', phase: 'indexing', files: 0 });
      await writer.flush(meta);
    } catch (error) {
      await writer.settle();
      throw error;
    }

    return {
      threads: allFacts.length,
      messagesRead,
      messagesAdded: writer.added,
      mediaFiles: [...stored.values()].filter((path) => path !== null).length,
      skippedFiles: skipped,
      owner,
      threadsJoined: joined.size,
      duplicatesSkipped: writer.skipped,
    };
  } finally {
    await source.close();
  }
}

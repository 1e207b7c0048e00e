// Writes an import's messages in batches: each page is mapped and packed as it is read, and writes
// stay in flight while the next batches are made (a store may write on another thread).
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { MessageKeys } from '../core/conversation-match.js';
import { IgtgError, errorMessage } from '../core/errors.js';
import type { Message, Thread, User } from '../core/model.js';
import { keepStoredMediaPaths } from '../media/keep-stored-paths.js';
import type { MessagePacker, Store, WriteBatch } from '../store/store.js';
import type { ParsedThreadFile } from './thread-file.js';
import { appendMessages, type MapContext } from './to-model.js';

/** What the batch writer needs of the store. */
export type BatchStore = Pick<Store, 'write'> & Partial<Pick<Store, 'getMessage' | 'messagePacker'>>;

/**
 * Packed batches a bulk import keeps in flight. The SQLite writer indexes a chunk of rows for
 * search now and then (write-batch.ts), a pause of a fraction of a second: 16 batches of 5,000
 * keep the importer parsing meanwhile, for ~15 MB more memory.
 */
const BULK_WRITES_IN_FLIGHT = 16;

export class BatchWriter {
  /** The page's messages being mapped; with a packer, packed and cleared after each page. */
  messages: Message[] = [];
  private packer: MessagePacker | null;
  added = 0;
  written = 0;
  skipped = 0;
  private writes = 0;
  private deferred = false;
  /** Writes sent and not settled yet, oldest first (they settle in order); none ever rejects. */
  private readonly inFlight: Array<Promise<void>> = [];
  private readonly maxInFlight: number;
  private failure: unknown = null;

  /** Users and threads for the next write, which stores them before its messages. */
  private users: User[] = [];
  private threads: Thread[] = [];

  /**
   * `transactional`: every write joins one bulk transaction (Store.beginBulk), so a failure leaves
   * nothing behind and its error needs no "run it again".
   */
  constructor(
    private readonly store: BatchStore,
    private readonly batchSize: number,
    head: { users: User[]; threads: Thread[] } | null,
    private readonly transactional = false,
  ) {
    this.packer = store.messagePacker?.() ?? null;
    // Outside one transaction, a failed write must stop the next before it is sent ("run it again").
    this.maxInFlight = transactional && this.packer ? BULK_WRITES_IN_FLIGHT : 1;
    if (head) this.include(head);
  }

  /** Users and threads to write with the next batch; a thread listed twice ends as the later one. */
  include(head: { users?: User[]; threads?: Thread[] }): void {
    // concat, not push(...): an archive can name more people than a call takes arguments.
    if (head.users) this.users = this.users.concat(head.users);
    if (head.threads) this.threads = this.threads.concat(head.threads);
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

  /** After a failure in a bulk transaction: waits for the writes in flight, whatever their outcome. */
  async drain(): Promise<void> {
    await Promise.all(this.inFlight);
  }

  /** After a failure: makes what the earlier batches wrote searchable; a failure here changes nothing. */
  async settle(): Promise<void> {
    await this.drain();
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
   * index to the store, which indexes their rows in big sorted chunks, the rest with the last
   * (write-batch.ts). Writes stay
   * in flight while the next batches are made (a store may write on another thread or server); a
   * failure surfaces at a later flush, and the last flush waits for everything.
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
    if (this.users.length > 0) batch.users = this.users;
    if (this.threads.length > 0) batch.threads = this.threads;
    if (meta) batch.meta = meta;
    this.users = [];
    this.threads = [];
    while (this.inFlight.length >= this.maxInFlight) await this.inFlight.shift();
    if (this.failure) throw this.failure;
    this.inFlight.push(this.send(batch));
    // An import reads its files synchronously and rarely waits for a write: without a turn of the
    // event loop now and then, Ctrl+C, SIGTERM and the profile lock's refresh timer would wait for
    // the whole import (the lock then looks abandoned to the next import or sync).
    await nextTurn();
    if (meta) await this.landed();
  }

  /** Starts the write; nothing here keeps the batch's messages alive while it runs. */
  private send(batch: WriteBatch): Promise<void> {
    const count = batch.packed?.count ?? batch.messages!.length;
    const deferred = batch.deferSearchIndex === true;
    // Known as soon as it is sent: the last flush may come before earlier writes have landed.
    if (deferred) this.deferred = true;
    return this.store.write(batch).then(
      (result) => {
        this.writes += 1;
        if (!deferred) this.deferred = false;
        this.added += result.messagesAdded;
        this.written += count;
      },
      (error: unknown) => {
        // The first failure is the one to tell: writes sent after it may fail because of it.
        this.failure ??=
          this.writes === 0 || this.transactional
            ? error
            : new IgtgError(
                `the store failed after ${this.written} messages were written (${errorMessage(error)}); run the import again to finish — it only adds what is missing`,
                undefined,
                { cause: error },
              );
      },
    );
  }

  /** Waits for the writes in flight; throws a failure. */
  private async landed(): Promise<void> {
    await this.drain();
    if (this.failure) throw this.failure;
  }
}

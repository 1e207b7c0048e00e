// The checking pass of a big import on two threads: the importer reads a thread's pages and either
// checks them itself or hands their bytes to a checker thread (check-worker.ts), whichever is free,
// so decoding and parsing, most of the pass, run on both cores. The outcome of each thread is the
// one the importer's own check gives (check-thread.ts runs on both sides).
import type { Worker } from 'node:worker_threads';
import { PendingReplies } from '../core/pending-replies.js';
import { startWorker } from '../core/worker-module.js';
import { ArchiveFileError } from './archive-error.js';
import type { CheckReply, CheckRequest } from './check-protocol.js';
import type { CheckedThread } from './check-thread.js';
import type { ThreadPlan } from './layouts.js';
import type { ArchiveLimits } from './limits.js';

/** A thread's check: what it learnt, or the bad file that stopped it; messages of each page checked. */
export interface ThreadCheckOutcome {
  checked: CheckedThread | null;
  error: unknown;
  counts: number[];
}

export class CheckPool {
  private readonly worker: Worker;
  private readonly pending = new PendingReplies<ThreadCheckOutcome>();

  constructor(
    private readonly limits: ArchiveLimits,
    private readonly timeZone: string,
  ) {
    this.worker = startWorker(import.meta.url, 'check-worker', {});
    this.worker.on('message', (reply: CheckReply) => this.receive(reply));
    this.worker.on('error', (error) =>
      this.pending.fail(new Error(`the import's checker thread failed: ${error.message}`)),
    );
    this.worker.on('exit', () => this.pending.fail(new Error("the import's checker thread stopped")));
  }

  /** Threads sent and not answered yet. */
  get busy(): number {
    return this.pending.size;
  }

  /** Checks a thread whose pages were read (`bytes` are handed over and unusable here afterwards). */
  check(
    thread: ThreadPlan,
    pages: CheckRequest['pages'],
    unreadable: CheckRequest['unreadable'],
  ): Promise<ThreadCheckOutcome> {
    if (this.pending.failed) return Promise.reject(this.pending.failed);
    const { id, reply } = this.pending.open();
    const request: CheckRequest = {
      id,
      folder: thread.folder,
      isRequest: thread.isRequest,
      pages,
      unreadable,
      limits: this.limits,
      timeZone: this.timeZone,
    };
    this.worker.postMessage(
      request,
      pages.map((page) => page.bytes.buffer as ArrayBuffer),
    );
    return reply;
  }

  async close(): Promise<void> {
    this.pending.fail(new Error("the import's checker thread was closed"));
    await this.worker.terminate();
  }

  private receive(reply: CheckReply): void {
    const pending = this.pending.take(reply.id);
    if (!pending) return;
    if (reply.type === 'checked') {
      const checked: CheckedThread = {
        facts: reply.facts,
        names: new Map(reply.names),
        ownLines: new Map(reply.ownLines),
      };
      pending.resolve({ checked, error: null, counts: reply.counts });
    } else if (reply.type === 'bad') {
      pending.resolve({ checked: null, error: new ArchiveFileError(reply.file, reply.reason), counts: reply.counts });
    } else {
      const error = new Error(reply.message);
      error.name = reply.name;
      pending.reject(error);
    }
  }
}

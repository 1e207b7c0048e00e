// Writes on a thread of their own. A store opened with `writerThread` hands every write() to a
// worker with its own connection, so the caller (an import) prepares its next batch while SQLite
// writes the last one: on two cores the import's parsing and SQLite's writing run side by side.
// Writes keep their order; reads stay on the caller's connection and see each write once it is done.
import type { Worker } from 'node:worker_threads';
import { PendingReplies } from '../../core/pending-replies.js';
import { startWorker } from '../../core/worker-module.js';
import { StoreError } from '../../core/errors.js';
import type { WriteBatch, WriteResult } from '../store.js';
import { packedBuffers, packedRowsOf, unpackStrings, type PackedRows } from './row-codec.js';
import {
  threadErrorToError,
  type BulkStep,
  type WriterData,
  type WriterReply,
  type WriterRequest,
} from './writer-protocol.js';

export class WriterThread {
  private readonly worker: Worker;
  private readonly pending = new PendingReplies<WriteResult>();
  /** Settles when the last queued write has. */
  private last: Promise<unknown> = Promise.resolve();
  private readonly exited: Promise<void>;

  constructor(file: string, busyTimeoutMs: number, directLoad: boolean) {
    const data: WriterData = { file, busyTimeoutMs, directLoad };
    // A young generation of 12 MB rather than the default 48: a batch's rows (~2 MB) still die
    // young, and the thread adds ~30 MB less to an import's peak memory.
    this.worker = startWorker(import.meta.url, 'writer-worker', {
      workerData: data,
      resourceLimits: { maxYoungGenerationSizeMb: 12 },
    });
    // Idle, the thread does not keep the process alive; a pending write does (write()).
    this.worker.unref();
    this.worker.on('message', (reply: WriterReply) => this.receive(reply));
    this.worker.on('error', (error) => this.stop(new StoreError(`the store's writer thread failed: ${error.message}`)));
    this.exited = new Promise((resolve) => {
      this.worker.on('exit', () => {
        this.stop(new StoreError("the store's writer thread stopped"));
        resolve();
      });
    });
  }

  /** Checks and packs the messages here (bad input fails at once), then queues the write. */
  write(batch: WriteBatch): Promise<WriteResult> {
    if (this.pending.failed) return Promise.reject(this.pending.failed);
    let rest: Omit<WriteBatch, 'messages'>;
    let rows: PackedRows | null;
    try {
      const { messages: _messages, packed: _packed, ...others } = batch;
      rest = others;
      rows = packedRowsOf(batch);
    } catch (error) {
      return Promise.reject(error);
    }
    const { id, reply: written } = this.pending.open();
    this.send({ type: 'write', id, batch: rest, rows }, rows ? packedBuffers(rows) : []);
    this.last = written.catch(() => undefined);
    return written;
  }

  /** A step of a bulk transaction (Store.beginBulk), in order with the writes. */
  async bulk(step: BulkStep): Promise<void> {
    if (this.pending.failed) throw this.pending.failed;
    const { id, reply } = this.pending.open();
    this.send({ type: 'bulk', id, step }, []);
    this.last = reply.catch(() => undefined);
    await reply;
  }

  private send(request: WriterRequest, transfer: ArrayBuffer[]): void {
    if (this.pending.size === 1) this.worker.ref();
    this.worker.postMessage(request, transfer);
  }

  /** Lets the queued writes finish, then closes the thread's connection. */
  async close(): Promise<void> {
    await this.last;
    if (!this.pending.failed) this.worker.postMessage({ type: 'close' } satisfies WriterRequest);
    this.worker.ref();
    await this.exited;
  }

  private receive(reply: WriterReply): void {
    if (reply.type === 'fatal') {
      this.stop(threadErrorToError(reply.error));
      return;
    }
    const pending = this.pending.take(reply.id);
    if (!pending) return;
    if (this.pending.size === 0) this.worker.unref();
    if (reply.type === 'done') {
      pending.resolve({ messagesAdded: reply.messagesAdded, addedMessageIds: unpackStrings(reply.addedMessageIds) });
    } else pending.reject(threadErrorToError(reply.error));
  }

  /** Fails every queued write and every later one with `error`. */
  private stop(error: Error): void {
    this.pending.fail(error);
    void this.worker.terminate();
  }
}

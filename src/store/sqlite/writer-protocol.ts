// Messages between the store and its writer thread (writer-thread.ts, writer-worker.ts).
import { StoreError, errorMessage } from '../../core/errors.js';
import type { WriteBatch } from '../store.js';
import type { PackedRows, PackedStrings } from './row-codec.js';

export interface WriterData {
  file: string;
  busyTimeoutMs: number;
  /** The store started a direct load (direct-load.ts) for this writer to write. */
  directLoad: boolean;
}

/** What the bulk requests do to the writer's connection (store.beginBulk()). */
export type BulkStep = 'begin' | 'commit' | 'rollback';

export type WriterRequest =
  | { type: 'write'; id: number; batch: Omit<WriteBatch, 'messages'>; rows: PackedRows | null }
  | { type: 'bulk'; id: number; step: BulkStep }
  | { type: 'close' };

/** An error as it crosses the thread boundary: StoreErrors stay StoreErrors, the rest keep name and code. */
export interface ThreadError {
  store: boolean;
  name: string;
  message: string;
  code?: string;
}

export type WriterReply =
  | { type: 'done'; id: number; messagesAdded: number; addedMessageIds: PackedStrings }
  | { type: 'failed'; id: number; error: ThreadError }
  | { type: 'fatal'; error: ThreadError };

export function describeThreadError(error: unknown): ThreadError {
  const code = (error as { code?: unknown } | null)?.code;
  return {
    store: error instanceof StoreError,
    name: error instanceof Error ? error.name : 'Error',
    message: errorMessage(error),
    ...(typeof code === 'string' ? { code } : {}),
  };
}

export function threadErrorToError(error: ThreadError): Error {
  if (error.store) return new StoreError(error.message);
  const rebuilt = new Error(error.message) as Error & { code?: string };
  rebuilt.name = error.name;
  if (error.code) rebuilt.code = error.code;
  return rebuilt;
}

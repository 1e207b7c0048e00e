// What an import is given and gives back (import-archive.ts), shared by its two ways of working.
import type { ThreadSummary } from '../core/model.js';
import type { Store } from '../store/store.js';
import type { ArchivePlan } from './layouts.js';
import type { ArchiveLimits } from './limits.js';
import type { MediaCopier } from './media-copier.js';
import type { ArchiveSource } from './source.js';

/** Messages per store write: big enough to amortise a transaction, small enough to keep memory flat. */
export const DEFAULT_BATCH_SIZE = 5_000;

/** Store meta key: the archive owner's name found by the last import. */
export const ARCHIVE_OWNER_META = 'archive.owner_name';

/**
 * What the importer needs of the store. One that can also list threads and stream messages (every
 * real adapter) gets archive threads joined to the API threads of the same conversation; one with
 * bulk transactions and a packer (SQLite) can be imported into in one pass (import-archive.ts).
 */
export type ImportStore = Pick<Store, 'write' | 'getMeta'> &
  Partial<Pick<Store, 'listThreads' | 'streamMessages' | 'getMessage' | 'messagePacker' | 'beginBulk'>>;

/**
 * `indexing` (files 0) comes after the files, while the messages written are indexed for search in
 * one pass; `saving` (files 0) last, while a store holding the import in one transaction commits it.
 * An import done in one pass has no `checking` phase.
 */
export type ImportProgressEvent =
  | { type: 'phase'; phase: 'checking' | 'importing' | 'indexing' | 'saving'; files: number }
  | { type: 'file'; messages: number };

export interface SkippedFile {
  file: string;
  reason: string;
  /** A folder that could not be read, rather than a bad file. */
  folder?: boolean;
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

/** An import under way: what both ways of working are given (import-archive.ts makes it). */
export interface ImportRun {
  options: ImportOptions;
  source: ArchiveSource;
  plan: ArchivePlan;
  limits: ArchiveLimits;
  batchSize: number;
  progress: (event: ImportProgressEvent) => void;
  warn: (message: string) => void;
  /** The store's threads before the import. */
  storedThreads: ThreadSummary[];
  /** The owner an earlier import found (store meta). */
  previousOwner: string | null;
  /** The username in the archive's file name, if it has the usual form. */
  archiveUsername: string | null;
  /** Copies the archive's media: one for the whole run, so an import started over copies nothing twice. */
  media: MediaCopier;
  /** What --skip-bad left out before any file was read (folders that could not be read). */
  skipped: SkippedFile[];
}

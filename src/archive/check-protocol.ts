// Messages between an import and its checker thread (check-pool.ts, check-worker.ts).
import type { ThreadFileRef } from './layouts.js';
import type { ArchiveLimits } from './limits.js';
import type { ThreadFacts } from './to-model.js';

export interface CheckRequest {
  id: number;
  folder: string;
  isRequest: boolean;
  /** The thread's pages that could be read, oldest first, with their bytes (transferred). */
  pages: Array<{ file: ThreadFileRef; bytes: Uint8Array }>;
  /** The page that could not be read, after `pages`. */
  unreadable: { file: string; reason: string } | null;
  limits: ArchiveLimits;
  timeZone: string;
}

export type CheckReply =
  | {
      type: 'checked';
      id: number;
      facts: ThreadFacts;
      names: Array<[string, boolean]>;
      ownLines: Array<[string, number]>;
      /** Messages of each page. */
      counts: number[];
    }
  /** A bad file (ArchiveFileError); `counts` holds the pages before it. */
  | { type: 'bad'; id: number; file: string; reason: string; counts: number[] }
  /** Anything else went wrong: a bug, reported as such. */
  | { type: 'crashed'; id: number; name: string; message: string };

// One page of a thread (message_N.json or message_N.html), read from the archive within bounds.
import { isAscii } from 'node:buffer';
import { ArchiveFileError } from './archive-error.js';
import { formatBytes, type ArchiveLimits } from './limits.js';
import type { MetaMessage } from './meta-schema.js';
import { TooLargeError } from './read-limited.js';
import type { ArchiveSource } from './source.js';

export interface ParsedThreadFile {
  title: string | null;
  participants: string[];
  /** The file says it is a group (thread_type, group image, join link, or more than two people). */
  isGroupHint: boolean;
  /** As in the file: newest first. */
  messages: MetaMessage[];
  /** The original item of each message when it differs from `messages` (legacy files); else null. */
  raws: unknown[] | null;
  /**
   * The time to store for each message when it differs from its timestamp_ms (HTML pages, whose
   * minute times are spread by page order); else null. Message ids keep using timestamp_ms.
   */
  sentAt: number[] | null;
  /** False when the strings of `messages` were left as Meta wrote them (the checking pass). */
  repaired: boolean;
}

/** Reads a file of the archive, turning size and I/O failures into errors that name it. */
export async function readArchiveText(source: ArchiveSource, path: string, maxBytes: number): Promise<string> {
  return decodeArchiveText(await readArchiveBytes(source, path, maxBytes));
}

/** The file's bytes; they may live in a buffer the source's next read reuses. */
export async function readArchiveBytes(source: ArchiveSource, path: string, maxBytes: number): Promise<Buffer> {
  try {
    return await source.read(path, maxBytes);
  } catch (error) {
    if (error instanceof TooLargeError) {
      throw new ArchiveFileError(path, `larger than the ${formatBytes(maxBytes)} allowed for a message file`);
    }
    throw new ArchiveFileError(path, `cannot read it: ${(error as Error).message}`, { cause: error });
  }
}

/** A file's bytes as text. Meta's JSON is pure ASCII (every other character is escaped): latin1 is the same and much faster. */
export function decodeArchiveText(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

export function maxBytesFor(format: 'json' | 'html', limits: ArchiveLimits): number {
  return format === 'json' ? limits.maxJsonBytes : limits.maxHtmlBytes;
}

// One page of a thread (message_N.json or message_N.html), read from the archive within bounds.
import { isAscii, isUtf8 } from 'node:buffer';
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

/** Reads a file of the archive, turning size, I/O and encoding failures into errors that name it. */
export async function readArchiveText(source: ArchiveSource, path: string, maxBytes: number): Promise<string> {
  return decodeArchiveText(await readArchiveBytes(source, path, maxBytes), path);
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

/**
 * A file's bytes as text. Meta's JSON is pure ASCII (every other character is escaped): latin1 is
 * the same and much faster. Anything else must be UTF-8: a file saved in another encoding (an
 * edited page in Latin-1, UTF-16) would otherwise be stored with its accents turned into U+FFFD.
 */
export function decodeArchiveText(bytes: Buffer, path: string): string {
  if (isAscii(bytes)) return bytes.toString('latin1');
  if (!isUtf8(bytes)) throw new ArchiveFileError(path, 'not UTF-8 text (Meta writes its archives in UTF-8)');
  return bytes.toString('utf8');
}

export function maxBytesFor(format: 'json' | 'html', limits: ArchiveLimits): number {
  return format === 'json' ? limits.maxJsonBytes : limits.maxHtmlBytes;
}

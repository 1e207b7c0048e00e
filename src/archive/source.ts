// What the importer reads from: a zip file or a folder, seen as a flat list of archive-relative
// POSIX paths. Both sources refuse anything that could escape the archive (".." or absolute
// entries, symbolic links pointing outside) before a single byte is parsed.
import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import { TooLargeError } from './read-limited.js';

export interface UnreadableFolder {
  /** Archive-relative. */
  path: string;
  /** Where it is on disk, for messages. */
  fullPath: string;
  error: unknown;
}

export interface ArchiveSource {
  readonly kind: 'zip' | 'folder';
  /** The path the user gave, for messages. */
  readonly label: string;
  /** Every regular file the source exposes, as archive-relative POSIX paths. */
  files(): readonly string[];
  has(path: string): boolean;
  /**
   * The whole file, or TooLargeError beyond `maxBytes`. The bytes may live in a buffer the next
   * read reuses: use them (decode them) before reading again, and read one file at a time.
   */
  read(path: string, maxBytes: number): Promise<Buffer>;
  /**
   * Folders below the messages folder that could not be read (archive-relative), with why: the
   * import stops naming the first, or with --skip-bad lists them. Only folder sources have any.
   */
  unreadableFolders?(): readonly UnreadableFolder[];
  /** Up to the first `bytes` of the file (a copy of its own). */
  readHead(path: string, bytes: number): Promise<Buffer>;
  /** A stream of the file that fails with TooLargeError beyond `maxBytes`. */
  open(path: string, maxBytes: number): Promise<Readable>;
  close(): Promise<void>;
}

/** Passes bytes through and fails once more than `maxBytes` went by. */
export function byteLimit(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      seen += chunk.length;
      if (seen > maxBytes) callback(new TooLargeError(maxBytes));
      else callback(null, chunk);
    },
  });
}

/** `input` through byteLimit; an error on either side reaches the reader (unlike `.pipe`). */
export function limited(input: Readable, maxBytes: number): Readable {
  return pipeline(input, byteLimit(maxBytes), () => undefined);
}

/** True for a normalized relative path that stays inside its root. */
export function isSafeRelativePath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.includes('\\') || /^[A-Za-z]:/.test(path)) return false;
  if (path.includes('\u0000')) return false;
  return path.split('/').every((segment) => segment !== '..');
}

/** Up to the first `bytes` of a stream; the rest is not read. */
export async function headOf(input: Readable, bytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of input) {
      chunks.push(chunk as Buffer);
      total += (chunk as Buffer).length;
      if (total >= bytes) break;
    }
  } finally {
    input.destroy();
  }
  return Buffer.concat(chunks).subarray(0, bytes);
}

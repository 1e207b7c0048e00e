// The profile's media folder, content-addressed: a file is kept once, at
// `<mediaDir>/<sha256[0:2]>/<sha256>.<ext>` (folders 0700, files 0600), whoever stored it
// (archive import, Instagram sync). Callers keep the returned relative path.
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, link, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { extname, isAbsolute, join, normalize, sep } from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { makeDir } from '../core/make-dir.js';

export interface StoredMedia {
  /** Relative to the media folder, POSIX separators: `ab/ab12….jpg`. */
  path: string;
  sha256: string;
  bytes: number;
  /** False when a file was already there under its name (the same content, or a torn copy it replaced). */
  created: boolean;
}

export class MediaTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`media file larger than ${maxBytes} bytes`);
    this.name = 'MediaTooLargeError';
  }
}

const MIME: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  webm: 'video/webm',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  opus: 'audio/opus',
  wav: 'audio/wav',
  pdf: 'application/pdf',
};

/** Spellings of one type: a file is named by its content, so one spelling each (jpeg and jpg files alike). */
const ALIASES: Record<string, string> = { jpeg: 'jpg' };

/**
 * The extension to keep for a stored file: one of the media types above, whatever the name says
 * (`bin` otherwise). Names come from archives and URLs that others control, and an exported page
 * links the file: an `.html` or `.svg` one would open as a page of theirs.
 */
export function safeExtension(ext: string, fallback = 'bin'): string {
  const lower = ext.toLowerCase();
  const canonical = ALIASES[lower] ?? lower;
  return Object.hasOwn(MIME, canonical) ? canonical : fallback;
}

/** The extension of a file name or URL, made safe (see safeExtension). */
export function mediaExtension(name: string, fallback = 'bin'): string {
  const withoutQuery = name.replace(/[?#].*$/, '');
  const ext = extname(withoutQuery.slice(withoutQuery.lastIndexOf('/') + 1)).slice(1);
  return safeExtension(ext, fallback);
}

export function mimeFromExtension(ext: string): string | null {
  return MIME[ext] ?? null;
}

async function ensurePrivateDir(dir: string): Promise<void> {
  await makeDir(dir, 0o700);
}

/** Absolute path of a stored file; refuses anything that is not a path this module hands out. */
export function mediaFilePath(mediaDir: string, relative: string): string {
  if (!/^[0-9a-f]{2}\/[0-9a-f]{64}\.[a-z0-9]{1,8}$/.test(relative) || isAbsolute(relative)) {
    throw new Error(`not a media path: ${relative}`);
  }
  return join(mediaDir, normalize(relative.split('/').join(sep)));
}

/** Temp files older than this were left by a killed process: removed once per media folder and run. */
const STALE_INCOMING_MS = 6 * 3_600_000;
const swept = new Set<string>();

async function sweepIncoming(mediaDir: string): Promise<void> {
  if (swept.has(mediaDir)) return;
  swept.add(mediaDir);
  const names = await readdir(mediaDir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith('.incoming-')) continue;
    const path = join(mediaDir, name);
    const info = await stat(path).catch(() => null);
    if (info && Date.now() - info.mtimeMs > STALE_INCOMING_MS) await unlink(path).catch(() => undefined);
  }
}

/** Stores a stream's bytes; `ext` names the kind (see mediaExtension). */
export async function storeMediaStream(
  mediaDir: string,
  input: Readable,
  options: { ext: string; maxBytes?: number },
): Promise<StoredMedia> {
  const ext = safeExtension(options.ext);
  const maxBytes = options.maxBytes ?? Number.MAX_SAFE_INTEGER;
  await ensurePrivateDir(mediaDir);
  await sweepIncoming(mediaDir);
  const temp = join(mediaDir, `.incoming-${randomUUID()}`);
  const hash = createHash('sha256');
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      bytes += chunk.length;
      if (bytes > maxBytes) return callback(new MediaTooLargeError(maxBytes));
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  const handle = await open(temp, 'wx', 0o600);
  try {
    await pipeline(input, meter, handle.createWriteStream());
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  // On disk before it gets its final name: after a power cut, a stored name never holds a torn file.
  const written = await open(temp, 'r+');
  await written.sync().finally(() => written.close());
  const sha256 = hash.digest('hex');
  const dir = join(mediaDir, sha256.slice(0, 2));
  await ensurePrivateDir(dir);
  const relative = `${sha256.slice(0, 2)}/${sha256}.${ext}`;
  const final = join(dir, `${sha256}.${ext}`);
  let created = false;
  try {
    // link() fails if the file exists, so two writers of the same content never clobber each other.
    await link(temp, final);
    created = true;
  } catch (error) {
    // EEXIST: the content is stored, unless the file there is not whole (left by an older igtg, cut
    // short); filesystems without hard links get rename (an atomic replace of identical bytes).
    const there = await stat(final).catch(() => null);
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || there?.size !== bytes) {
      await rename(temp, final);
      // A file replaced is not new: rows stored before may name it (an import rolled back removes
      // the files it created, media-copier.ts).
      created = there === null;
    }
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  await chmod(final, 0o600).catch(() => undefined);
  return { path: relative, sha256, bytes, created };
}

/** Stores a file from disk (see storeMediaStream). */
export async function storeMediaFile(mediaDir: string, file: string, maxBytes?: number): Promise<StoredMedia> {
  return storeMediaStream(mediaDir, createReadStream(file), { ext: mediaExtension(file), maxBytes });
}

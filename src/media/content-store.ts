// The profile's media folder, content-addressed: a file is kept once, at
// `<mediaDir>/<sha256[0:2]>/<sha256>.<ext>` (folders 0700, files 0600), whoever stored it
// (archive import, Instagram sync). Callers keep the returned relative path.
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, link, mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { extname, isAbsolute, join, normalize, sep } from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface StoredMedia {
  /** Relative to the media folder, POSIX separators: `ab/ab12….jpg`. */
  path: string;
  sha256: string;
  bytes: number;
  /** False when an identical file was already there. */
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

/** A safe, lower-case extension of a file name or URL (`bin` when it has none we can trust). */
export function mediaExtension(name: string, fallback = 'bin'): string {
  const withoutQuery = name.replace(/[?#].*$/, '');
  const ext = extname(withoutQuery.slice(withoutQuery.lastIndexOf('/') + 1))
    .slice(1)
    .toLowerCase();
  return /^[a-z0-9]{1,8}$/.test(ext) ? ext : fallback;
}

export function mimeFromExtension(ext: string): string | null {
  return MIME[ext] ?? null;
}

async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
}

/** Absolute path of a stored file; refuses anything that is not a path this module hands out. */
export function mediaFilePath(mediaDir: string, relative: string): string {
  if (!/^[0-9a-f]{2}\/[0-9a-f]{64}\.[a-z0-9]{1,8}$/.test(relative) || isAbsolute(relative)) {
    throw new Error(`not a media path: ${relative}`);
  }
  return join(mediaDir, normalize(relative.split('/').join(sep)));
}

/** Stores a stream's bytes; `ext` names the kind (see mediaExtension). */
export async function storeMediaStream(
  mediaDir: string,
  input: Readable,
  options: { ext: string; maxBytes?: number },
): Promise<StoredMedia> {
  const ext = /^[a-z0-9]{1,8}$/.test(options.ext) ? options.ext : 'bin';
  const maxBytes = options.maxBytes ?? Number.MAX_SAFE_INTEGER;
  await ensurePrivateDir(mediaDir);
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
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      // Filesystems without hard links: fall back to rename (atomic replace of identical bytes).
      const exists = await stat(final).then(
        () => true,
        () => false,
      );
      if (!exists) {
        await rename(temp, final);
        created = true;
      }
    }
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  if (created) await chmod(final, 0o600).catch(() => undefined);
  return { path: relative, sha256, bytes, created };
}

/** Stores a file from disk (see storeMediaStream). */
export async function storeMediaFile(mediaDir: string, file: string, maxBytes?: number): Promise<StoredMedia> {
  return storeMediaStream(mediaDir, createReadStream(file), { ext: mediaExtension(file), maxBytes });
}

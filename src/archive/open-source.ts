// PATH → ArchiveSource: a zip file, an unpacked archive folder, or a folder inside one.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ArchiveError } from './archive-error.js';
import { FolderSource } from './folder-source.js';
import type { ArchiveLimits } from './limits.js';
import type { ArchiveSource } from './source.js';

export async function openArchiveSource(path: string, limits: ArchiveLimits): Promise<ArchiveSource> {
  const absolute = resolve(path);
  let info;
  try {
    info = await stat(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new ArchiveError(`${path}: no such file or folder`);
    throw new ArchiveError(`${path}: cannot read it (${code ?? String(error)})`, { cause: error });
  }
  if (info.isDirectory()) {
    const source = await FolderSource.open(absolute, path, limits);
    if (!source) {
      throw new ArchiveError(`${path}: not an Instagram archive (no messages/inbox or messages.json found in it)`);
    }
    return source;
  }
  if (!info.isFile()) throw new ArchiveError(`${path}: not a zip file or an Instagram archive folder`);
  // The zip reader is loaded only for zip files.
  const { ZipSource } = await import('./zip-source.js');
  return ZipSource.open(absolute, path, limits);
}

// Copies media files from the profile's media folder into a folder export, once each, so pages
// link to them relatively and the export works offline.
import { constants } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { MediaRef } from '../core/model.js';
import { makeDir } from '../core/make-dir.js';

/** The media path as a safe relative POSIX path, or null (absolute, `..`, empty, odd characters). */
export function safeMediaPath(path: string | null): string | null {
  if (!path || path.includes('\0') || path.includes('\\') || path.startsWith('/')) return null;
  const segments = path.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.length === 0 || segments.some((segment) => segment === '..')) return null;
  return segments.join('/');
}

export class MediaCopier {
  /** Media path -> its path inside the export (`media/...`), or null when the file is missing. */
  private readonly copied = new Map<string, string | null>();
  private readonly dirs = new Set<string>();
  files = 0;
  /** Media the export could not include: never kept locally, or their file is gone. */
  missing = 0;

  constructor(
    private readonly mediaDir: string,
    private readonly exportDir: string,
  ) {}

  /** Copies the media file if needed; returns its path relative to the export root, or null. */
  async copy(media: MediaRef): Promise<string | null> {
    const path = safeMediaPath(media.path);
    if (!path) {
      // Never kept (imported with --no-media, synced without --media): not in the export either.
      this.missing += 1;
      return null;
    }
    const known = this.copied.get(path);
    if (known !== undefined) return known;
    const relative = `media/${path}`;
    const target = join(this.exportDir, relative);
    const dir = dirname(target);
    if (!this.dirs.has(dir)) {
      await makeDir(dir, 0o700);
      this.dirs.add(dir);
    }
    let result: string | null = relative;
    try {
      await copyFile(join(this.mediaDir, path), target, constants.COPYFILE_FICLONE);
      this.files += 1;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      this.missing += 1;
      result = null;
    }
    this.copied.set(path, result);
    return result;
  }
}

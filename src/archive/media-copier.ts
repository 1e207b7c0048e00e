// Copies the media files a page names from the archive into the profile's media folder
// (content-addressed), each file once per import, and tells the mapper where each one went.
import { rmdir, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { IgtgError, errorMessage } from '../core/errors.js';
import { mediaExtension, mediaFilePath, storeMediaStream } from '../media/content-store.js';
import { resolveMediaPath, type ThreadFileRef } from './layouts.js';
import type { ArchiveLimits } from './limits.js';
import type { ArchiveSource } from './source.js';
import type { ParsedThreadFile } from './thread-file.js';
import { mediaUris, type MediaLookup } from './to-model.js';

const FATAL_WRITE_CODES = new Set(['ENOSPC', 'EDQUOT', 'EROFS']);

export class MediaCopier {
  /** Archive path → where it was stored (null: not kept). */
  private readonly stored = new Map<string, string | null>();
  /** Files this import added to the media folder (not those it found there). */
  private readonly created: string[] = [];

  /** `mediaDir` null copies nothing (--no-media). */
  constructor(
    private readonly source: ArchiveSource,
    private readonly mediaDir: string | null,
    private readonly limits: ArchiveLimits,
    private readonly warn: (message: string) => void,
  ) {}

  /** Media files kept so far. */
  get count(): number {
    let kept = 0;
    for (const path of this.stored.values()) if (path !== null) kept += 1;
    return kept;
  }

  /** Copies what the page names; the lookup answers for the page's media URIs. */
  async copy(page: ParsedThreadFile, file: ThreadFileRef): Promise<MediaLookup> {
    if (!this.mediaDir) return () => null;
    const byUri = new Map<string, string | null>();
    for (const message of page.messages) {
      for (const uri of mediaUris(message)) {
        if (byUri.has(uri)) continue;
        const archivePath = resolveMediaPath(uri, file, this.source);
        if (!archivePath) {
          byUri.set(uri, null);
          continue;
        }
        if (!this.stored.has(archivePath)) this.stored.set(archivePath, await this.copyOne(archivePath));
        byUri.set(uri, this.stored.get(archivePath)!);
      }
    }
    return (uri) => byUri.get(uri) ?? null;
  }

  /** After an import that committed nothing: removes the files it added, which nothing refers to. */
  async removeCreated(): Promise<void> {
    if (!this.mediaDir) return;
    for (const path of this.created) {
      const file = mediaFilePath(this.mediaDir, path);
      await unlink(file).catch(() => undefined);
      // Its <sha[0:2]> folder too, when nothing else is in it (rmdir refuses one that is not empty).
      await rmdir(dirname(file)).catch(() => undefined);
    }
    this.created.length = 0;
  }

  private async copyOne(archivePath: string): Promise<string | null> {
    try {
      const input = await this.source.open(archivePath, this.limits.maxEntryBytes);
      const result = await storeMediaStream(this.mediaDir!, input, {
        ext: mediaExtension(archivePath),
        maxBytes: this.limits.maxEntryBytes,
      });
      if (result.created) this.created.push(result.path);
      return result.path;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (FATAL_WRITE_CODES.has(code)) {
        const why = code === 'EROFS' ? 'is on a read-only filesystem' : 'is on a full disk';
        throw new IgtgError(`cannot copy media: the media folder ${this.mediaDir} ${why}`, undefined, {
          cause: error,
        });
      }
      this.warn(`${archivePath}: media file not copied (${errorMessage(error)})`);
      return null;
    }
  }
}

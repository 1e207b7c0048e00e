// File names for threads in folder exports: readable, stable for a thread, unique in one export.
import { createHash } from 'node:crypto';
import type { Thread } from '../core/model.js';
import { normalizeForSearch } from '../store/search-query.js';

/** `zoe-muller-1a2b3c4d`: the title in ASCII plus a hash of the thread id. */
export function threadFileStem(thread: Thread, used: Set<string>): string {
  const slug =
    normalizeForSearch(thread.title)
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40)
      .replace(/-+$/, '') || 'thread';
  const hash = createHash('sha256').update(thread.id).digest('hex').slice(0, 8);
  let stem = `${slug}-${hash}`;
  for (let n = 2; used.has(stem); n += 1) stem = `${slug}-${hash}-${n}`;
  used.add(stem);
  return stem;
}

/** Percent-encodes each segment of a relative path for use in a URL (HTML href or Markdown link). */
export function encodePathForUrl(path: string): string {
  return path
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
    )
    .join('/');
}

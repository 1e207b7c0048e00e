import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  MediaTooLargeError,
  mediaExtension,
  mediaFilePath,
  mimeFromExtension,
  storeMediaFile,
  storeMediaStream,
} from '../../src/media/content-store.js';
import { tempFolder } from '../helpers/temp-folder.js';

const { root: tmp } = tempFolder('igtg-media-');

describe('content-addressed media folder', () => {
  const mediaDir = join(tmp, 'media');
  const bytes = Buffer.from('pretend this is a photo');
  const sha = createHash('sha256').update(bytes).digest('hex');

  it('stores a file once under <sha[0:2]>/<sha>.<ext>, private', async () => {
    const source = join(tmp, 'Photo.JPG');
    writeFileSync(source, bytes);
    const first = await storeMediaFile(mediaDir, source);
    expect(first).toEqual({ path: `${sha.slice(0, 2)}/${sha}.jpg`, sha256: sha, bytes: bytes.length, created: true });
    const file = join(mediaDir, first.path);
    expect(readFileSync(file)).toEqual(bytes);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(mediaDir, sha.slice(0, 2))).mode & 0o777).toBe(0o700);
    expect(statSync(mediaDir).mode & 0o777).toBe(0o700);

    const second = await storeMediaStream(mediaDir, Readable.from([bytes]), { ext: 'jpg' });
    expect(second).toEqual({ ...first, created: false });
    expect(readdirSync(mediaDir).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('stores identical content concurrently without clobbering or leftovers', async () => {
    const data = Buffer.from('same bytes, many writers');
    const results = await Promise.all(
      Array.from({ length: 8 }, () => storeMediaStream(mediaDir, Readable.from([data]), { ext: 'png' })),
    );
    expect(new Set(results.map((r) => r.path)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(readdirSync(mediaDir).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('refuses more than maxBytes and leaves nothing behind', async () => {
    await expect(
      storeMediaStream(mediaDir, Readable.from([Buffer.alloc(100)]), { ext: 'bin', maxBytes: 10 }),
    ).rejects.toBeInstanceOf(MediaTooLargeError);
    expect(readdirSync(mediaDir).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('derives safe extensions and types', () => {
    expect(mediaExtension('a/b/Clip.MP4')).toBe('mp4');
    expect(mediaExtension('https://cdn.example/x.webp?sig=1')).toBe('webp');
    expect(mediaExtension('noext')).toBe('bin');
    expect(mediaExtension('evil.../../x')).toBe('bin');
    expect(mimeFromExtension('jpg')).toBe('image/jpeg');
    expect(mimeFromExtension('xyz')).toBeNull();
    // Pages and scripts an exported page would link: kept as plain bytes.
    for (const name of ['evil.html', 'x.svg', 'a.htm', 'b.xhtml', 'c.js', 'd.exe', 'e.docx']) {
      expect(mediaExtension(name)).toBe('bin');
    }
    expect(mediaExtension('Photo.JPEG')).toBe('jpg');
  });

  it('stores the same bytes once whatever the name says, and never under a page extension', async () => {
    const data = Buffer.from('one picture, two names');
    const a = await storeMediaStream(mediaDir, Readable.from([data]), { ext: 'jpeg' });
    const b = await storeMediaStream(mediaDir, Readable.from([data]), { ext: 'jpg' });
    expect(b).toEqual({ ...a, created: false });
    expect(a.path.endsWith('.jpg')).toBe(true);
    const page = await storeMediaStream(mediaDir, Readable.from(['<script>alert(1)</script>']), { ext: 'html' });
    expect(page.path.endsWith('.bin')).toBe(true);
  });

  it('replaces a stored file that is not whole, and makes it private', async () => {
    const data = Buffer.from('the full content of a video');
    const digest = createHash('sha256').update(data).digest('hex');
    const final = join(mediaDir, digest.slice(0, 2), `${digest}.mp4`);
    mkdirSync(join(mediaDir, digest.slice(0, 2)), { recursive: true });
    writeFileSync(final, data.subarray(0, 5), { mode: 0o644 });
    const stored = await storeMediaStream(mediaDir, Readable.from([data]), { ext: 'mp4' });
    expect(stored.path).toBe(`${digest.slice(0, 2)}/${digest}.mp4`);
    expect(readFileSync(final)).toEqual(data);
    expect(statSync(final).mode & 0o777).toBe(0o600);
    // Not created: rows stored before name it, so an import rolled back must not remove it.
    expect(stored.created).toBe(false);
  });

  it('removes temp files a killed run left hours ago, not those of a run going on', async () => {
    const dir = join(tmp, 'media-swept');
    mkdirSync(dir, { recursive: true });
    const old = join(dir, '.incoming-old');
    const fresh = join(dir, '.incoming-fresh');
    writeFileSync(old, 'partial');
    writeFileSync(fresh, 'partial');
    const hoursAgo = new Date(Date.now() - 7 * 3_600_000);
    utimesSync(old, hoursAgo, hoursAgo);
    await storeMediaStream(dir, Readable.from([Buffer.from('x')]), { ext: 'png' });
    expect(existsSync(old)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
  });

  it('resolves only paths it hands out', () => {
    expect(mediaFilePath('/m', `${sha.slice(0, 2)}/${sha}.jpg`)).toBe(`/m/${sha.slice(0, 2)}/${sha}.jpg`);
    expect(() => mediaFilePath('/m', '../etc/passwd')).toThrow(/not a media path/);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyMedia } from '../../src/core/model.js';
import { MediaCopier } from '../../src/export/media-copier.js';
import { PHOTO_PATH, writeSampleMedia } from './export-fixtures.js';

describe('MediaCopier', () => {
  const root = mkdtempSync(join(tmpdir(), 'igtg-copier-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('counts as missing both media never kept locally and kept files that are gone', async () => {
    writeSampleMedia(join(root, 'media'));
    const copier = new MediaCopier(join(root, 'media'), join(root, 'out'));
    expect(await copier.copy(emptyMedia('photo', { path: PHOTO_PATH }))).toBe(`media/${PHOTO_PATH}`);
    expect(await copier.copy(emptyMedia('video', { path: null, url: 'https://cdn.example/v.mp4' }))).toBeNull();
    expect(await copier.copy(emptyMedia('video', { path: 'cd/gone.mp4' }))).toBeNull();
    expect({ files: copier.files, missing: copier.missing }).toEqual({ files: 1, missing: 2 });
  });
});

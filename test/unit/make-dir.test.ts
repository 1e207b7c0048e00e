import { mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeDir, makeDirSync } from '../../src/core/make-dir.js';

const root = mkdtempSync(join(tmpdir(), 'igtg-make-dir-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.each([
  ['makeDir', makeDir],
  ['makeDirSync', async (path: string, mode?: number) => makeDirSync(path, mode)],
])('%s', (name, make) => {
  it('makes every missing folder with the mode, and accepts one that exists', async () => {
    const path = join(root, name, 'a', 'b', 'c');
    await make(path, 0o700);
    expect(statSync(path).isDirectory()).toBe(true);
    expect(statSync(join(root, name, 'a')).mode & 0o777).toBe(0o700);
    await make(path, 0o700);
    await make(root);
  });

  it('fails on a file in the way', async () => {
    const file = join(root, `${name}-file`);
    writeFileSync(file, '');
    await expect(make(join(file, 'sub', 'dir'))).rejects.toMatchObject({ code: 'ENOTDIR' });
    await expect(make(file)).rejects.toMatchObject({ code: 'EEXIST' }); // as Node's mkdir says
  });

  it('resolves .. where the system does, after a link, as Node does', async () => {
    const deep = join(root, `${name}-deep`, 'er');
    await make(deep);
    symlinkSync(deep, join(root, `${name}-ln`));
    await make(`${join(root, `${name}-ln`)}/../new`); // not join(): it would drop the ..
    expect(statSync(join(root, `${name}-deep`, 'new')).isDirectory()).toBe(true);
    await make(`${join(root, `${name}-x`, 'y')}/../z`);
    expect(statSync(join(root, `${name}-x`, 'y')).isDirectory()).toBe(true);
    expect(statSync(join(root, `${name}-x`, 'z')).isDirectory()).toBe(true);
  });

  it('stops where a folder cannot hold the child (Node spins forever there)', async () => {
    await expect(make('/proc/igtg-no-such/dir')).rejects.toMatchObject({ code: 'ENOENT' });
    const dangling = join(root, `${name}-dangling`);
    symlinkSync(join(root, 'nowhere'), dangling);
    await expect(make(join(dangling, 'sub'))).rejects.toHaveProperty('code');
  });
});

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import {
  EXPORT_MARKER,
  checkFileTarget,
  checkFolderTarget,
  openAtomicFile,
  openAtomicFolder,
  recoverLeftovers,
} from '../../src/export/atomic-output.js';
import { tempFolder } from '../helpers/temp-folder.js';

const folder = tempFolder('igtg-atomic-');
const fresh = () => {
  const dir = folder.fresh('out');
  mkdirSync(dir);
  return dir;
};

/** A process id that is certainly not running any more. */
function deadPid(): number {
  const result = spawnSync(process.execPath, ['-e', '']);
  return result.pid!;
}

describe('atomic file output', () => {
  it('shows nothing at the target until commit, then replaces it whole', async () => {
    const dir = fresh();
    const target = join(dir, 'out.jsonl');
    writeFileSync(target, 'old\n');
    const output = await openAtomicFile(target);
    writeFileSync(output.path, 'new\n');
    expect(output.path).toMatch(/\/\.out\.jsonl\.igtg-tmp-\d+-[0-9a-f]+$/);
    expect(readFileSync(target, 'utf8')).toBe('old\n');
    await output.commit();
    expect(readFileSync(target, 'utf8')).toBe('new\n');
    expect(readdirSync(dir)).toEqual(['out.jsonl']);
  });

  it('leaves the previous file and no leftovers when discarded', async () => {
    const dir = fresh();
    const target = join(dir, 'out.csv');
    writeFileSync(target, 'old');
    const output = await openAtomicFile(target);
    writeFileSync(output.path, 'half');
    await output.discard();
    expect(readdirSync(dir)).toEqual(['out.csv']);
    expect(readFileSync(target, 'utf8')).toBe('old');
  });

  it('refuses a folder where a file goes', async () => {
    const dir = fresh();
    await expect(checkFileTarget(dir)).rejects.toThrow(UsageError);
    await expect(checkFileTarget(join(dir, 'new.json'))).resolves.toBeUndefined();
  });
});

describe('atomic folder output', () => {
  it('swaps the new folder in and removes the old one', async () => {
    const dir = fresh();
    const target = join(dir, 'site');
    mkdirSync(target);
    writeFileSync(join(target, EXPORT_MARKER), '{}');
    writeFileSync(join(target, 'index.html'), 'old');
    writeFileSync(join(target, 'stale.html'), 'gone after the swap');
    const output = await openAtomicFolder(target, '{"format":"html"}');
    writeFileSync(join(output.path, 'index.html'), 'new');
    expect(readFileSync(join(target, 'index.html'), 'utf8')).toBe('old');
    await output.commit();
    expect(readdirSync(target).sort()).toEqual([EXPORT_MARKER, 'index.html']);
    expect(readFileSync(join(target, 'index.html'), 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['site']);
  });

  it('only replaces a folder that is empty or an earlier export', async () => {
    const dir = fresh();
    await expect(checkFolderTarget(join(dir, 'new'))).resolves.toBeUndefined();
    mkdirSync(join(dir, 'empty'));
    await expect(checkFolderTarget(join(dir, 'empty'))).resolves.toBeUndefined();
    mkdirSync(join(dir, 'mine'));
    writeFileSync(join(dir, 'mine', 'thesis.tex'), 'precious');
    await expect(checkFolderTarget(join(dir, 'mine'))).rejects.toThrow(/did not export into/);
    writeFileSync(join(dir, 'file'), '');
    await expect(checkFolderTarget(join(dir, 'file'))).rejects.toThrow(/not a folder/);
  });

  // /dev/shm is a mount point of its own on Linux (tmpfs under devtmpfs), as a USB stick's root is.
  const mountPoint = existsSync('/dev/shm') && statSync('/dev/shm').dev !== statSync('/dev').dev;
  it.runIf(mountPoint)('refuses a mount point, which the swap could not rename, before any work', async () => {
    await expect(checkFolderTarget('/dev/shm')).rejects.toThrow(
      '--out: /dev/shm is a mount point, which an export cannot replace; give a folder inside it',
    );
  });
});

describe('leftovers of killed runs', () => {
  it('removes temporary outputs of dead runs and keeps those of live ones', async () => {
    const dir = fresh();
    const target = join(dir, 'out.json');
    writeFileSync(target, 'current');
    const dead = join(dir, `.out.json.igtg-tmp-${deadPid()}-abcd1234`);
    const live = join(dir, `.out.json.igtg-tmp-${process.pid}-abcd1234`);
    const other = join(dir, `.other.json.igtg-tmp-${deadPid()}-abcd1234`);
    for (const file of [dead, live, other]) writeFileSync(file, 'partial');
    await recoverLeftovers(target);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(other)).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('current');
  });

  it('restores the previous export when a run died between the two renames of a swap', async () => {
    const dir = fresh();
    const target = join(dir, 'site');
    const old = join(dir, `.site.igtg-old-${deadPid()}-abcd1234`);
    const temp = join(dir, `.site.igtg-tmp-${deadPid()}-abcd1234`);
    mkdirSync(old);
    writeFileSync(join(old, 'index.html'), 'previous');
    mkdirSync(temp);
    await recoverLeftovers(target);
    expect(readFileSync(join(target, 'index.html'), 'utf8')).toBe('previous');
    expect(readdirSync(dir)).toEqual(['site']);
  });
});

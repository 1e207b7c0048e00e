import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IgtgError } from '../../src/core/errors.js';
import { acquireExportLock, exportLockPath } from '../../src/export/export-lock.js';

const stateDir = mkdtempSync(join(tmpdir(), 'igtg-lock-'));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

describe('export lock', () => {
  it('is one per target: a second run for the same target gives up with a clear message', async () => {
    const first = await acquireExportLock(stateDir, '/exports/a', { waitMs: 0, describe: '/exports/a' });
    expect(existsSync(`${exportLockPath(stateDir, '/exports/a')}.lock`)).toBe(true);
    const error = await acquireExportLock(stateDir, '/exports/a', { waitMs: 0, describe: '/exports/a' }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(IgtgError);
    expect(error.message).toBe('another igtg export to /exports/a is running; try again when it has finished');
    const other = await acquireExportLock(stateDir, '/exports/b', { waitMs: 0, describe: '/exports/b' });
    await other.release();
    await first.release();
    expect(existsSync(`${exportLockPath(stateDir, '/exports/a')}.lock`)).toBe(false);
  });

  it('waits for a run that finishes, saying so once', async () => {
    const first = await acquireExportLock(stateDir, '/exports/c', { waitMs: 0, describe: 'c' });
    let waits = 0;
    const second = acquireExportLock(stateDir, '/exports/c', {
      waitMs: 60_000,
      describe: 'c',
      onWait: () => {
        waits += 1;
        void first.release();
      },
    });
    const lock = await second;
    expect(waits).toBe(1);
    expect(lock.lost).toBeNull();
    await lock.release();
  });
});

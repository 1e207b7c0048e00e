import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IgtgError } from '../../src/core/errors.js';
import { acquireSyncLock } from '../../src/sync/sync-lock.js';

const stateDir = mkdtempSync(join(tmpdir(), 'igtg-sync-lock-'));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));
const pidFile = join(stateDir, 'locks', 'sync.pid');

describe('sync lock', () => {
  it('is one per profile: a second sync gives up naming the running one', async () => {
    const first = await acquireSyncLock(stateDir, { waitMs: 0 });
    expect(readFileSync(pidFile, 'utf8').trim()).toBe(String(process.pid));
    const error = await acquireSyncLock(stateDir, { waitMs: 0 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(IgtgError);
    expect((error as IgtgError).message).toBe(
      `another igtg sync of this profile is running (pid ${process.pid}); try again when it has finished`,
    );
    expect((error as IgtgError).exitCode).toBe(1);
    await first.release();
    expect(existsSync(pidFile)).toBe(false);
    await (await acquireSyncLock(stateDir, { waitMs: 0 })).release();
  });

  it('waits for a sync that finishes, saying so once', async () => {
    const first = await acquireSyncLock(stateDir, { waitMs: 0 });
    let waits = 0;
    const second = await acquireSyncLock(stateDir, {
      waitMs: 60_000,
      onWait: () => {
        waits += 1;
        void first.release();
      },
    });
    expect(waits).toBe(1);
    expect(readFileSync(pidFile, 'utf8').trim()).toBe(String(process.pid));
    await second.release();
  });
});

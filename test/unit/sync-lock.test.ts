import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { IgtgError } from '../../src/core/errors.js';
import { exportLockPath } from '../../src/export/export-lock.js';
import { acquireSyncLock } from '../../src/sync/sync-lock.js';

const stateDir = mkdtempSync(join(tmpdir(), 'igtg-sync-lock-'));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));
const pidFile = join(stateDir, 'locks', 'sync.pid');

describe('sync lock', () => {
  it('is one per profile: a second sync gives up naming the running one', async () => {
    const first = await acquireSyncLock(stateDir, 'sync', { waitMs: 0 });
    expect(readFileSync(pidFile, 'utf8').trim()).toBe(`${process.pid} sync ${hostname()}`);
    const error = await acquireSyncLock(stateDir, 'sync', { waitMs: 0 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(IgtgError);
    expect((error as IgtgError).message).toBe(
      `another igtg sync of this profile is running (pid ${process.pid}); try again when it has finished`,
    );
    expect((error as IgtgError).exitCode).toBe(1);
    await first.release();
    expect(existsSync(pidFile)).toBe(false);
    await (await acquireSyncLock(stateDir, 'sync', { waitMs: 0 })).release();
  });

  it('is shared by import and sync, and names the job holding it', async () => {
    const importing = await acquireSyncLock(stateDir, 'import', { waitMs: 0 });
    const error = await acquireSyncLock(stateDir, 'sync', { waitMs: 0 }).catch((caught: unknown) => caught);
    expect((error as IgtgError).message).toBe(
      `another igtg import of this profile is running (pid ${process.pid}); try again when it has finished`,
    );
    // A pid file written by an older igtg holds the pid alone.
    writeFileSync(pidFile, `${process.pid}\n`);
    const older = await acquireSyncLock(stateDir, 'import', { waitMs: 0 }).catch((caught: unknown) => caught);
    expect((older as IgtgError).message).toBe(
      `another igtg sync or import of this profile is running (pid ${process.pid}); try again when it has finished`,
    );
    await importing.release();
  });

  it('waits for a sync that finishes, saying so once', async () => {
    const first = await acquireSyncLock(stateDir, 'sync', { waitMs: 0 });
    const waits: string[] = [];
    const second = await acquireSyncLock(stateDir, 'import', {
      waitMs: 60_000,
      onWait: (holder) => {
        waits.push(holder);
        void first.release();
      },
    });
    expect(waits).toEqual([`another igtg sync of this profile is running (pid ${process.pid})`]);
    expect(readFileSync(pidFile, 'utf8').trim()).toBe(`${process.pid} import ${hostname()}`);
    await second.release();
  });

  const lockDir = `${exportLockPath(stateDir, 'igtg sync')}.lock`;

  /** A holder in another process, running once it holds the lock (wrapped: a subprocess is a thenable). */
  async function otherHolder(): Promise<{ running: ReturnType<typeof execa> }> {
    const module = join(import.meta.dirname, '..', '..', 'src', 'sync', 'sync-lock.ts');
    const script = `const { acquireSyncLock } = await import(${JSON.stringify(module)});
      await acquireSyncLock(${JSON.stringify(stateDir)}, 'import', { waitMs: 0 });
      console.log('held');
      setInterval(() => {}, 1000);`;
    const holder = execa(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: join(import.meta.dirname, '..', '..'),
      reject: false,
    });
    await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
    return { running: holder };
  }

  // Its lock folder removed, a holder finds the lock lost at its next refresh (within 5 s), as it
  // would after the machine slept past the stale time.
  it('takes back a lock lost while the machine stalled when nobody else took it', async () => {
    const lock = await acquireSyncLock(stateDir, 'sync', { waitMs: 0 });
    rmSync(lockDir, { recursive: true });
    writeFileSync(pidFile, '');
    await vi.waitFor(() => expect(lock.lost).not.toBeNull(), { timeout: 8_000, interval: 100 });
    await lock.stillHeld();
    expect(lock.lost).toBeNull();
    expect(existsSync(lockDir)).toBe(true);
    expect(readFileSync(pidFile, 'utf8').trim()).toBe(`${process.pid} sync ${hostname()}`);
    const error = await acquireSyncLock(stateDir, 'import', { waitMs: 0 }).catch((caught: unknown) => caught);
    expect((error as IgtgError).message).toMatch(/^another igtg sync of this profile is running/);
    await lock.release();
  }, 20_000);

  it('stops a run whose lost lock another run holds now, naming it', async () => {
    const lock = await acquireSyncLock(stateDir, 'sync', { waitMs: 0 });
    rmSync(lockDir, { recursive: true });
    const { running: other } = await otherHolder();
    try {
      await vi.waitFor(() => expect(lock.lost).not.toBeNull(), { timeout: 8_000, interval: 100 });
      const error = await lock.stillHeld().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(IgtgError);
      expect((error as IgtgError).message).toBe(
        `this sync lost its lock while the machine was asleep or stalled, and another igtg import of this profile ` +
          `is running (pid ${other.pid}); stopped — what was synced is kept`,
      );
    } finally {
      other.kill('SIGKILL');
      await other;
      await lock.release();
    }
  }, 20_000);

  /** A holder in another process, killed with -9 once it holds the lock; its pid. */
  async function killedHolder(): Promise<number> {
    const { running: holder } = await otherHolder();
    expect(readFileSync(pidFile, 'utf8').trim()).toBe(`${holder.pid} import ${hostname()}`);
    holder.kill('SIGKILL');
    await holder;
    return holder.pid!;
  }

  it('frees at once the lock of a holder killed with -9, without waiting or saying it waits', async () => {
    await killedHolder();
    const waits: string[] = [];
    const lock = await acquireSyncLock(stateDir, 'sync', { waitMs: 0, onWait: (said) => waits.push(said) });
    expect(waits).toEqual([]);
    expect(readFileSync(pidFile, 'utf8').trim()).toBe(`${process.pid} sync ${hostname()}`);
    await lock.release();
  }, 30_000);

  it('waits out the lock of a holder on another machine (a shared home folder) until it is stale', async () => {
    const pid = await killedHolder();
    // Its pid means nothing here: the holder could be running there.
    writeFileSync(pidFile, `${pid} import another-machine\n`);
    const waits: string[] = [];
    const lock = await acquireSyncLock(stateDir, 'sync', { waitMs: 0, onWait: (said) => waits.push(said) });
    expect(waits).toEqual([`another igtg import of this profile is running (pid ${pid})`]);
    await lock.release();
  }, 30_000);
});

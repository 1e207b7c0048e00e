// One `igtg sync` or `igtg import` at a time per profile: two syncs would walk the inbox side by
// side, breaking the one request at a time, and a sync beside an import could store one
// conversation as two threads (each looks for the other's thread before it is written, see
// match-api-threads.ts and archive-merge.ts). The export lock's machinery (a proper-lockfile folder in the state folder,
// stale 10 s after its holder stopped refreshing it), with the holder's pid in a file beside it
// and the job in a file beside it so the message can name them. A holder that is gone (kill -9) has
// its lock freed at once (freeIfHolderGone).
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { IgtgError } from '../core/errors.js';
import { isProcessAlive } from '../core/process-alive.js';
import { LOCK_STALE_MS, acquireExportLock, exportLockPath, type ExportLock } from '../export/export-lock.js';

const SYNC_LOCK_KEY = 'igtg sync';
/** How long a sync or import waits for another running one to finish. */
export const SYNC_LOCK_WAIT_MS = 5_000;

/** The commands that take the lock. */
export type StoreJob = 'sync' | 'import';

function pidFile(stateDir: string): string {
  return join(stateDir, 'locks', 'sync.pid');
}

interface Holder {
  pid: number;
  job: StoreJob | null;
  /** The machine it runs on (a home folder may be shared by several); null in older files. */
  host: string | null;
}

/** "1234 import host"; files written by an older igtg hold the pid alone, or the pid and job. */
function readHolder(stateDir: string): Holder | null {
  try {
    const [pidText = '', job, host] = readFileSync(pidFile(stateDir), 'utf8').trim().split(' ');
    const pid = Number(pidText);
    if (!Number.isSafeInteger(pid) || pid <= 0) return null;
    return { pid, job: job === 'sync' || job === 'import' ? job : null, host: host || null };
  } catch {
    return null;
  }
}

function describeHolder(holder: Holder | null): string {
  const what = holder?.job ? `igtg ${holder.job}` : 'igtg sync or import';
  return `another ${what} of this profile is running${holder ? ` (pid ${holder.pid})` : ''}`;
}

/**
 * A lock younger than this may belong to a holder that has just taken it and not yet written its
 * pid (a moment later): the pid file then still names the one before.
 */
const NEW_LOCK_MS = 2_000;

/**
 * Frees the lock of a holder that is gone (kill -9, a crash) instead of waiting ~10 s for it to go
 * stale. A process reusing its pid keeps it held: waiting is the safe side.
 */
async function freeIfHolderGone(stateDir: string): Promise<void> {
  const holder = readHolder(stateDir);
  // Only a process of this machine can be known to be gone.
  if (!holder || holder.host !== hostname() || holder.pid === process.pid || isProcessAlive(holder.pid)) return;
  const lockDir = `${exportLockPath(stateDir, SYNC_LOCK_KEY)}.lock`;
  for (;;) {
    let age: number;
    try {
      age = Date.now() - statSync(lockDir).mtimeMs;
    } catch {
      return; // not held
    }
    if (readHolder(stateDir)?.pid !== holder.pid) return; // taken by someone else meanwhile
    if (age >= NEW_LOCK_MS) break;
    await sleep(NEW_LOCK_MS - age);
  }
  rmSync(lockDir, { recursive: true, force: true });
}

export interface SyncLock extends ExportLock {
  /**
   * Call between steps of a long run: returns while the lock is this run's (taking it back after a
   * loss nobody else profited from), throws an IgtgError when another run holds it now.
   */
  stillHeld(): Promise<void>;
}

export async function acquireSyncLock(
  stateDir: string,
  job: StoreJob,
  options: { waitMs?: number; onWait?: (holder: string) => void } = {},
): Promise<SyncLock> {
  await freeIfHolderGone(stateDir);
  const last = readHolder(stateDir)?.pid ?? null;
  const waitMs =
    last !== null && last !== process.pid && !isProcessAlive(last)
      ? LOCK_STALE_MS + 1_000
      : (options.waitMs ?? SYNC_LOCK_WAIT_MS);
  let lock: ExportLock;
  try {
    lock = await acquireExportLock(stateDir, SYNC_LOCK_KEY, {
      waitMs,
      describe: 'this profile',
      onWait: options.onWait && (() => options.onWait!(describeHolder(readHolder(stateDir)))),
    });
  } catch (error) {
    // The export lock's only IgtgError: the lock is held past the wait.
    if (!(error instanceof IgtgError)) throw error;
    throw new IgtgError(`${describeHolder(readHolder(stateDir))}; try again when it has finished`, error.exitCode, {
      cause: error,
    });
  }
  const notePid = () => writeFileSync(pidFile(stateDir), `${process.pid} ${job} ${hostname()}\n`, { mode: 0o600 });
  notePid();
  return {
    get lost() {
      return lock.lost;
    },
    reacquire: () => lock.reacquire(),
    stillHeld: async () => {
      if (!lock.lost) return;
      // Lost (the machine slept or stalled past the stale time): taken back unless another run holds
      // it now. Its refreshes tell the two apart; a lock nobody refreshes goes stale within the wait.
      const deadline = Date.now() + LOCK_STALE_MS + 1_000;
      for (;;) {
        if (await lock.reacquire()) {
          notePid();
          return;
        }
        const holder = readHolder(stateDir);
        const taken = holder !== null && holder.pid !== process.pid && isProcessAlive(holder.pid);
        if (taken || Date.now() >= deadline) {
          throw new IgtgError(
            `this ${job} lost its lock while the machine was asleep or stalled, and ${describeHolder(holder)}; ` +
              (job === 'sync' ? 'stopped — what was synced is kept' : 'stopped'),
          );
        }
        await sleep(250);
      }
    },
    release: async () => {
      if (readHolder(stateDir)?.pid === process.pid) rmSync(pidFile(stateDir), { force: true });
      await lock.release();
    },
  };
}

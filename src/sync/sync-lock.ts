// One `igtg sync` or `igtg import` at a time per profile: two syncs would walk the inbox side by
// side, breaking the one request at a time, and a sync beside an import could store one
// conversation as two threads (each looks for the other's thread before it is written, see
// match-api-threads.ts and archive-merge.ts). The export lock's machinery (a proper-lockfile folder in the state folder,
// stale 10 s after its holder stopped refreshing it), with the holder's pid in a file beside it
// and the job in a file beside it so the message can name them. A holder that is gone (kill -9) is waited out until its lock is stale.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IgtgError } from '../core/errors.js';
import { isProcessAlive } from '../core/process-alive.js';
import { LOCK_STALE_MS, acquireExportLock, type ExportLock } from '../export/export-lock.js';

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
}

/** "1234 import"; a file written by an older igtg holds the pid alone. */
function readHolder(stateDir: string): Holder | null {
  try {
    const [pidText = '', job] = readFileSync(pidFile(stateDir), 'utf8').trim().split(' ');
    const pid = Number(pidText);
    if (!Number.isSafeInteger(pid) || pid <= 0) return null;
    return { pid, job: job === 'sync' || job === 'import' ? job : null };
  } catch {
    return null;
  }
}

function describeHolder(holder: Holder | null): string {
  const what = holder?.job ? `igtg ${holder.job}` : 'igtg sync or import';
  return `another ${what} of this profile is running${holder ? ` (pid ${holder.pid})` : ''}`;
}

export async function acquireSyncLock(
  stateDir: string,
  job: StoreJob,
  options: { waitMs?: number; onWait?: (holder: string) => void } = {},
): Promise<ExportLock> {
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
  writeFileSync(pidFile(stateDir), `${process.pid} ${job}\n`, { mode: 0o600 });
  return {
    get lost() {
      return lock.lost;
    },
    release: async () => {
      if (readHolder(stateDir)?.pid === process.pid) rmSync(pidFile(stateDir), { force: true });
      await lock.release();
    },
  };
}

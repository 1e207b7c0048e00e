// One `igtg sync` at a time per profile: two would walk the inbox side by side, breaking the one
// request at a time. The export lock's machinery (a proper-lockfile folder in the state folder,
// stale 10 s after its holder stopped refreshing it), with the holder's pid in a file beside it
// so the message can name it. A holder that is gone (kill -9) is waited out until its lock is stale.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IgtgError } from '../core/errors.js';
import { isProcessAlive } from '../core/process-alive.js';
import { LOCK_STALE_MS, acquireExportLock, type ExportLock } from '../export/export-lock.js';

const SYNC_LOCK_KEY = 'igtg sync';
/** How long a sync waits for another running one to finish. */
export const SYNC_LOCK_WAIT_MS = 5_000;

function pidFile(stateDir: string): string {
  return join(stateDir, 'locks', 'sync.pid');
}

function holderPid(stateDir: string): number | null {
  try {
    const pid = Number(readFileSync(pidFile(stateDir), 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

export async function acquireSyncLock(
  stateDir: string,
  options: { waitMs?: number; onWait?: () => void } = {},
): Promise<ExportLock> {
  const last = holderPid(stateDir);
  const waitMs =
    last !== null && last !== process.pid && !isProcessAlive(last)
      ? LOCK_STALE_MS + 1_000
      : (options.waitMs ?? SYNC_LOCK_WAIT_MS);
  let lock: ExportLock;
  try {
    lock = await acquireExportLock(stateDir, SYNC_LOCK_KEY, {
      waitMs,
      describe: 'this profile',
      onWait: options.onWait,
    });
  } catch (error) {
    // The export lock's only IgtgError: the lock is held past the wait.
    if (!(error instanceof IgtgError)) throw error;
    const pid = holderPid(stateDir);
    throw new IgtgError(
      `another igtg sync of this profile is running${pid !== null ? ` (pid ${pid})` : ''}; try again when it has finished`,
      error.exitCode,
      { cause: error },
    );
  }
  writeFileSync(pidFile(stateDir), `${process.pid}\n`, { mode: 0o600 });
  return {
    get lost() {
      return lock.lost;
    },
    release: async () => {
      if (holderPid(stateDir) === process.pid) rmSync(pidFile(stateDir), { force: true });
      await lock.release();
    },
  };
}

// One export at a time per output target. The lock is a folder in the profile's state folder
// (proper-lockfile: mkdir, refreshed while held, stale after 10 s so a killed run never blocks for
// long). A second run waits up to `waitMs` for the first to finish, then gives up with a clear message.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import lockfile from 'proper-lockfile';
import { ensurePrivateDir } from '../config/paths.js';
import { IgtgError } from '../core/errors.js';

export const LOCK_STALE_MS = 10_000;
const RETRY_MS = 250;

export interface ExportLock {
  /** Set when the lock was lost while held (e.g. the machine stalled past the stale time). */
  readonly lost: Error | null;
  /** After a loss: takes the lock again unless another run holds it now (false then). */
  reacquire(): Promise<boolean>;
  release(): Promise<void>;
}

/** The path proper-lockfile locks for a target (the lock itself is this path plus `.lock`). */
export function exportLockPath(stateDir: string, targetKey: string): string {
  const hash = createHash('sha256').update(targetKey).digest('hex').slice(0, 24);
  return join(stateDir, 'locks', `export-${hash}`);
}

export async function acquireExportLock(
  stateDir: string,
  targetKey: string,
  options: { waitMs: number; describe: string; onWait?: () => void },
): Promise<ExportLock> {
  ensurePrivateDir(join(stateDir, 'locks'));
  const path = exportLockPath(stateDir, targetKey);
  const deadline = Date.now() + options.waitMs;
  let lost: Error | null = null;
  let waited = false;
  const take = () =>
    lockfile.lock(path, {
      realpath: false,
      stale: LOCK_STALE_MS,
      onCompromised: (error) => {
        lost = error;
      },
    });
  for (;;) {
    try {
      let release = await take();
      // A run stopped by a signal exits through process.exit (atomic-output.ts): free the target at
      // once rather than make the next run wait for the lock to go stale.
      const releaseOnExit = () => {
        try {
          lockfile.unlockSync(path, { realpath: false });
        } catch {
          // Already released, or gone: nothing to free.
        }
      };
      process.once('exit', releaseOnExit);
      return {
        get lost() {
          return lost;
        },
        reacquire: async () => {
          if (!lost) return true;
          try {
            release = await take();
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code === 'ELOCKED') return false;
            throw error;
          }
          lost = null;
          return true;
        },
        release: () => {
          process.off('exit', releaseOnExit);
          return release().catch(() => undefined);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      if (Date.now() >= deadline) {
        throw new IgtgError(
          `another igtg export to ${options.describe} is running` +
            (waited ? ` (waited ${Math.round(options.waitMs / 1000)} s)` : '') +
            '; try again when it has finished',
        );
      }
      if (!waited) options.onWait?.();
      waited = true;
      await sleep(Math.min(RETRY_MS, Math.max(0, deadline - Date.now())));
    }
  }
}

// One bridge per profile: a lock file in the profile's state folder (proper-lockfile, stale after
// the holder stops updating it). The holder's pid is written next to it, so a start after a
// kill -9 takes over at once when that process is gone instead of waiting for the lock to go stale.
import { closeSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { IgtgError } from '../../core/errors.js';
import { makeDirSync } from '../../core/make-dir.js';
import { isProcessAlive } from '../../core/process-alive.js';

function holderGone(pidFile: string): boolean {
  try {
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isProcessAlive(pid);
  } catch {
    return false;
  }
}

/**
 * True when the bridge.pid of this machine names a process that is gone (a kill -9): its heartbeat
 * in the store may still look fresh for a while. False when no bridge ran here or it is alive.
 */
export function bridgeProcessGone(stateDir: string): boolean {
  return holderGone(join(stateDir, 'bridge.pid'));
}

/** Milliseconds after its holder stops refreshing it that a lock counts as abandoned. */
const STALE_MS = 10_000;

/** True when a bridge of this profile runs on this machine: its lock is fresh and its process alive. */
export function bridgeRunsHere(stateDir: string): boolean {
  try {
    return lockfile.checkSync(join(stateDir, 'bridge.lock'), { stale: STALE_MS }) && !bridgeProcessGone(stateDir);
  } catch {
    // No lock file: no bridge ever ran here.
    return false;
  }
}

export async function lockProfile(
  stateDir: string,
  profile: string,
  onCompromised: (error: Error) => void,
): Promise<() => Promise<void>> {
  makeDirSync(stateDir, 0o700);
  const file = join(stateDir, 'bridge.lock');
  const pidFile = join(stateDir, 'bridge.pid');
  closeSync(openSync(file, 'a'));
  const options = {
    stale: STALE_MS,
    update: 2_000,
    retries: { retries: 3, minTimeout: 500, maxTimeout: 2000 },
    onCompromised,
  };
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(file, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    if (!holderGone(pidFile)) {
      throw new IgtgError(`a bridge is already running for profile "${profile}" (lock ${file})`);
    }
    // The holder was killed: its lock is stale whatever its age.
    rmSync(`${file}.lock`, { recursive: true, force: true });
    release = await lockfile.lock(file, options);
  }
  writeFileSync(pidFile, String(process.pid));
  return async () => {
    // Left behind, a dead pid here would tell `igtg status` the bridge is gone while one runs elsewhere.
    rmSync(pidFile, { force: true });
    await release();
  };
}

// One bridge per profile: a lock file in the profile's state folder (proper-lockfile, stale after
// the holder stops updating it, so a kill -9 does not block the next start for long).
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { IgtgError } from '../../core/errors.js';

export async function lockProfile(
  stateDir: string,
  profile: string,
  onCompromised: (error: Error) => void,
): Promise<() => Promise<void>> {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const file = join(stateDir, 'bridge.lock');
  closeSync(openSync(file, 'a'));
  try {
    return await lockfile.lock(file, {
      stale: 10_000,
      update: 2_000,
      retries: { retries: 3, minTimeout: 500, maxTimeout: 2000 },
      onCompromised,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new IgtgError(`a bridge is already running for profile "${profile}" (lock ${file})`);
    }
    throw error;
  }
}

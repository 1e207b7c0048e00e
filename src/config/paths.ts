// Where igtg keeps its files. XDG on Linux and the platform convention elsewhere (env-paths);
// IGTG_HOME=DIR puts everything under DIR. Each profile (one Instagram account) has its own folders.
import { chmodSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import envPaths from 'env-paths';
import { UsageError } from '../core/errors.js';
import { makeDirSync } from '../core/make-dir.js';

export interface ProfilePaths {
  profile: string;
  /** Holds config.json for the profile. */
  configDir: string;
  /** Holds the SQLite store and the media folder. */
  dataDir: string;
  /** Holds locks, pending logins, export state, logs. */
  stateDir: string;
  configFile: string;
  dbFile: string;
  mediaDir: string;
  /** The file backend of the SecretStore (used only when no OS keychain is reachable). */
  secretsFile: string;
  /**
   * The OS keychain service holding the profile's secrets: "igtg", or "igtg:<IGTG_HOME>" so that a
   * home of its own (a test, a second setup) never reads or replaces the session of the default one.
   */
  keychainService: string;
}

const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function validateProfileName(name: string): string {
  if (!PROFILE_NAME.test(name)) {
    throw new UsageError(`--profile: "${name}" is not a valid profile name (letters, digits, ".", "_", "-")`);
  }
  return name;
}

function platformDirs(env: NodeJS.ProcessEnv): { config: string; data: string; state: string } {
  if (process.platform === 'linux') {
    // env-paths reads process.env; reading the given env keeps resolvePaths pure for tests and profiles.
    const home = env.HOME || homedir();
    return {
      config: join(env.XDG_CONFIG_HOME || join(home, '.config'), 'igtg'),
      data: join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'igtg'),
      state: join(env.XDG_STATE_HOME || join(home, '.local', 'state'), 'igtg'),
    };
  }
  const base = envPaths('igtg', { suffix: '' });
  return { config: base.config, data: base.data, state: base.log };
}

export function resolvePaths(profile: string, env: NodeJS.ProcessEnv = process.env): ProfilePaths {
  validateProfileName(profile);
  const home = env.IGTG_HOME?.trim();
  let configDir: string;
  let dataDir: string;
  let stateDir: string;
  if (home) {
    const root = join(resolve(home), 'profiles', profile);
    configDir = root;
    dataDir = root;
    stateDir = join(root, 'state');
  } else {
    const base = platformDirs(env);
    configDir = join(base.config, 'profiles', profile);
    dataDir = join(base.data, 'profiles', profile);
    stateDir = join(base.state, 'profiles', profile);
  }
  return {
    profile,
    configDir,
    dataDir,
    stateDir,
    configFile: join(configDir, 'config.json'),
    dbFile: join(dataDir, 'igtg.db'),
    mediaDir: join(dataDir, 'media'),
    secretsFile: join(configDir, 'secrets.json'),
    keychainService: home ? `igtg:${resolve(home)}` : 'igtg',
  };
}

/** Creates a private folder (0700) and its parents; tightens the mode if it already exists. */
export function ensurePrivateDir(dir: string): string {
  makeDirSync(dir, 0o700);
  try {
    // Only group and other lose access: an owner who made the folder stricter (0500) keeps it so.
    const mode = statSync(dir).mode & 0o777;
    if (mode & 0o077) chmodSync(dir, mode & 0o700);
  } catch {
    // Not ours to change (e.g. a shared mount); the files inside are still created 0600.
  }
  return dir;
}

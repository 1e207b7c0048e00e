import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensurePrivateDir, resolvePaths } from '../../src/config/paths.js';
import { openDatabase } from '../../src/store/sqlite/open-database.js';
import { UsageError } from '../../src/core/errors.js';

describe('resolvePaths', () => {
  it('puts every file of a profile under IGTG_HOME', () => {
    const paths = resolvePaths('work', { IGTG_HOME: '/tmp/igtg-home' });
    const root = join(resolve('/tmp/igtg-home'), 'profiles', 'work');
    for (const dir of [paths.configDir, paths.dataDir, paths.stateDir, paths.mediaDir]) {
      expect(dir.startsWith(root)).toBe(true);
    }
    expect(paths.dbFile).toBe(join(root, 'igtg.db'));
  });

  it('gives each IGTG_HOME keychain entries of its own', () => {
    expect(resolvePaths('work', { IGTG_HOME: '/tmp/igtg-home/' }).keychainService).toBe('igtg:/tmp/igtg-home');
    expect(resolvePaths('work', { IGTG_HOME: '/tmp/other' }).keychainService).toBe('igtg:/tmp/other');
    expect(resolvePaths('work', {}).keychainService).toBe('igtg');
  });

  it('follows XDG variables without IGTG_HOME', () => {
    const paths = resolvePaths('default', { XDG_CONFIG_HOME: '/x/config', XDG_DATA_HOME: '/x/data' });
    if (process.platform === 'linux') {
      expect(paths.configFile).toBe('/x/config/igtg/profiles/default/config.json');
      expect(paths.dbFile).toBe('/x/data/igtg/profiles/default/igtg.db');
    }
  });

  it.each(['', '../evil', 'a/b', '.hidden'])('rejects the profile name %j', (name) => {
    expect(() => resolvePaths(name, {})).toThrow(UsageError);
  });
});

describe('ensurePrivateDir', () => {
  it('takes group and other access away but never loosens what the owner set', () => {
    const root = mkdtempSync(join(tmpdir(), 'igtg-private-'));
    try {
      const open = join(root, 'open');
      mkdirSync(open, { mode: 0o755 });
      chmodSync(open, 0o755);
      ensurePrivateDir(open);
      expect(statSync(open).mode & 0o777).toBe(0o700);
      const strict = join(root, 'strict');
      mkdirSync(strict);
      chmodSync(strict, 0o500);
      ensurePrivateDir(strict);
      expect(statSync(strict).mode & 0o777).toBe(0o500);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('openDatabase', () => {
  it('tightens a store file readable by others to 0600, and leaves a stricter one as it is', () => {
    const root = mkdtempSync(join(tmpdir(), 'igtg-modes-'));
    try {
      const file = join(root, 'igtg.db');
      openDatabase(file).close();
      chmodSync(file, 0o644);
      openDatabase(file).close();
      expect(statSync(file).mode & 0o777).toBe(0o600);
      chmodSync(file, 0o400);
      // root may write a 0400 file; anyone else gets a one-line "cannot be written" error instead.
      if (process.getuid?.() === 0) openDatabase(file).close();
      expect(statSync(file).mode & 0o777).toBe(0o400);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

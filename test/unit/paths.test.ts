import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolvePaths } from '../../src/config/paths.js';
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

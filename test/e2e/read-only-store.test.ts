// A store this user may read but not write (another user's copy, read-only media): the commands
// that only read still work, and a folder SQLite cannot write beside the store is one clear line.
// Needs root, to run the binary as `nobody` with util-linux setpriv.
import { execa } from 'execa';
import { chmodSync, chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, runIgtg, tempHome } from '../helpers/cli.js';

const asRoot = process.getuid?.() === 0;
if (!asRoot) console.log('read-only store tests skipped: they need root to run igtg as another user');

const { home, cleanup } = tempHome('igtg-ro-');
afterAll(cleanup);

function asNobody(args: string[], igtgHome = home) {
  return execa('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, BIN, ...args], {
    reject: false,
    env: { HOME: '/tmp', IGTG_HOME: igtgHome, IGTG_SECRETS: 'file', NO_COLOR: '1' },
    extendEnv: false,
  });
}

describe.runIf(asRoot)('a store this user cannot write', { timeout: 60_000 }, () => {
  it('left part-way by a killed import: says that undoing it needs write access', async () => {
    const place = tempHome('igtg-ro-journal-');
    try {
      const imported = await runIgtg(['import', join(ROOT, 'examples', 'sample-archive'), '--no-media'], {
        home: place.home,
      });
      expect(imported.exitCode).toBe(0);
      const dir = join(place.home, 'profiles', 'default');
      for (const path of [place.home, join(place.home, 'profiles'), dir]) chmodSync(path, 0o755);
      chmodSync(join(dir, 'igtg.db'), 0o644);
      // What a kill -9 during a first import leaves (store/sqlite/direct-load.ts).
      writeFileSync(join(dir, 'igtg.db-journal'), Buffer.alloc(512, 0xd9), { mode: 0o644 });
      const expected = `error: the store at ${join(dir, 'igtg.db')} holds an import that was stopped part-way (igtg.db-journal beside it), and undoing it needs write access to the store and its folder: give this user that access, then run any igtg command`;
      for (const command of [['threads'], ['search', 'pancakes']]) {
        const result = await asNobody(command, place.home);
        expect([result.exitCode, result.stderr]).toEqual([1, expected]);
      }
    } finally {
      place.cleanup();
    }
  });

  it('is read by threads, search, show and status; a folder it cannot write beside the store is one line', async () => {
    const imported = await runIgtg(['import', join(ROOT, 'examples', 'sample-archive'), '--no-media'], { home });
    expect(imported.exitCode).toBe(0);
    const dir = join(home, 'profiles', 'default');
    for (const path of [home, join(home, 'profiles'), dir]) chmodSync(path, 0o755);
    chmodSync(join(dir, 'igtg.db'), 0o644);

    const blocked = await asNobody(['threads']);
    expect([blocked.exitCode, blocked.stderr]).toEqual([
      1,
      `error: the store at ${join(dir, 'igtg.db')} is read-only here, and SQLite must create igtg.db-shm beside it even to read it: give this user write access to its folder, or copy the store somewhere writable`,
    ]);

    chmodSync(dir, 0o777);
    const threads = await asNobody(['--json', 'threads']);
    expect(threads.exitCode, threads.stderr).toBe(0);
    expect(JSON.parse(threads.stdout)).toHaveLength(4);
    const search = await asNobody(['--json', 'search', 'pancakes']);
    expect(search.exitCode, search.stderr).toBe(0);
    expect(JSON.parse(search.stdout).length).toBeGreaterThan(0);
    const show = await asNobody(['--json', 'show', 'Layla']);
    expect(show.exitCode, show.stderr).toBe(0);
    const status = await asNobody(['--json', 'status']);
    expect(status.exitCode, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout).counts.threads).toBe(4);
  });

  it('is writable again once its owner gives write access back, whatever a read-only read left beside it', async () => {
    const own = tempHome('igtg-ro-own-');
    try {
      const dir = join(own.home, 'profiles', 'default');
      for (const path of [own.home, join(own.home, 'profiles')]) mkdirSync(path, { recursive: true });
      for (const path of [own.home, join(own.home, 'profiles')]) chownSync(path, 65534, 65534);
      const run = (args: string[]) => asNobody(args, own.home);
      const sample = join(ROOT, 'examples', 'sample-archive');
      expect((await run(['import', sample, '--no-media'])).exitCode).toBe(0);
      const store = join(dir, 'igtg.db');
      chmodSync(store, 0o400);
      expect((await run(['threads'])).exitCode).toBe(0); // read-only: its -shm is made 0400 too
      chmodSync(store, 0o600);
      const again = await run(['--json', 'import', sample, '--no-media']);
      expect([again.exitCode, again.stderr]).toEqual([0, '']);
      expect(JSON.parse(again.stdout)).toMatchObject({ messages_added: 0 });
    } finally {
      own.cleanup();
    }
  });
});

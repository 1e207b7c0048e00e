// `igtg config` through the built binary, as a user runs it.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockProfile } from '../../src/bridge/service/profile-lock.js';
import { runIgtg as run, tempHome, type RunOptions } from '../helpers/cli.js';

let home: string;
let cleanup: () => void;

beforeEach(() => {
  ({ home, cleanup } = tempHome('igtg-config-'));
});

afterEach(() => cleanup());

/** runIgtg with its output as plain strings. */
async function runIgtg(args: string[], options: RunOptions) {
  const result = await run(args, options);
  return { exitCode: result.exitCode, stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? '') };
}

const configFile = () => join(home, 'profiles', 'default', 'config.json');
const igtg = (...args: string[]) => runIgtg(args, { home });

describe('igtg config', () => {
  it('says that a running bridge uses a changed setting only once restarted', async () => {
    const quiet = await igtg('config', 'set', 'bridge.media', 'false');
    expect([quiet.exitCode, quiet.stderr]).toEqual([0, '']);
    // The bridge's own lock, held as a running bridge holds it.
    const release = await lockProfile(join(home, 'profiles', 'default', 'state'), 'default', () => undefined);
    try {
      const set = await igtg('config', 'set', 'telegram.forum_chat_id', '-1001234567890');
      expect(set.exitCode).toBe(0);
      expect(set.stderr).toBe(
        'warning: a bridge is running for profile "default": it uses the new telegram.forum_chat_id once restarted ' +
          '(as a service: systemctl --user restart igtg-bridge-default.service)',
      );
      expect((await igtg('config', 'unset', 'bridge.media')).stderr).toMatch(
        /uses the new bridge\.media once restarted/,
      );
      expect((await igtg('config', 'set', 'sync.pause_min_ms', '2s')).stderr).toBe('');
    } finally {
      await release();
    }
  });

  it('sets, gets and unsets a value', async () => {
    expect((await igtg('config', 'get', 'bridge.poll_interval')).stdout).toBe('60');

    const set = await igtg('config', 'set', 'bridge.poll_interval', '2m');
    expect(set.exitCode).toBe(0);
    expect(set.stdout).toBe('bridge.poll_interval = 120');
    expect((await igtg('config', 'get', 'bridge.poll_interval')).stdout).toBe('120');

    const unset = await igtg('config', 'unset', 'bridge.poll_interval');
    expect(unset.exitCode).toBe(0);
    expect(unset.stdout).toBe('bridge.poll_interval unset (default 60)');
    expect((await igtg('config', 'get', 'bridge.poll_interval')).stdout).toBe('60');
  });

  it('takes negative numbers as values', async () => {
    const set = await igtg('config', 'set', 'telegram.forum_chat_id', '-1001234567890');
    expect(set.stderr).toBe('');
    expect((await igtg('config', 'get', 'telegram.forum_chat_id')).stdout).toBe('-1001234567890');
  });

  it('keeps the config file 0600 in a 0700 folder', async () => {
    expect((await igtg('config', 'set', 'bridge.media', 'off')).exitCode).toBe(0);
    expect(statSync(configFile()).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, 'profiles', 'default')).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(configFile(), 'utf8'))).toEqual({ 'bridge.media': false });
  });

  it('rejects a bad value with one line and exit code 2', async () => {
    const result = await igtg('config', 'set', 'bridge.max_attempts', 'lots');
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'error: invalid value for bridge.max_attempts: "lots" (expected a whole number from 1 to 100)',
    );
  });

  it('rejects an unknown key with a did-you-mean hint and exit code 2', async () => {
    for (const args of [
      ['get', 'bridge.pol_interval'],
      ['set', 'bridge.pol_interval', '30'],
      ['unset', 'bridge.pol_interval'],
    ]) {
      const result = await igtg('config', ...args);
      expect(result.exitCode).toBe(2);
      expect(result.stderr.split('\n')).toHaveLength(1);
      expect(result.stderr).toContain('unknown setting "bridge.pol_interval" (did you mean bridge.poll_interval?)');
    }
  });

  it('lists every setting as an aligned table, marking the ones set', async () => {
    await igtg('config', 'set', 'sync.pause_min_ms', '1.5s');
    const result = await igtg('config', 'list');
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^ {2}KEY +VALUE +DESCRIPTION$/);
    const valueColumn = lines[0]!.indexOf('VALUE');
    const rows = lines.slice(1, 16);
    expect(rows).toHaveLength(15);
    for (const row of rows) expect(row[valueColumn - 1]).toBe(' ');
    expect(rows.find((row) => row.includes('sync.pause_min_ms'))).toMatch(
      /^\* sync\.pause_min_ms +1500 +shortest pause/,
    );
    expect(rows.find((row) => row.includes('sync.pause_max_ms'))).toMatch(/^ {2}sync\.pause_max_ms +3000 /);
    expect(rows.find((row) => row.includes('telegram.owner_id'))!.slice(valueColumn, valueColumn + 2)).toBe('- ');
    expect(result.stdout).toContain(`* set in ${configFile()}`);
  });

  it('prints JSON with --json', async () => {
    const set = await runIgtg(['--json', 'config', 'set', 'bridge.realtime', 'false'], { home });
    expect(JSON.parse(set.stdout)).toMatchObject({ key: 'bridge.realtime', value: false, default: true, is_set: true });

    const get = await runIgtg(['--json', 'config', 'get', 'telegram.owner_id'], { home });
    expect(JSON.parse(get.stdout)).toMatchObject({
      key: 'telegram.owner_id',
      value: null,
      default: null,
      is_set: false,
    });

    const list = await runIgtg(['config', 'list', '--json'], { home });
    const entries = JSON.parse(list.stdout) as Array<{
      key: string;
      value: unknown;
      is_set: boolean;
      description: string;
    }>;
    expect(entries).toHaveLength(15);
    expect(entries.find((entry) => entry.key === 'bridge.realtime')).toMatchObject({ value: false, is_set: true });
    expect(entries.find((entry) => entry.key === 'bridge.max_attempts')).toMatchObject({ value: 8, is_set: false });
    expect(entries.every((entry) => entry.description.length > 0)).toBe(true);
  });

  it('never prints the password of a store URL', async () => {
    const url = 'mongodb://alice:hunter2@db.example:27017/igtg';
    const set = await igtg('config', 'set', 'db', url);
    const outputs = [
      set,
      ...(await Promise.all([
        igtg('config', 'get', 'db'),
        igtg('config', 'list'),
        runIgtg(['--json', 'config', 'list'], { home }),
        igtg('config', 'set', 'db', 'postgres://alice:hunter2@db.example/igtg'),
      ])),
    ];
    for (const result of outputs) expect(`${result.stdout}\n${result.stderr}`).not.toContain('hunter2');
    expect(outputs[1]!.stdout).toBe('mongodb://alice:***@db.example:27017/igtg');
    expect(JSON.parse(readFileSync(configFile(), 'utf8')).db).toBe(url);
  });

  it('reports a corrupt config file in one line naming it', async () => {
    mkdirSync(join(home, 'profiles', 'default'), { recursive: true });
    writeFileSync(configFile(), '{ "bridge.media": tru');
    const result = await igtg('config', 'list');
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe(`error: config file ${configFile()} is not valid JSON; fix it or remove it`);
  });

  it('reports a corrupt config file to read commands too, instead of reading the default store', async () => {
    mkdirSync(join(home, 'profiles', 'default'), { recursive: true });
    // A trailing comma after the line that points at the user's own store.
    writeFileSync(configFile(), `{\n "db": "${join(home, 'mine.db')}",\n "bridge.media": false,\n}\n`);
    for (const args of [['threads'], ['search', 'hello'], ['status']]) {
      const result = await igtg(...args);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toBe(`error: config file ${configFile()} is not valid JSON; fix it or remove it`);
    }
    expect(existsSync(join(home, 'profiles', 'default', 'igtg.db'))).toBe(false);
  });

  it('refuses a db in the file that is not a valid store, instead of reading the default store', async () => {
    mkdirSync(join(home, 'profiles', 'default'), { recursive: true });
    writeFileSync(configFile(), JSON.stringify({ db: 'mysql://u:hunter2@h/x' }));
    for (const args of [['threads'], ['status']]) {
      const result = await igtg(...args);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toBe(
        `error: config file ${configFile()}: db is not a valid store; fix it with igtg config set db …`,
      );
    }
    expect(existsSync(join(home, 'profiles', 'default', 'igtg.db'))).toBe(false);
    // config list says what the commands will do, not that a default applies.
    const list = await igtg('config', 'list');
    expect(list.stderr).toContain(
      `${configFile()}: db is not a valid store; commands that use the store fail until it is fixed`,
    );
    // config itself still works, to fix it.
    expect((await igtg('config', 'set', 'db', join(home, 'x.db'))).exitCode).toBe(0);
  });

  it('uses the configured store when IGTG_DB is set but empty (an unset variable in a script)', async () => {
    const mine = join(home, 'mine.db');
    await igtg('config', 'set', 'db', mine);
    const result = await runIgtg(['--json', 'status'], { home, env: { IGTG_DB: '' } });
    expect(result.exitCode).toBe(0);
    expect((JSON.parse(String(result.stdout)) as { store: { location: string } }).store.location).toBe(mine);
    expect(existsSync(join(home, 'profiles', 'default', 'igtg.db'))).toBe(false);
  });

  it('ignores keys it does not know in the file', async () => {
    mkdirSync(join(home, 'profiles', 'default'), { recursive: true });
    writeFileSync(configFile(), JSON.stringify({ 'from.the.future': 1, 'bridge.max_attempts': 4 }));
    const result = await igtg('config', 'get', 'bridge.max_attempts');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('4');
  });
});

// The cron behaviours of `igtg export`: a killed run, overlapping runs, and waiting for a lock.
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireExportLock, exportLockPath } from '../../src/export/export-lock.js';
import { BIN, runIgtg, tempHome } from '../helpers/cli.js';
import { ZOE_ID, profilePaths, sampleMessages, seedBulk, seedSample } from '../unit/export-fixtures.js';

const BULK = 100_000;
const TOTAL = BULK + sampleMessages().length;

/** Starts `igtg ...args` in the background (so the test can watch it, kill it or race it). */
function startIgtg(home: string, args: string[]): ResultPromise {
  return execa(process.execPath, [BIN, ...args], {
    reject: false,
    env: { IGTG_HOME: home, IGTG_SECRETS: 'file', NO_COLOR: '1', IGTG_DB: undefined },
    extendEnv: true,
  });
}

/** Polls until `check` holds; the test's own timeout bounds the wait. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await sleep(10);
}

/** Every file under a folder (or the file itself) with a hash of its content. */
function snapshot(path: string): Record<string, string> {
  const hash = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
  if (statSync(path).isFile()) return { '.': hash(path) };
  const files: Record<string, string> = {};
  for (const entry of readdirSync(path, { recursive: true, withFileTypes: true })) {
    if (entry.isFile())
      files[relative(path, join(entry.parentPath, entry.name))] = hash(join(entry.parentPath, entry.name));
  }
  return files;
}

const leftovers = (dir: string, name: string) => readdirSync(dir).filter((entry) => entry.startsWith(`.${name}.igtg-`));
const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean).length;

describe('igtg export under cron', () => {
  const { home: tempDir, cleanup } = tempHome('igtg-export-cron-');
  const home = realpathSync(tempDir);
  const { stateDir } = profilePaths(home);
  beforeAll(async () => {
    await seedSample(home);
    await seedBulk(profilePaths(home).dbFile, BULK);
  }, 300_000);
  afterAll(cleanup);

  it.each([
    [
      'html',
      'site',
      (temp: string) => existsSync(join(temp, 'threads')) && readdirSync(join(temp, 'threads')).length > 2,
    ],
    ['jsonl', 'all.jsonl', (temp: string) => statSync(temp).size > 100_000],
  ])(
    'a %s export killed while writing leaves the previous export intact and only hidden leftovers',
    async (format, name, writing) => {
      const out = join(home, name);
      const small = ['export', '-f', format, '-o', out, '--thread', ZOE_ID];
      expect((await runIgtg(small, { home })).exitCode).toBe(0);
      const before = snapshot(out);
      const visibleBefore = readdirSync(home).filter((entry) => !entry.startsWith('.'));

      const child = startIgtg(home, ['export', '-f', format, '-o', out]);
      let temp = '';
      await until(() => {
        const [leftover] = leftovers(home, name);
        temp = leftover ? join(home, leftover) : '';
        return temp !== '' && writing(temp);
      });
      child.kill('SIGKILL');
      const killed = await child;
      expect(killed.signal).toBe('SIGKILL');

      expect(snapshot(out)).toEqual(before);
      expect(readdirSync(home).filter((entry) => !entry.startsWith('.'))).toEqual(visibleBefore);
      expect(leftovers(home, name)).toEqual([
        expect.stringMatching(new RegExp(`^\\.${name}\\.igtg-tmp-\\d+-[0-9a-f]+$`)),
      ]);

      // The next run takes over the stale lock, cleans up, and exports.
      const next = await runIgtg(['--json', 'export', '-f', format, '-o', out, '--wait', '60'], {
        home,
        timeoutMs: 300_000,
      });
      expect(next.exitCode).toBe(0);
      expect(JSON.parse(next.stdout)).toMatchObject({ messages: TOTAL });
      expect(leftovers(home, name)).toEqual([]);
    },
    300_000,
  );

  it('a run stopped with SIGTERM frees its target at once: the next run need not wait for the lock to go stale', async () => {
    const out = join(home, 'term.jsonl');
    const child = startIgtg(home, ['export', '-f', 'jsonl', '-o', out]);
    await until(() => {
      const [leftover] = leftovers(home, 'term.jsonl');
      return leftover !== undefined && statSync(join(home, leftover)).size > 100_000;
    });
    child.kill('SIGTERM');
    expect((await child).exitCode).toBe(143);
    expect(existsSync(`${exportLockPath(stateDir, out)}.lock`)).toBe(false);
    const next = await runIgtg(['--json', 'export', '-f', 'jsonl', '-o', out, '--wait', '0'], { home });
    expect(next.exitCode, next.stderr).toBe(0);
    expect(JSON.parse(next.stdout)).toMatchObject({ messages: TOTAL });
  }, 120_000);

  it('a --since last export to stdout stopped with SIGTERM ends at once and leaves its mark', async () => {
    const file = join(home, 'stdout.jsonl');
    const fd = openSync(file, 'w');
    // stdout is a file, as in `igtg export -o - > file`: writes never wait, so only the loop's turns let the signal in.
    const child = spawn(process.execPath, [BIN, 'export', '-f', 'jsonl', '--since', 'last', '-o', '-'], {
      stdio: ['ignore', fd, 'ignore'],
      env: { ...process.env, IGTG_HOME: home, IGTG_SECRETS: 'file', NO_COLOR: '1', IGTG_DB: '' },
    });
    closeSync(fd);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await until(() => statSync(file).size > 1_000_000);
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(lines(file)).toBeLessThan(TOTAL);
    // Not counted as done: the next run exports everything.
    const next = await runIgtg(['export', '-f', 'jsonl', '--since', 'last', '-o', '-'], {
      home,
      timeoutMs: 300_000,
    });
    expect(next.exitCode).toBe(0);
    expect(next.stdout.split('\n').filter(Boolean)).toHaveLength(TOTAL);
  }, 300_000);

  it('an export to stdout whose reader stops early fails in one line, so cron does not count it done', async () => {
    const child = startIgtg(home, ['export', '-f', 'jsonl', '-o', '-']);
    // As `igtg export -o - | head -1` does: read a little, then close the pipe.
    await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
    child.stdout!.destroy();
    const result = await child;
    expect(result.exitCode).toBe(1);
    expect(String(result.stderr).trim()).toBe(
      'error: the export was cut short: its reader closed the pipe before the end',
    );
  });

  it('a run that finds the target locked gives up with a clear message when told not to wait', async () => {
    const out = join(home, 'locked.json');
    const lock = await acquireExportLock(stateDir, out, { waitMs: 0, describe: out });
    try {
      expect(existsSync(`${exportLockPath(stateDir, out)}.lock`)).toBe(true);
      const result = await runIgtg(['export', '-f', 'json', '-o', out, '--wait', '0'], { home });
      expect(result.exitCode).toBe(1);
      expect(result.stderr.trim()).toBe(
        `error: another igtg export to ${out} is running; try again when it has finished`,
      );
      expect(existsSync(out)).toBe(false);
      expect(leftovers(home, 'locked.json')).toEqual([]);
    } finally {
      await lock.release();
    }
  });

  it('a run that finds the target locked waits, says so, and exports once the lock is free', async () => {
    const out = join(home, 'waited.jsonl');
    const lock = await acquireExportLock(stateDir, out, { waitMs: 0, describe: out });
    const child = startIgtg(home, ['export', '-f', 'jsonl', '-o', out, '--wait', '300']);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await until(() => stderr.includes('waiting for another igtg export'));
    expect(existsSync(out)).toBe(false);
    await lock.release();
    const result = await child;
    expect(result.exitCode).toBe(0);
    expect(stderr).toBe(`waiting for another igtg export to ${out} to finish…\n`);
    expect(lines(out)).toBe(TOTAL);
  }, 300_000);

  it('two overlapping runs to the same target: the second waits for the first, both succeed', async () => {
    const out = join(home, 'overlap.jsonl');
    const lockDir = `${exportLockPath(stateDir, out)}.lock`;
    const first = startIgtg(home, ['--json', 'export', '-f', 'jsonl', '-o', out]);
    await until(() => existsSync(lockDir));
    // Not --json, which silences the notice that shows the second run waited rather than wrote beside the first.
    const second = startIgtg(home, ['export', '-f', 'jsonl', '-o', out, '--wait', '300']);
    const [a, b] = await Promise.all([first, second]);
    expect([a.exitCode, b.exitCode]).toEqual([0, 0]);
    expect(JSON.parse(String(a.stdout)).messages).toBe(TOTAL);
    expect(String(b.stderr)).toBe(`waiting for another igtg export to ${out} to finish…`);
    expect(String(b.stdout)).toContain(`exported ${TOTAL} messages`);
    expect(lines(out)).toBe(TOTAL);
    expect(leftovers(home, 'overlap.jsonl')).toEqual([]);
    expect(existsSync(lockDir)).toBe(false);
  }, 300_000);
});

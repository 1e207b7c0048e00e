// Another process holding the store's write lock for long (an import of a big archive is one
// transaction): read commands answer from what is committed, and an export waits to record its mark
// instead of failing with its output already in place.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, runIgtg, tempHome } from '../helpers/cli.js';

const { home, cleanup } = tempHome('igtg-store-busy-');
afterAll(() => cleanup());
beforeAll(async () => {
  const imported = await runIgtg(['import', '--quiet', join(ROOT, 'examples', 'sample-archive')], { home });
  expect(imported.exitCode).toBe(0);
});

/** Holds the store's write lock, as an import under way does, until release(). */
function holdWriteLock(): { release: () => void } {
  const db = new Database(join(home, 'profiles', 'default', 'igtg.db'));
  db.exec("BEGIN IMMEDIATE; INSERT INTO meta (key, value) VALUES ('test.busy', '1')");
  return {
    release: () => {
      db.exec('ROLLBACK');
      db.close();
    },
  };
}

describe('a store another process is writing', () => {
  it('is read as committed by threads and search', async () => {
    const lock = holdWriteLock();
    try {
      const threads = await runIgtg(['threads', '--json'], { home });
      expect(threads.exitCode).toBe(0);
      expect(JSON.parse(threads.stdout)).toHaveLength(4);
      const search = await runIgtg(['search', 'pancakes', '--json'], { home });
      expect(search.exitCode).toBe(0);
      expect(JSON.parse(search.stdout).length).toBeGreaterThan(0);
    } finally {
      lock.release();
    }
  });

  it('makes an export wait to record its mark, then succeed', async () => {
    const out = join(home, 'dms.jsonl');
    const lock = holdWriteLock();
    const exporting = execa(process.execPath, [BIN, 'export', '--format', 'jsonl', '--since', 'last', '--out', out], {
      reject: false,
      env: { IGTG_HOME: home, IGTG_SECRETS: 'file', IGTG_DB: undefined },
    });
    // The output is in place while the mark waits; past the 5 s every other command waits for.
    while (!existsSync(out)) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    lock.release();
    const result = await exporting;
    expect([result.exitCode, result.stderr]).toEqual([0, `no earlier export to ${out}: exporting everything`]);
    expect(readFileSync(out, 'utf8').split('\n').filter(Boolean)).toHaveLength(24);
    // The mark was recorded: nothing new for the next run.
    const again = await runIgtg(['export', '--format', 'jsonl', '--since', 'last', '--out', out, '--json'], { home });
    expect(JSON.parse(again.stdout)).toMatchObject({ messages: 0 });
  }, 30_000);
});

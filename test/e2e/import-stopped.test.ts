// An import killed part-way leaves the embedded store as it was (one transaction), and running it
// again imports everything. The first import into a store writes it without the WAL
// (store/sqlite/direct-load.ts): what it wrote is undone from the rollback journal.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { generateArchive } from '../../bench/gen-archive.js';
import { BIN, runIgtg, tempHome } from '../helpers/cli.js';

const { home, cleanup } = tempHome('igtg-import-stopped-');
afterAll(() => cleanup());

const fileBytes = (file: string): number => {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
};

describe('an import killed part-way', () => {
  it('leaves nothing in the store, and the next run imports everything', async () => {
    const archive = join(home, 'archive');
    const { messages } = await generateArchive({ dir: archive, messages: 100_000, threads: 40, seed: 7 });
    const child = execa(process.execPath, [BIN, 'import', '--no-media', archive], {
      reject: false,
      env: { IGTG_HOME: home, IGTG_SECRETS: 'file', IGTG_DB: undefined },
    });
    // Killed once the import has written a good part of the archive (pages spilled to the store).
    const store = join(home, 'profiles', 'default', 'igtg.db');
    while (fileBytes(store) < 4 * 1024 * 1024 && child.exitCode === null) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    child.kill('SIGKILL');
    const killed = await child;
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(`${store}-journal`)).toBe(true);

    const threads = await runIgtg(['threads', '--json'], { home });
    expect([threads.exitCode, JSON.parse(threads.stdout)]).toEqual([0, []]);
    expect(existsSync(`${store}-journal`)).toBe(false);
    expect(fileBytes(store)).toBeLessThan(1024 * 1024);

    const again = await runIgtg(['import', '--json', '--no-media', archive], { home, timeoutMs: 120_000 });
    expect(again.exitCode).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ messages_read: messages, messages_added: messages });
  }, 180_000);
});

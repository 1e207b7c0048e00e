// The checking pass on two threads (check-threads.ts, check-pool.ts) must reach exactly what the
// importer's own check does: same threads, names, owner, errors and skipped files.
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CheckPool } from '../../src/archive/check-pool.js';
import { absorb, newFacts } from '../../src/archive/check-thread.js';
import { MAX_HTML_DEPTH } from '../../src/archive/html-thread.js';
import { parseJsonThreadFile } from '../../src/archive/json-thread.js';
import { importArchive, type ImportOptions } from '../../src/archive/import-archive.js';
import { planArchive } from '../../src/archive/layouts.js';
import { withLimits } from '../../src/archive/limits.js';
import { openArchiveSource } from '../../src/archive/open-source.js';
import {
  BAD_GROUP_FILE,
  badGroupFiles,
  currentLayoutFiles,
  htmlPage,
  ME,
  metaJson,
  writeTree,
  ZOE_FOLDER,
} from '../fixtures/archive/build-archive.js';
import { FakeImportStore } from '../fixtures/archive/fake-store.js';
import { zipOfFiles } from '../fixtures/archive/zip-writer.js';
import { tempFolder } from '../helpers/temp-folder.js';

const { fresh } = tempFolder('igtg-check-threads-');

/** The same import checked on the importer's thread only, and with the checker thread from the first byte. */
async function bothWays(path: string, extra: Partial<ImportOptions> = {}) {
  const outcome = async (checkerAfterBytes: number) => {
    const store = new FakeImportStore();
    const pages: number[] = [];
    const onProgress: ImportOptions['onProgress'] = (event) => {
      if (event.type === 'phase' && event.phase !== 'checking') pages.push(-1);
      if (event.type === 'file' && !pages.includes(-1)) pages.push(event.messages);
    };
    const result = await importArchive({
      path,
      store,
      mediaDir: null,
      timeZone: 'UTC',
      checkerAfterBytes,
      onProgress,
      ...extra,
    }).then(
      (summary) => ({ summary }),
      (error: Error) => ({ error: error.message }),
    );
    return { result, store, checkedPages: pages.filter((n) => n >= 0).sort((a, b) => a - b) };
  };
  return { here: await outcome(Number.POSITIVE_INFINITY), split: await outcome(0) };
}

describe('the checking pass on two threads', () => {
  it('stores the same threads, users and messages as a check on one thread', async () => {
    const { here, split } = await bothWays(writeTree(fresh('current'), currentLayoutFiles()));
    expect(here.result).toMatchObject({ summary: { threads: 3, messagesAdded: 21, owner: ME } });
    expect(split.result).toEqual(here.result);
    expect([...split.store.threads.entries()]).toEqual([...here.store.threads.entries()]);
    expect([...split.store.users.entries()]).toEqual([...here.store.users.entries()]);
    expect([...split.store.messages.entries()]).toEqual([...here.store.messages.entries()]);
    // Progress counts every page once, whoever checked it.
    expect(split.checkedPages).toEqual(here.checkedPages);
  });

  it('reads a zip archive the same way', async () => {
    const zip = fresh('archive.zip');
    writeFileSync(zip, zipOfFiles(currentLayoutFiles()));
    const { here, split } = await bothWays(zip);
    expect(here.result).toMatchObject({ summary: { threads: 3, messagesAdded: 21 } });
    expect(split.result).toEqual(here.result);
    expect([...split.store.messages.entries()]).toEqual([...here.store.messages.entries()]);
  });

  it('stops at the same bad file, and skips the same with skipBad', async () => {
    const root = writeTree(fresh('bad'), badGroupFiles());
    const stopped = await bothWays(root);
    expect(stopped.here.result).toEqual({ error: expect.stringContaining(BAD_GROUP_FILE) as string });
    expect(stopped.split.result).toEqual(stopped.here.result);
    expect(stopped.split.store.writes).toBe(0);

    const skipped = await bothWays(root, { skipBad: true });
    expect(skipped.here.result).toMatchObject({ summary: { threads: 2, skippedFiles: [{ file: BAD_GROUP_FILE }] } });
    expect(skipped.split.result).toEqual(skipped.here.result);
    expect(skipped.split.checkedPages).toEqual(skipped.here.checkedPages);
  });

  it('reports the first bad thread in plan order, even when the checker fails on a later one', async () => {
    const root = writeTree(fresh('order'), {
      'your_instagram_activity/messages/inbox/a0_1/message_1.json': '{ not json',
      'your_instagram_activity/messages/inbox/a1_1/message_1.html': htmlPage(
        'T',
        ['A', ME],
        [{ sender: 'A', time: 'Jan 2, 2024 4:05 pm', text: 'hi' }],
      ),
    });
    // An unknown zone makes the HTML page's check throw something other than a bad-file error.
    const { here, split } = await bothWays(root, { timeZone: 'Not/AZone' });
    expect(here.result).toEqual({ error: expect.stringContaining('a0_1/message_1.json: not valid JSON') as string });
    expect(split.result).toEqual(here.result);
  });

  it('skips HTML nested too deeply on either thread (a fixed bound, not the stack size)', async () => {
    const depth = MAX_HTML_DEPTH + 1_000;
    const base = 'your_instagram_activity/messages/inbox/deep_17843920470000001';
    const root = writeTree(fresh('deep'), {
      ...currentLayoutFiles(),
      [`${base}/message_1.html`]:
        `<html><body><div class="_a6-g"><div class="_a6-h">Zoë Müller</div><div class="_a6-p">` +
        `${'<div>'.repeat(depth)}x${'</div>'.repeat(depth)}</div>` +
        `<div class="_a6-o">Jan 2, 2024 4:05 pm</div></div></body></html>`,
    });
    const { here, split } = await bothWays(root, { skipBad: true });
    expect(here.result).toMatchObject({
      summary: { threads: 3, skippedFiles: [{ file: `${base}/message_1.html`, reason: 'HTML nested too deeply' }] },
    });
    expect(split.result).toEqual(here.result);
  });

  it('refuses a page over the size bound the same way', async () => {
    const { here, split } = await bothWays(writeTree(fresh('big'), currentLayoutFiles()), {
      limits: { maxJsonBytes: 2000 },
    });
    expect(here.result).toEqual({ error: expect.stringMatching(/larger than the 2\.0 KiB allowed/) as string });
    expect(split.result).toEqual(here.result);
  });

  it('reads HTML pages in the given zone on the checker thread too', async () => {
    const base = `your_instagram_activity/messages/inbox/${ZOE_FOLDER}`;
    const root = writeTree(fresh('html'), {
      [`${base}/message_1.html`]: htmlPage(
        'Zoë Müller',
        ['Zoë Müller', ME],
        [
          { sender: ME, time: 'Jan 2, 2024 4:05 pm', text: 'second' },
          { sender: 'Zoë Müller', time: 'Jan 2, 2024 4:04 pm', text: 'first' },
        ],
      ),
    });
    const { here, split } = await bothWays(root, { timeZone: 'America/New_York' });
    expect(split.result).toEqual(here.result);
    expect([...split.store.threads.values()]).toEqual([...here.store.threads.values()]);
    expect(split.store.threads.get(`archive:${ZOE_FOLDER}`)?.lastActivityAt).toBe(Date.UTC(2024, 0, 2, 21, 5));
  });
});

describe('CheckPool', () => {
  it("answers with a thread's facts, names and page counts", async () => {
    const limits = withLimits({});
    const source = await openArchiveSource(writeTree(fresh('pool'), currentLayoutFiles()), limits);
    const thread = planArchive(source.files()).threads.find((one) => one.folder === ZOE_FOLDER)!;
    const pages = [];
    for (const file of thread.files) pages.push({ file, bytes: new Uint8Array(await source.read(file.path, 1e6)) });
    const pool = new CheckPool(limits, 'UTC');
    try {
      const outcome = await pool.check(thread, pages, null);
      expect(outcome.error).toBeNull();
      expect(outcome.counts.reduce((sum, n) => sum + n, 0)).toBeGreaterThan(0);
      expect(outcome.checked?.facts).toMatchObject({ folder: ZOE_FOLDER, title: 'Zoë Müller', isGroup: false });
      expect([...outcome.checked!.names.keys()]).toContain('Zoë Müller');
      expect(pool.busy).toBe(0);

      const unreadable = await pool.check(thread, [], { file: 'x/message_1.json', reason: 'cannot read it: EIO' });
      expect(String(unreadable.error)).toContain('x/message_1.json: cannot read it: EIO');
    } finally {
      await pool.close();
      await source.close();
    }
    await expect(pool.check(thread, [], null)).rejects.toThrow(/checker thread/);
  });
});

describe('absorb', () => {
  it('counts a "You …" line the same from raw and repaired text, whose lengths differ', () => {
    // 😀 is 4 bytes, each written by Meta as a 6-character \u00XX: 80 of them make the raw line
    // ~2,000 characters and the repaired one ~180 (the limit for such lines is 300).
    const text = metaJson({
      participants: [{ name: 'Ann' }, { name: 'Bea' }],
      messages: [{ sender_name: 'Ann', timestamp_ms: 1, content: `You named the group ${'😀'.repeat(80)}.` }],
    });
    const ownLinesOf = (repair: boolean) => {
      const page = parseJsonThreadFile(text, 'message_1.json', 64, repair);
      const ownLines = new Map<string, number>();
      absorb(newFacts('x_1', false, false), page, new Map(), ownLines);
      return ownLines;
    };
    expect(ownLinesOf(true)).toEqual(new Map([['Ann', 1]]));
    expect(ownLinesOf(false)).toEqual(ownLinesOf(true));
  });
});

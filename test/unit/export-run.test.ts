import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IgtgError, UsageError } from '../../src/core/errors.js';
import { messageToJson } from '../../src/core/message-json.js';
import type { Message } from '../../src/core/model.js';
import { readExportState } from '../../src/export/export-state.js';
import { runExport, type ExportEnvironment, type ExportRequest } from '../../src/export/run-export.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { CLUB, CLUB_ID, T0, ZOE, ZOE_ID, message, sampleMessages, writeSampleMedia } from './export-fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'igtg-run-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let dir: string;
let store: Store;
let env: ExportEnvironment;
let n = 0;

beforeEach(async () => {
  dir = join(root, String((n += 1)));
  mkdirSync(dir);
  store = await openSqliteStore(join(dir, 'igtg.db'));
  await store.write({ threads: [ZOE, CLUB], messages: sampleMessages() });
  writeSampleMedia(join(dir, 'media'));
  env = { store, mediaDir: join(dir, 'media'), stateDir: join(dir, 'state'), cwd: dir, stdout: process.stdout };
});
afterEach(async () => {
  await store.close();
});

const request = (fields: Partial<ExportRequest>): ExportRequest => ({
  format: 'jsonl',
  out: 'out.jsonl',
  since: null,
  until: null,
  excel: false,
  waitMs: 0,
  ...fields,
});

const readJsonl = (file: string) =>
  readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { message_id: string });

describe('runExport', () => {
  it('exports everything to the default file name and reports what it wrote', async () => {
    const summary = await runExport(request({ out: null }), env);
    expect(summary).toEqual({
      format: 'jsonl',
      out: join(dir, 'igtg-export.jsonl'),
      threads: 2,
      messages: sampleMessages().length,
      files: 1,
      nothing_new: false,
    });
    const stored: Message[] = [];
    for await (const m of store.streamMessages()) stored.push(m);
    expect(readJsonl(summary.out)).toEqual(
      stored.map((m) => ({ ...messageToJson(m), thread_title: m.threadId === ZOE_ID ? ZOE.title : CLUB.title })),
    );
    expect(readdirSync(dir).filter((name) => name.includes('igtg-tmp'))).toEqual([]);
  });

  it('--since last exports what was stored since the last export to the same target', async () => {
    const first = await runExport(request({ since: 'last' }), env);
    expect(first.messages).toBe(sampleMessages().length);
    expect(await runExport(request({ since: 'last' }), env)).toMatchObject({
      nothing_new: true,
      messages: 0,
      files: 0,
    });
    // Another target has its own state.
    expect((await runExport(request({ since: 'last', out: 'other.jsonl' }), env)).messages).toBe(
      sampleMessages().length,
    );

    await store.write({ messages: [message({ threadId: CLUB_ID, id: 'new1', text: 'new one' })] });
    const third = await runExport(request({ since: 'last' }), env);
    expect(third).toMatchObject({ nothing_new: false, messages: 1, threads: 1 });
    // A jsonl file grows: the earlier export, then what is new.
    const ids = readJsonl(join(dir, 'out.jsonl')).map((m) => m.message_id);
    expect(ids).toHaveLength(sampleMessages().length + 1);
    expect(ids.at(-1)).toBe('new1');
    expect(await runExport(request({ since: 'last' }), env)).toMatchObject({ nothing_new: true });
  });

  it('--since last adds rows to a csv file under its one header', async () => {
    const csv = (fields: Partial<ExportRequest>) =>
      runExport(request({ format: 'csv', out: 'out.csv', ...fields }), env);
    await csv({ since: 'last' });
    const before = readFileSync(join(dir, 'out.csv'), 'utf8');
    await store.write({ messages: [message({ threadId: CLUB_ID, id: 'new-csv', text: 'new one' })] });
    expect(await csv({ since: 'last' })).toMatchObject({ messages: 1 });
    const after = readFileSync(join(dir, 'out.csv'), 'utf8');
    expect(after.startsWith(before)).toBe(true);
    expect(after.slice(before.length)).toMatch(/^new-csv,[^\r\n]*new one[^\r\n]*\r\n$/);
  });

  it('--since last exports everything again when the grown file is gone', async () => {
    await runExport(request({ since: 'last' }), env);
    rmSync(join(dir, 'out.jsonl'));
    await store.write({ messages: [message({ threadId: CLUB_ID, id: 'new3' })] });
    const notices: string[] = [];
    const again = await runExport(request({ since: 'last' }), { ...env, notice: (text) => notices.push(text) });
    expect(again.messages).toBe(sampleMessages().length + 1);
    expect(notices).toEqual([`${join(dir, 'out.jsonl')} does not hold the earlier export: exporting everything`]);
  });

  it('--since last starts a grown file again whole when it is not what the mark describes', async () => {
    const all = sampleMessages().length;
    await runExport(request({ since: 'last' }), env);
    // Another selection rewrites the same file with one thread only.
    const zoeOnly = await runExport(request({ threadIds: [ZOE_ID] }), env);
    await store.write({ messages: [message({ threadId: CLUB_ID, id: 'after' })] });
    const notices: string[] = [];
    const again = await runExport(request({ since: 'last' }), { ...env, notice: (text) => notices.push(text) });
    expect(again.messages).toBe(all + 1);
    expect(readJsonl(join(dir, 'out.jsonl'))).toHaveLength(all + 1);
    expect(zoeOnly.messages).toBeLessThan(all);
    expect(notices).toEqual([`${join(dir, 'out.jsonl')} does not hold the earlier export: exporting everything`]);

    // Emptied by hand: written whole again, header first.
    await runExport(request({ format: 'csv', out: 'b.csv', since: 'last' }), env);
    writeFileSync(join(dir, 'b.csv'), '');
    await store.write({ messages: [message({ threadId: CLUB_ID, id: 'after2' })] });
    await runExport(request({ format: 'csv', out: 'b.csv', since: 'last' }), env);
    expect(readFileSync(join(dir, 'b.csv'), 'utf8')).toMatch(/^message_id,/);

    // An --excel file never gets plain rows, nor the other way round.
    await store.write({ messages: [message({ threadId: CLUB_ID, id: 'after3', text: '=1+2' })] });
    const plain = await runExport(request({ format: 'csv', out: 'b.csv', since: 'last', excel: true }), env);
    expect(plain.messages).toBe(all + 3);
    const text = readFileSync(join(dir, 'b.csv'), 'utf8');
    expect(text.startsWith('\uFEFFmessage_id,')).toBe(true);
    expect(text).toContain(",'=1+2,");
  });

  it('an export cut by date resets the mark, so the next --since last misses nothing', async () => {
    await runExport(request({ since: 'last' }), env);
    const all = sampleMessages().length;
    const cut = await runExport(request({ until: new Date(T0 + 1).toISOString() }), env);
    expect(cut.messages).toBeLessThan(all);
    expect((await runExport(request({ since: 'last' }), env)).messages).toBe(all);
    await runExport(request({ since: new Date(T0 + 1).toISOString() }), env);
    expect((await runExport(request({ since: 'last' }), env)).messages).toBe(all);
  });

  it("refuses to write into igtg's own folders or over its store", async () => {
    const own = { folders: [join(dir, 'profile')], files: [join(dir, 'igtg.db')] };
    await expect(runExport(request({ out: 'profile/x.jsonl' }), { ...env, ownPaths: own })).rejects.toThrow(
      `--out: ${join(dir, 'profile', 'x.jsonl')} is inside igtg's own folder ${join(dir, 'profile')}; export somewhere else`,
    );
    await expect(runExport(request({ out: 'igtg.db' }), { ...env, ownPaths: own })).rejects.toThrow(
      `--out: ${join(dir, 'igtg.db')} is igtg's store; export somewhere else`,
    );
    expect(await store.counts()).toMatchObject({ messages: sampleMessages().length });
    expect(existsSync(join(dir, 'profile'))).toBe(false);
  });

  it('--since last says nothing new when new messages are all outside the selection', async () => {
    await runExport(request({ since: 'last', threadIds: [ZOE_ID] }), env);
    await store.write({ messages: [message({ threadId: CLUB_ID, id: 'new2' })] });
    const before = readFileSync(join(dir, 'out.jsonl'), 'utf8');
    expect(await runExport(request({ since: 'last', threadIds: [ZOE_ID] }), env)).toMatchObject({ nothing_new: true });
    expect(readFileSync(join(dir, 'out.jsonl'), 'utf8')).toBe(before);
  });

  it('--since last keeps one state per format on stdout and per thread selection', async () => {
    const sink = () =>
      Object.assign(
        new Writable({
          write(_chunk, _encoding, done) {
            done();
          },
        }),
        { isTTY: false },
      );
    const toStdout = (fields: Partial<ExportRequest>) =>
      runExport(request({ out: '-', since: 'last', ...fields }), { ...env, stdout: sink() as never });
    expect((await toStdout({ format: 'jsonl' })).messages).toBe(sampleMessages().length);
    // Another job piping csv elsewhere is not told "nothing new" by the jsonl job's run.
    expect((await toStdout({ format: 'csv' })).messages).toBe(sampleMessages().length);
    expect(await toStdout({ format: 'csv' })).toMatchObject({ nothing_new: true });
    // A look at the data on stdout (whole, or cut by date) leaves the cron job's mark alone.
    await store.write({ messages: [message({ threadId: CLUB_ID, id: 'peek' })] });
    await toStdout({ format: 'csv', since: null });
    await toStdout({ format: 'csv', since: new Date(T0).toISOString() });
    expect(await toStdout({ format: 'csv' })).toMatchObject({ nothing_new: false, messages: 1 });

    const zoe = sampleMessages().filter((m) => m.threadId === ZOE_ID).length;
    expect((await runExport(request({ since: 'last', threadIds: [ZOE_ID] }), env)).messages).toBe(zoe);
    // The whole store to the same file: the Zoë-only run did not count the club's messages as exported.
    expect((await runExport(request({ since: 'last' }), env)).messages).toBe(sampleMessages().length + 1);
  });

  it('--since last reads the state an older version kept for the whole target, if of the same format', async () => {
    await runExport(request({ since: 'last' }), env);
    const legacy = await readExportState(store, join(dir, 'out.jsonl'));
    await store.setMeta('export.last:-', JSON.stringify(legacy));
    const sink = new Writable({
      write(_chunk, _encoding, done) {
        done();
      },
    });
    const run = (format: 'jsonl' | 'csv') =>
      runExport(request({ out: '-', since: 'last', format }), { ...env, stdout: sink as never });
    expect(await run('jsonl')).toMatchObject({ nothing_new: true });
    expect((await run('csv')).messages).toBe(sampleMessages().length);
  });

  it('refuses --since last with --until, and an empty --out', async () => {
    await expect(runExport(request({ since: 'last', until: '1d' }), env)).rejects.toThrow(
      /--since last cannot be combined with --until/,
    );
    await expect(runExport(request({ out: '' }), env)).rejects.toThrow(UsageError);
    await expect(runExport(request({ out: '  ' }), env)).rejects.toThrow('--out is empty');
    expect(existsSync(join(dir, 'igtg-export.jsonl'))).toBe(false);
  });

  it('says a target the file system refuses is the problem, not an unexpected failure', async () => {
    writeFileSync(join(dir, 'afile'), 'x');
    const failure = runExport(request({ out: join('afile', 'x.jsonl') }), env);
    await expect(failure).rejects.toBeInstanceOf(IgtgError);
    await expect(failure).rejects.toThrow(/^cannot export to .*afile\/x\.jsonl: ENOTDIR/);
  });

  it('selects threads and messages by date', async () => {
    const club = await runExport(request({ threadIds: [CLUB_ID] }), env);
    expect(club).toMatchObject({ threads: 1, messages: 5 });
    const z = sampleMessages().filter((m) => m.threadId === ZOE_ID);
    const dated = await runExport(
      request({ threadIds: [ZOE_ID], since: String(z[4]!.sentAt), until: String(z[6]!.sentAt) }),
      env,
    );
    expect(dated.messages).toBe(2);
    expect(readJsonl(join(dir, 'out.jsonl')).map((m) => m.message_id)).toEqual(['z5', 'z6']);
  });

  it('refuses option combinations that cannot work', async () => {
    await expect(runExport(request({ format: 'html', out: '-' }), env)).rejects.toThrow(UsageError);
    await expect(runExport(request({ format: 'json', excel: true }), env)).rejects.toThrow(/--excel/);
    await expect(runExport(request({ since: '2024-03-02', until: '2024-03-01' }), env)).rejects.toThrow(/earlier/);
    mkdirSync(join(dir, 'mine'));
    writeFileSync(join(dir, 'mine', 'notes.txt'), 'keep me');
    await expect(runExport(request({ format: 'html', out: 'mine' }), env)).rejects.toThrow(/did not export into/);
    expect(readFileSync(join(dir, 'mine', 'notes.txt'), 'utf8')).toBe('keep me');
  });

  it('streams to stdout without state unless asked', async () => {
    const chunks: string[] = [];
    const stdout = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString());
        done();
      },
    });
    const summary = await runExport(request({ format: 'csv', out: '-' }), { ...env, stdout });
    expect(summary).toMatchObject({ out: '-', files: 0, messages: sampleMessages().length });
    expect(chunks.join('').split('\r\n')[0]).toMatch(/^message_id,thread_id,thread_title,/);
  });

  it('leaves the previous export and state alone when a run fails midway', async () => {
    await runExport(request({ format: 'html', out: 'site', since: 'last' }), env);
    const index = readFileSync(join(dir, 'site', 'index.html'), 'utf8');
    const state = await readExportState(store, join(dir, 'site'));
    await store.write({ messages: [message({ threadId: ZOE_ID, id: 'new3' })] });
    const failing: Store = Object.create(store) as Store;
    failing.streamMessages = (options) =>
      (async function* () {
        let count = 0;
        for await (const m of store.streamMessages(options)) {
          if ((count += 1) > 3) throw new Error('disk on fire');
          yield m;
        }
      })();
    const boom = await runExport(request({ format: 'html', out: 'site', since: null }), {
      ...env,
      store: failing,
    }).catch((e: Error) => e);
    expect(boom).toBeInstanceOf(Error);
    expect((boom as Error).message).toBe('disk on fire');
    expect(readFileSync(join(dir, 'site', 'index.html'), 'utf8')).toBe(index);
    expect(await readExportState(store, join(dir, 'site'))).toEqual(state);
    expect(readdirSync(dir).filter((name) => name.startsWith('.'))).toEqual([]);
    expect(existsSync(join(dir, 'site', '.igtg-export'))).toBe(true);
  });
});

describe('runExport targets', () => {
  it('replaces an earlier export of any file format, and nothing else', async () => {
    for (const format of ['json', 'jsonl', 'csv'] as const) {
      for (const excel of format === 'csv' ? [false, true] : [false]) {
        const out = `again.${format}`;
        await runExport(request({ format, out, excel }), env);
        // What each writer begins with is what marks its files as igtg's (FILE_EXPORT_STARTS).
        expect((await runExport(request({ format, out, excel }), env)).messages).toBe(sampleMessages().length);
      }
    }
    const notes = join(dir, 'notes.txt');
    writeFileSync(notes, 'my own notes\n');
    for (const format of ['json', 'jsonl', 'csv'] as const) {
      const error = await runExport(request({ format, out: 'notes.txt' }), env).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toBe(
        `--out: ${notes} is a file that igtg did not export; remove it or give another file`,
      );
    }
    expect(readFileSync(notes, 'utf8')).toBe('my own notes\n');
    writeFileSync(join(dir, 'empty.jsonl'), '');
    expect((await runExport(request({ out: 'empty.jsonl' }), env)).messages).toBe(sampleMessages().length);
  });

  it('writes into a folder given with a trailing slash or that exists, under the default name', async () => {
    mkdirSync(join(dir, 'existing'));
    expect((await runExport(request({ format: 'json', out: 'existing' }), env)).out).toBe(
      join(dir, 'existing', 'igtg-export.json'),
    );
    expect((await runExport(request({ format: 'csv', out: 'new/' }), env)).out).toBe(
      join(dir, 'new', 'igtg-export.csv'),
    );
    expect(JSON.parse(readFileSync(join(dir, 'existing', 'igtg-export.json'), 'utf8'))).toHaveProperty('threads');
  });

  it('makes the folders on the way to the target private, whatever the umask', async () => {
    const before = process.umask(0);
    try {
      await runExport(request({ out: 'deep/er/out.jsonl' }), env);
      await runExport(request({ format: 'html', out: 'site/er/html' }), env);
    } finally {
      process.umask(before);
    }
    for (const folder of ['deep', 'deep/er', 'site', 'site/er']) {
      expect(statSync(join(dir, folder)).mode & 0o777, folder).toBe(0o700);
    }
  });
});

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
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runIgtg, tempHome } from '../helpers/cli.js';
import {
  CLUB_ID,
  ZOE_ID,
  message,
  profilePaths,
  sampleMessages,
  seedSample,
  withStore,
} from '../unit/export-fixtures.js';
import { expectRoundTrip } from './export-round-trip.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

describe('igtg export', () => {
  const { home, cleanup } = tempHome('igtg-export-');
  beforeAll(() => seedSample(home));
  afterAll(cleanup);

  it('json, jsonl and csv round-trip to what igtg show --json prints', async () => {
    expect(await expectRoundTrip(home, home)).toEqual({ threads: 2, messages: sampleMessages().length });
  });

  it('streams json, jsonl and csv to stdout with --out -', async () => {
    const file = join(home, 'file.jsonl');
    await runIgtg(['export', '-f', 'jsonl', '-o', file], { home });
    const piped = await runIgtg(['export', '-f', 'jsonl', '-o', '-'], { home });
    expect(piped.exitCode).toBe(0);
    expect(`${piped.stdout}\n`).toBe(readFileSync(file, 'utf8'));
    expect(piped.stderr).toMatch(/^exported 16 messages from 2 threads to stdout$/m);
    const csv = await runIgtg(['export', '-f', 'csv', '-o', '-', '--excel'], { home });
    expect(csv.stdout.startsWith('\uFEFFmessage_id,')).toBe(true);
  });

  it.each([
    ['html', 'index.html', /^threads\/.+\.html$/],
    ['md', 'index.md', /^threads\/.+\.md$/],
  ])('writes %s as a folder and reports the files it wrote', async (format, index, page) => {
    const out = join(home, `site-${format}`);
    const result = await runIgtg(['--json', 'export', '--format', format, '--out', out], { home });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const files = filesUnder(out);
    expect(JSON.parse(result.stdout)).toEqual({
      format,
      out,
      threads: 2,
      messages: sampleMessages().length,
      files: files.length - 1,
      nothing_new: false,
    });
    expect(files).toContain(index);
    expect(files).toContain('.igtg-export');
    expect(files).toContain('media/ab/photo.png');
    expect(files.filter((file) => page.test(file))).toHaveLength(2);
    expect(statSync(join(out, index)).mode & 0o077).toBe(0);
  });

  it('exports only the threads asked for, by id or by title', async () => {
    const out = join(home, 'club.jsonl');
    const result = await runIgtg(
      ['--json', 'export', '-f', 'jsonl', '-o', out, '--thread', 'book club', '-t', CLUB_ID],
      { home },
    );
    expect(JSON.parse(result.stdout)).toMatchObject({ threads: 1, messages: 5 });
    const ids = new Set(
      readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).thread_id),
    );
    expect([...ids]).toEqual([CLUB_ID]);
  });

  it('--since last twice in a row: the second run says nothing new, exits 0 and leaves the export alone', async () => {
    const out = join(home, 'cron.jsonl');
    const first = await runIgtg(['export', '-f', 'jsonl', '-o', out, '--since', 'last'], { home });
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toBe(`exported 16 messages from 2 threads to ${out} (1 file)`);
    const before = readFileSync(out, 'utf8');
    const second = await runIgtg(['export', '-f', 'jsonl', '-o', out, '--since', 'last'], { home });
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toBe(`nothing new since the last export to ${out}`);
    expect(second.stderr).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(before);
    const json = await runIgtg(['--json', 'export', '-f', 'jsonl', '-o', out, '--since', 'last'], { home });
    expect(JSON.parse(json.stdout)).toEqual({
      format: 'jsonl',
      out,
      threads: 0,
      messages: 0,
      files: 0,
      nothing_new: true,
    });

    await withStore(profilePaths(home).dbFile, (store) =>
      store.write({ messages: [message({ threadId: ZOE_ID, id: 'late', text: 'a late one' })] }),
    );
    const third = await runIgtg(['export', '-f', 'jsonl', '-o', out, '--since', 'last'], { home });
    expect(third.stdout).toBe(`exported 1 message from 1 thread to ${out} (1 file)`);
    // The file grows: what it held, then the new message.
    const lines = (text: string) => text.trimEnd().split('\n');
    expect(lines(readFileSync(out, 'utf8'))).toEqual([
      ...lines(before),
      expect.stringContaining('"message_id":"late"'),
    ]);
    const fourth = await runIgtg(['export', '-f', 'jsonl', '-o', out, '--since', 'last'], { home });
    expect(fourth.stdout).toBe(`nothing new since the last export to ${out}`);

    // The README's cron line: --quiet says nothing when all went well, so cron mails nothing.
    for (const text of ['quiet one', 'none']) {
      if (text !== 'none')
        await withStore(profilePaths(home).dbFile, (store) =>
          store.write({ messages: [message({ threadId: ZOE_ID, id: 'quiet', text })] }),
        );
      const quiet = await runIgtg(['export', '-f', 'jsonl', '-o', out, '--since', 'last', '--quiet'], { home });
      expect([quiet.exitCode, quiet.stdout, quiet.stderr]).toEqual([0, '', '']);
    }
    const ids = lines(readFileSync(out, 'utf8')).map((line) => (JSON.parse(line) as { message_id: string }).message_id);
    expect(ids).toHaveLength(18);
    expect(ids.slice(-2)).toEqual(['late', 'quiet']);
  });

  it.each([
    [['export'], /required option '-f, --format <format>' not specified/],
    [['export', '-f', 'pdf'], /Allowed choices are html, md, json, jsonl, csv/],
    [['export', '-f', 'html', '-o', '-'], /--out -: html is a folder of files/],
    [['export', '-f', 'json', '--excel'], /--excel applies to --format csv only/],
    [['export', '-f', 'json', '--since', 'yesterday'], /--since: cannot read "yesterday"/],
    [['--json', 'export', '-f', 'json', '-o', '-'], /cannot be used with --out -/],
    [['export', '-f', 'json', '--wait', 'soon'], /--wait/],
  ])('%j is a usage error (exit 2) in one line', async (args, message) => {
    const result = await runIgtg(args, { home });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('an unknown thread fails without writing anything', async () => {
    const out = join(home, 'nobody.json');
    const result = await runIgtg(['export', '-f', 'json', '-o', out, '--thread', 'nobody'], { home });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr.trim()).toBe('error: no thread matches "nobody" (see igtg threads)');
    expect(existsSync(out)).toBe(false);
  });

  it('fails at once, in one line, where a folder cannot be made (Node spins forever under /proc)', async () => {
    for (const [format, out] of [
      ['json', '/proc/igtg-no-such/export.json'],
      ['html', '/proc/igtg-no-such/site'],
    ]) {
      const result = await runIgtg(['export', '-f', format!, '-o', out!], { home, timeoutMs: 20_000 });
      expect(result.exitCode).toBe(1);
      expect(result.stderr.trim()).toMatch(/^error: cannot export to \/proc\/igtg-no-such\/\S+: ENOENT/);
    }
  });

  it("never writes over any profile's store or into the profiles folder", async () => {
    const other = join(home, 'profiles', 'other');
    mkdirSync(other, { recursive: true });
    writeFileSync(join(other, 'igtg.db'), "stands for another profile's store");
    for (const [format, out] of [
      ['jsonl', join(other, 'igtg.db')],
      ['html', join(other, 'site')],
    ]) {
      const result = await runIgtg(['export', '-f', format!, '-o', out!], { home });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toBe(
        `error: --out: ${out} is inside igtg's own folder ${join(home, 'profiles')}; export somewhere else`,
      );
    }
    expect(readFileSync(join(other, 'igtg.db'), 'utf8')).toBe("stands for another profile's store");
  });

  it('writes html and md where the time zone has no IANA name (a POSIX TZ in a crontab, a typo)', async () => {
    const zones: Array<[string, string]> = [
      ['UTC+3', 'UTC-03:00'],
      ['Foo/Bar', 'UTC+00:00'],
    ];
    for (const [tz, zone] of zones) {
      for (const format of ['html', 'md']) {
        const out = join(home, `tz-${format}-${tz.replace('/', '-')}`);
        const result = await runIgtg(['export', '-f', format, '-o', out], { home, env: { TZ: tz } });
        expect([result.exitCode, result.stderr], `${format} ${tz}`).toEqual([0, '']);
        const index = readFileSync(join(out, format === 'html' ? 'index.html' : 'index.md'), 'utf8');
        expect(index).toContain(`times in ${zone}`);
      }
    }
  });

  it('never replaces a folder it did not export into', async () => {
    const mine = join(home, 'mine');
    mkdirSync(mine);
    writeFileSync(join(mine, 'thesis.tex'), 'precious');
    const result = await runIgtg(['export', '-f', 'html', '-o', mine], { home });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/is a folder that igtg did not export into/);
    expect(readdirSync(mine)).toEqual(['thesis.tex']);
  });
});

const SAMPLE_ARCHIVE = join(ROOT, 'examples', 'sample-archive');

describe.skipIf(!existsSync(SAMPLE_ARCHIVE))('igtg export of the imported sample archive', () => {
  const work = mkdtempSync(join(tmpdir(), 'igtg-export-archive-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('round-trips json, jsonl and csv to what igtg show --json prints', async () => {
    const imported = await runIgtg(['import', SAMPLE_ARCHIVE], { home: work });
    expect(imported.exitCode).toBe(0);
    const { threads, messages } = await expectRoundTrip(work, work);
    expect(threads).toBeGreaterThan(0);
    expect(messages).toBeGreaterThan(0);
  });
});
if (!existsSync(SAMPLE_ARCHIVE)) console.warn(`skipping the archive round-trip: ${SAMPLE_ARCHIVE} does not exist yet`);

// `igtg import` through the built binary, against temporary IGTG_HOMEs.
import {
  chmodSync,
  chownSync,
  cpSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { execa } from 'execa';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, runIgtg, tempHome } from '../helpers/cli.js';
import {
  BAD_GROUP_FILE,
  badGroupFiles,
  currentLayoutFiles,
  GROUP_FOLDER,
  htmlPage,
  layout2020Files,
  legacyFiles,
  ME,
  TINY_JPEG,
  writeTree,
  ZOE_FOLDER,
} from '../fixtures/archive/build-archive.js';
import { buildZip, zipOfFiles, type ZipEntrySpec } from '../fixtures/archive/zip-writer.js';

const SAMPLE = join(ROOT, 'examples', 'sample-archive');
const work = tempHome('igtg-import-work-');
afterAll(work.cleanup);
let counter = 0;
const fresh = (name: string) => join(work.home, `${counter++}-${name}`);

function homes() {
  const created: Array<() => void> = [];
  afterAll(() => created.forEach((cleanup) => cleanup()));
  return () => {
    const { home, cleanup } = tempHome('igtg-import-');
    created.push(cleanup);
    return home;
  };
}
const newHome = homes();

interface ImportJson {
  threads: number;
  messages_read: number;
  messages_added: number;
  media_files: number;
  skipped_files: string[];
}

async function importJson(home: string, args: string[]): Promise<ImportJson> {
  const result = await runIgtg(['import', '--json', ...args], { home });
  expect(String(result.stderr)).toBe('');
  expect(result.exitCode).toBe(0);
  return JSON.parse(String(result.stdout)) as ImportJson;
}

async function counts(home: string): Promise<{ threads: number; messages: number; users: number }> {
  const result = await runIgtg(['status', '--json'], { home });
  return (JSON.parse(String(result.stdout)) as { counts: { threads: number; messages: number; users: number } }).counts;
}

function folderFiles(dir: string): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else files[relative(dir, path).split('\\').join('/')] = readFileSync(path);
    }
  };
  walk(dir);
  return files;
}

/** One line on stderr, non-zero exit, nothing stored. */
async function expectRefused(args: string[], pattern: RegExp, exitCode = 1): Promise<void> {
  const home = newHome();
  const result = await runIgtg(['import', ...args], { home });
  const stderr = String(result.stderr).trim();
  expect(stderr.split('\n')).toHaveLength(1);
  expect(stderr).toMatch(pattern);
  expect(stderr).not.toMatch(/unexpected failure/);
  expect(result.exitCode).toBe(exitCode);
  expect(String(result.stdout)).toBe('');
  expect(await counts(home)).toEqual({ threads: 0, messages: 0, users: 0 });
}

describe('the bundled sample archive', () => {
  const home = newHome();
  let first: ImportJson;
  let importedBetween: [number, number];
  beforeAll(async () => {
    const started = Date.now();
    first = await importJson(home, [SAMPLE]);
    importedBetween = [started, Date.now()];
  });

  it('imports every thread, message and media file', async () => {
    expect(first).toEqual({ threads: 4, messages_read: 24, messages_added: 24, media_files: 4, skipped_files: [] });
    expect(await counts(home)).toEqual({ threads: 4, messages: 24, users: 6 });
  });

  it('records the import time for igtg status', async () => {
    const status = JSON.parse(String((await runIgtg(['status', '--json'], { home })).stdout)) as {
      last_import_at: string;
    };
    const at = Date.parse(status.last_import_at);
    expect(at).toBeGreaterThanOrEqual(importedBetween[0]);
    expect(at).toBeLessThanOrEqual(importedBetween[1]);
  });

  it('keeps media content-addressed and private', () => {
    const media = join(home, 'profiles', 'default', 'media');
    const stored = readdirSync(media, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    expect(stored.map((entry) => entry.name).sort()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^[0-9a-f]{64}\.jpg$/),
        expect.stringMatching(/^[0-9a-f]{64}\.mp4$/),
      ]),
    );
    for (const entry of stored) {
      expect(entry.name.slice(0, 2)).toBe(relative(media, entry.parentPath));
      expect(statSync(join(entry.parentPath, entry.name)).mode & 0o777).toBe(0o600);
    }
  });

  it('adds nothing the second time', async () => {
    expect(await importJson(home, [SAMPLE])).toMatchObject({ messages_read: 24, messages_added: 0 });
    expect((await counts(home)).messages).toBe(24);
  });

  it('keeps the media files it kept when the archive is imported again with --no-media', async () => {
    const paths = async () => {
      const shown = await runIgtg(['show', `archive:${ZOE_FOLDER}`, '--json', '--limit', '100'], { home });
      return (JSON.parse(String(shown.stdout)) as Array<{ media: Array<{ path: string | null }> }>).flatMap((message) =>
        message.media.map((media) => media.path),
      );
    };
    const before = await paths();
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((path) => path !== null)).toBe(true);
    expect(await importJson(home, ['--no-media', SAMPLE])).toMatchObject({ messages_added: 0 });
    expect(await paths()).toEqual(before);
  });

  it('is searchable (the README’s main job)', async () => {
    const result = await runIgtg(['search', 'pancakes'], { home });
    expect(result.exitCode).toBe(0);
    expect(String(result.stdout)).toMatch(/pancakes/i);
  });

  it('prints a short human summary and nothing else when not on a terminal', async () => {
    const result = await runIgtg(['import', SAMPLE], { home: newHome() });
    expect(result.exitCode).toBe(0);
    expect(String(result.stderr)).toBe('');
    expect(String(result.stdout).trim()).toBe('Imported 4 threads: 24 messages read, 24 new, 4 media files.');
  });

  it('tells the owner it found and the time of each phase with --verbose', async () => {
    const result = await runIgtg(['import', '--verbose', '--json', SAMPLE], { home: newHome() });
    expect(result.exitCode).toBe(0);
    expect(String(result.stderr)).toMatch(/^archive owner: .+$/m);
    // One pass (no checking phase), one batch: indexed as it is written, without a phase of its own.
    expect(String(result.stderr)).toMatch(/^time: importing \d+\.\d s, saving \d+\.\d s$/m);
    expect(JSON.parse(String(result.stdout))).toMatchObject({ messages_added: 24 });
    // --skip-bad checks every file before writing anything.
    const careful = await runIgtg(['import', '--verbose', '--skip-bad', SAMPLE], { home: newHome() });
    expect(String(careful.stderr)).toMatch(/^time: checking \d+\.\d s, importing \d+\.\d s, saving \d+\.\d s$/m);
  });
});

describe('archive forms and layouts', () => {
  it('reads the zip of the sample the same way, and skips media with --no-media', async () => {
    const zip = fresh('instagram-alexkim-20240701.zip');
    writeFileSync(zip, zipOfFiles(folderFiles(SAMPLE), 'instagram-alexkim-20240701/'));
    expect(await importJson(newHome(), [zip])).toEqual({
      threads: 4,
      messages_read: 24,
      messages_added: 24,
      media_files: 4,
      skipped_files: [],
    });
    const home = newHome();
    expect(await importJson(home, ['--no-media', zip])).toMatchObject({ messages_added: 24, media_files: 0 });
    expect(() => readdirSync(join(home, 'profiles', 'default', 'media'))).toThrow();
  });

  it('reads a folder inside the archive', async () => {
    const json = await importJson(newHome(), [join(SAMPLE, 'your_instagram_activity')]);
    expect(json).toMatchObject({ threads: 4, messages_added: 24, media_files: 4 });
  });

  it('reads the 2020–23 layout and then only adds what a newer current-layout archive has', async () => {
    const home = newHome();
    const older = writeTree(fresh('older'), layout2020Files());
    expect(await importJson(home, [older])).toMatchObject({
      threads: 2,
      messages_read: 16,
      messages_added: 16,
      media_files: 3,
    });
    const newer = writeTree(fresh('newer'), currentLayoutFiles());
    expect(await importJson(home, [newer])).toMatchObject({ threads: 3, messages_read: 21, messages_added: 5 });
    expect(await counts(home)).toMatchObject({ threads: 3, messages: 21 });
  });

  it('keeps the page order of HTML messages sent in the same minute, and re-imports them as known', async () => {
    const base = `your_instagram_activity/messages/inbox/${ZOE_FOLDER}`;
    const lines = Array.from({ length: 8 }, (_, i) => `line ${i + 1}`);
    const root = writeTree(fresh('html-minute'), {
      [`${base}/message_1.html`]: htmlPage(
        'Zoë Müller',
        ['Zoë Müller', ME],
        // Newest first, as Meta writes the page.
        [...lines].reverse().map((text) => ({ sender: 'Zoë Müller', time: 'Jun 14, 2024 11:09 pm', text })),
      ),
    });
    const home = newHome();
    expect(await importJson(home, ['--timezone', 'UTC', root])).toMatchObject({ messages_added: 8 });
    const show = await runIgtg(['show', 'Zoë', '--json'], { home });
    const shown = JSON.parse(String(show.stdout)) as Array<{ text: string; sent_at: string }>;
    expect(shown.map((message) => message.text)).toEqual(lines);
    expect(shown[0]!.sent_at).toBe('2024-06-14T23:09:00.000Z');
    expect(await importJson(home, ['--timezone', 'UTC', root])).toMatchObject({ messages_added: 0 });
  });

  it('reads the legacy messages.json', async () => {
    const json = await importJson(newHome(), [writeTree(fresh('legacy'), legacyFiles())]);
    expect(json).toEqual({ threads: 1, messages_read: 4, messages_added: 4, media_files: 0, skipped_files: [] });
  });

  it('reads an HTML archive with --timezone', async () => {
    const base = `your_instagram_activity/messages/inbox/${ZOE_FOLDER}`;
    const root = writeTree(fresh('html'), {
      [`${base}/message_1.html`]: htmlPage(
        'Zoë Müller',
        ['Zoë Müller', ME],
        [
          { sender: ME, time: 'Jan 2, 2024 4:05 pm', text: 'see you at the lighthouse' },
          {
            sender: 'Zoë Müller',
            time: 'Jan 2, 2024 4:04 pm',
            media: [`${base}/photos/p.jpg`],
            reactions: ['❤️Alex Kim'],
          },
        ],
      ),
      [`${base}/photos/p.jpg`]: TINY_JPEG,
    });
    const home = newHome();
    expect(await importJson(home, ['--timezone', 'Asia/Tokyo', root])).toEqual({
      threads: 1,
      messages_read: 2,
      messages_added: 2,
      media_files: 1,
      skipped_files: [],
    });
    const search = await runIgtg(['search', 'lighthouse', '--json'], { home });
    const hits = JSON.parse(String(search.stdout)) as Array<{ sent_at: string }>;
    expect(hits.map((hit) => hit.sent_at)).toEqual(['2024-01-02T07:05:00.000Z']);
  });
});

describe('all or nothing', () => {
  it('stores nothing when one file is bad, and names it', async () => {
    await expectRefused(
      [writeTree(fresh('bad'), badGroupFiles())],
      new RegExp(
        `^error: your_instagram_activity/messages/inbox/${GROUP_FOLDER}/message_1\\.json: messages\\[0\\]\\.timestamp_ms: expected number, received string$`,
      ),
    );
  });

  it('imports the good threads with --skip-bad and lists the bad file', async () => {
    const home = newHome();
    const result = await runIgtg(['import', '--json', '--skip-bad', writeTree(fresh('skip'), badGroupFiles())], {
      home,
    });
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(String(result.stdout))).toEqual({
      threads: 2,
      messages_read: 18,
      messages_added: 18,
      media_files: 3,
      skipped_files: [BAD_GROUP_FILE],
    });
    expect(String(result.stderr)).toContain(`skipped ${BAD_GROUP_FILE}`);
  });
});

describe('hostile and broken input', () => {
  const zipWith = (entries: ZipEntrySpec[]) => {
    const file = fresh('hostile.zip');
    writeFileSync(file, buildZip(entries));
    return file;
  };
  const thread = `messages/inbox/${ZOE_FOLDER}/message_1.json`;
  const valid = readFileSync(join(SAMPLE, 'your_instagram_activity', thread));

  it.each<[string, ZipEntrySpec[], RegExp]>([
    [
      'a ".." entry',
      [
        { name: thread, data: valid },
        { name: '../../outside.txt', data: 'x' },
      ],
      /unsafe entry "\.\.\/\.\.\/outside\.txt"/,
    ],
    [
      'an absolute entry',
      [
        { name: '/tmp/igtg-evil.txt', data: 'x' },
        { name: thread, data: valid },
      ],
      /unsafe entry "\/tmp\/igtg-evil\.txt"/,
    ],
    [
      'a symbolic link entry',
      [
        { name: thread, data: valid },
        { name: 'messages/inbox/x_1/message_1.json', data: '/etc/passwd', symlink: true },
      ],
      /is a symbolic link/,
    ],
    ['a declared size beyond bounds', [{ name: thread, data: valid, declaredSize: 0xfffffff0 }], /declares 4\.0 GiB/],
    [
      'a zip bomb',
      [
        { name: 'messages/inbox/x_1/photos/zeros.jpg', data: Buffer.alloc(30 * 1024 * 1024) },
        { name: thread, data: valid },
      ],
      /a zip bomb/,
    ],
    [
      'an entry larger than it says',
      [{ name: thread, data: Buffer.concat([valid, Buffer.alloc(100_000, 32)]), declaredSize: valid.length }],
      /message_1\.json: cannot read it/,
    ],
  ])('refuses a zip with %s', async (_name, entries, pattern) => {
    await expectRefused([zipWith(entries)], pattern);
  });

  it('refuses deeply nested JSON', async () => {
    const deep = `{"participants":[],"messages":[],"x":${'['.repeat(50_000)}${']'.repeat(50_000)}}`;
    await expectRefused(
      [zipWith([{ name: thread, data: deep }])],
      /message_1\.json: JSON nested deeper than 64 levels/,
    );
  });

  it('refuses a huge JSON file without reading it', async () => {
    const root = writeTree(fresh('huge'), { [thread]: '{}' });
    truncateSync(join(root, thread), 300 * 1024 * 1024);
    await expectRefused([root], /message_1\.json: larger than the 256\.0 MiB allowed/);
  });

  it('refuses a file in another encoding than UTF-8 rather than store its accents as U+FFFD', async () => {
    const latin1 = Buffer.from(
      '{"participants":[{"name":"Zoë"},{"name":"Al"}],"messages":[{"sender_name":"Zoë","timestamp_ms":1700000000000,"content":"café"}]}',
      'latin1',
    );
    await expectRefused([zipWith([{ name: thread, data: latin1 }])], /message_1\.json: not UTF-8 text/);
  });

  it('refuses JSON that is not JSON', async () => {
    await expectRefused([zipWith([{ name: thread, data: '{"participants": [' }])], /message_1\.json: not valid JSON/);
  });

  it('refuses a folder with a symbolic link pointing outside', async () => {
    const root = writeTree(fresh('symlink'), { [thread]: valid });
    writeFileSync(join(work.home, 'secret.txt'), 'secret');
    symlinkSync(join(work.home, 'secret.txt'), join(root, `messages/inbox/${ZOE_FOLDER}/leak.jpg`));
    await expectRefused([root], /is a symbolic link to a place outside the archive/);
  });

  it('refuses a file that is not an archive', async () => {
    const text = fresh('notes.txt');
    writeFileSync(text, 'just some notes, definitely not a zip\n'.repeat(20));
    await expectRefused([text], /notes\.txt: not a zip file or an Instagram archive folder$/);
  });

  it('says a zip cut short (an unfinished download) is cut short, not that it is no zip', async () => {
    const whole = zipOfFiles(folderFiles(SAMPLE), 'instagram-alexkim-20240701/');
    const cut = fresh('instagram-alexkim-20240701.zip');
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
    await expectRefused(
      [cut],
      /instagram-alexkim-20240701\.zip: the zip file is cut short \(an unfinished download or copy\?\); get it again, or unpack what you can and import the folder$/,
    );
  });

  it('refuses a missing path', async () => {
    await expectRefused([join(work.home, 'missing.zip')], /missing\.zip: no such file or folder$/);
  });

  it('refuses a folder that is not an archive', async () => {
    await expectRefused([writeTree(fresh('not-archive'), { 'readme.txt': 'hi' })], /not an Instagram archive/);
  });

  it('refuses a folder holding two archives side by side (it would store shared messages twice)', async () => {
    const both = fresh('two-archives');
    writeTree(both, layout2020Files('instagram-alexkim-2023-01-01/'));
    writeTree(both, currentLayoutFiles('instagram-alexkim-2024-01-01/'));
    await expectRefused([both], /holds more than one archive .*; import each archive on its own$/);
  });

  it('refuses an unknown time zone as a usage error', async () => {
    await expectRefused(['--timezone', 'Mars/Olympus', SAMPLE], /unknown time zone "Mars\/Olympus"/, 2);
  });
});

describe('an archive folder igtg may not read', () => {
  // As root every folder can be read: the import then runs as nobody (setpriv, util-linux).
  const asRoot = process.getuid?.() === 0;
  const lockedThread = 'your_instagram_activity/messages/inbox/weekendcrew_5512345678901234';

  /** Imports the sample with one folder (a thread's by default) unreadable, as a user who cannot read it. */
  async function importLocked(args: string[], lockedFolder = lockedThread) {
    const place = tempHome('igtg-import-unreadable-');
    try {
      chmodSync(place.home, 0o755);
      const archive = join(place.home, 'archive');
      cpSync(SAMPLE, archive, { recursive: true });
      const locked = join(archive, ...lockedFolder.split('/'));
      chmodSync(locked, 0o000);
      const home = join(place.home, 'home');
      mkdirSync(home, { mode: 0o700 });
      if (asRoot) chownSync(home, 65534, 65534);
      const command = asRoot
        ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN]
        : [process.execPath, BIN];
      const result = await execa(command[0]!, [...command.slice(1), 'import', ...args, archive], {
        reject: false,
        env: { IGTG_HOME: home, IGTG_SECRETS: 'file', NO_COLOR: '1' },
      });
      chmodSync(locked, 0o755);
      return { result, locked };
    } finally {
      place.cleanup();
    }
  }

  it('is named in one line, with what to check', async () => {
    const { result, locked } = await importLocked([]);
    expect([result.exitCode, result.stderr]).toEqual([
      1,
      `error: cannot read the folder ${locked}: permission denied (check its permissions); nothing was imported`,
    ]);
  });

  it('is listed and left out with --skip-bad, and the other threads are imported', async () => {
    const { result } = await importLocked(['--skip-bad', '--json']);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe(
      `warning: skipped ${lockedThread}: cannot read the folder: permission denied (check its permissions)`,
    );
    expect(JSON.parse(result.stdout)).toMatchObject({ threads: 3, skipped_files: [lockedThread] });
  });

  it("leaves out the files of a thread's media folder it cannot read, and says so", async () => {
    const { result, locked } = await importLocked([], `${lockedThread}/photos`);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe(
      `warning: cannot read the folder ${locked}: permission denied (check its permissions); its files are left out`,
    );
    expect(result.stdout).toMatch(/^Imported 4 threads: /);
  });

  it('names the messages folder it cannot open, rather than finding no archive', async () => {
    const { result, locked } = await importLocked(['--skip-bad'], 'your_instagram_activity/messages');
    expect([result.exitCode, result.stderr]).toEqual([
      1,
      `error: cannot read the folder ${locked}: permission denied (check its permissions); nothing was imported`,
    ]);
  });
});

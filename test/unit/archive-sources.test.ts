import { randomBytes } from 'node:crypto';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planArchive, resolveMediaPath } from '../../src/archive/layouts.js';
import { withLimits } from '../../src/archive/limits.js';
import { openArchiveSource } from '../../src/archive/open-source.js';
import { readLimited, TooLargeError } from '../../src/archive/read-limited.js';
import {
  currentLayoutFiles,
  layout2020Files,
  legacyFiles,
  writeTree,
  ZOE_FOLDER,
} from '../fixtures/archive/build-archive.js';
import { buildZip, zipOfFiles } from '../fixtures/archive/zip-writer.js';
import { tempFolder } from '../helpers/temp-folder.js';

const { root: tmp, fresh } = tempFolder('igtg-archive-src-');
const limits = withLimits();

function writeZip(data: Buffer): string {
  const file = fresh('archive.zip');
  writeFileSync(file, data);
  return file;
}

describe('zip source', () => {
  it('lists files and reads entries', async () => {
    const source = await openArchiveSource(
      writeZip(zipOfFiles(currentLayoutFiles(), 'instagram-alex-20240701/')),
      limits,
    );
    const files = source.files();
    expect(files).toContain(
      `instagram-alex-20240701/your_instagram_activity/messages/inbox/${ZOE_FOLDER}/message_1.json`,
    );
    const text = (
      await source.read(
        files.find((f) => f.endsWith('message_2.json'))!,
        1e6,
      )
    ).toString();
    expect(JSON.parse(text).messages).toHaveLength(3);
    await source.close();
  });

  it.each([
    ['a ".." entry', [{ name: '../evil.json', data: '{}' }], /unsafe entry "\.\.\/evil\.json"/],
    ['a nested ".." entry', [{ name: 'messages/inbox/../../../x', data: '{}' }], /unsafe entry/],
    ['an absolute entry', [{ name: '/etc/evil', data: 'x' }], /unsafe entry "\/etc\/evil"/],
    [
      'a symbolic link',
      [{ name: 'messages/inbox/a_1/message_1.json', data: '/etc/passwd', symlink: true }],
      /is a symbolic link/,
    ],
    [
      'a huge declared size',
      [{ name: 'a.json', data: 'x', declaredSize: 0xfffffff0 }],
      /declares 4\.0 GiB, more than the 2\.0 GiB allowed/,
    ],
    ['a bomb (ratio)', [{ name: 'zeros.bin', data: Buffer.alloc(20 * 1024 * 1024) }], /expands \d+:1 \(a zip bomb\?\)/],
  ])('refuses %s before reading anything', async (_name, entries, pattern) => {
    await expect(openArchiveSource(writeZip(buildZip(entries)), limits)).rejects.toThrow(pattern);
  });

  it('refuses many entries each too small for the ratio check that together expand like a bomb', async () => {
    const entries = Array.from({ length: 80 }, (_, i) => ({ name: `m/${i}.bin`, data: Buffer.alloc(1024 * 1024, i) }));
    // Random bytes beside them do not dilute them.
    const padded = [...entries, { name: 'm/random.bin', data: randomBytes(8 * 1024 * 1024) }];
    await expect(openArchiveSource(writeZip(buildZip(padded)), limits)).rejects.toThrow(
      'entries that expand over 200:1 add up to more than 64.0 MiB (a zip bomb?); nothing was imported',
    );
    // A few such entries are fine.
    const few = entries.slice(0, 8);
    await (await openArchiveSource(writeZip(buildZip(few)), limits)).close();
  });

  it('refuses entries that add up beyond the total bound', async () => {
    const zip = buildZip([
      { name: 'a', data: 'xx' },
      { name: 'b', data: 'yy' },
    ]);
    await expect(openArchiveSource(writeZip(zip), withLimits({ maxTotalBytes: 3 }))).rejects.toThrow(
      /add up to more than/,
    );
  });

  it('fails an entry whose real size exceeds its declared size', async () => {
    const zip = buildZip([{ name: 'messages/inbox/a_1/message_1.json', data: 'x'.repeat(5000), declaredSize: 10 }]);
    const source = await openArchiveSource(writeZip(zip), limits);
    await expect(source.read('messages/inbox/a_1/message_1.json', 1e6)).rejects.toThrow(
      'it holds more bytes than the 10 the zip says',
    );
    await source.close();
  });

  it('stops inflating at the caller’s bound, and at the declared size when an entry says it is small', async () => {
    const zip = buildZip([
      { name: 'big.json', data: 'x'.repeat(50_000) },
      { name: 'lies.json', data: 'x'.repeat(50_000_000), declaredSize: 10 },
    ]);
    const source = await openArchiveSource(writeZip(zip), limits);
    await expect(source.read('big.json', 1000)).rejects.toBeInstanceOf(TooLargeError);
    // 50 MB inside, 10 bytes declared: inflating stops at 11 bytes, not at the 256 MiB bound.
    const before = process.memoryUsage().arrayBuffers;
    await expect(source.read('lies.json', 256 * 1024 * 1024)).rejects.toThrow(/holds more bytes than the 10/);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(10_000_000);
    await source.close();
  });

  it('reads deflated and stored entries byte for byte', async () => {
    const data = Buffer.from('{"text": "Zo\\u00c3\\u00ab 👨‍👩‍👧‍👦"}'.repeat(300));
    const zip = buildZip([
      { name: 'deflated.json', data },
      { name: 'stored.json', data, store: true },
    ]);
    const source = await openArchiveSource(writeZip(zip), limits);
    expect((await source.read('deflated.json', 1e6)).equals(data)).toBe(true);
    expect((await source.read('stored.json', 1e6)).equals(data)).toBe(true);
    await source.close();
  });

  it('reads the head of deflated and stored entries, and of a folder’s files', async () => {
    const data = Buffer.from(randomBytes(200_000).toString('hex'));
    const zip = await openArchiveSource(
      writeZip(
        buildZip([
          { name: 'messages/inbox/a_1/message_1.json', data },
          { name: 'messages/inbox/b_1/message_1.json', data, store: true },
          { name: 'messages/inbox/c_1/message_1.json', data: 'short' },
        ]),
      ),
      limits,
    );
    const folder = await openArchiveSource(
      writeTree(fresh('heads'), {
        'messages/inbox/a_1/message_1.json': data,
        'messages/inbox/c_1/message_1.json': 'short',
      }),
      limits,
    );
    for (const source of [zip, folder]) {
      expect((await source.readHead('messages/inbox/a_1/message_1.json', 1000)).equals(data.subarray(0, 1000))).toBe(
        true,
      );
      expect((await source.readHead('messages/inbox/c_1/message_1.json', 1000)).toString()).toBe('short');
      await expect(source.readHead('messages/inbox/none/message_1.json', 1000)).rejects.toThrow();
    }
    expect((await zip.readHead('messages/inbox/b_1/message_1.json', 70_000)).equals(data.subarray(0, 70_000))).toBe(
      true,
    );
    await zip.close();
    await folder.close();
  });

  it('stops reading at the caller’s bound', async () => {
    const source = await openArchiveSource(writeZip(buildZip([{ name: 'big.json', data: 'x'.repeat(5000) }])), limits);
    await expect(source.read('big.json', 100)).rejects.toBeInstanceOf(TooLargeError);
    await source.close();
  });

  it.each([
    ['random bytes', Buffer.from('this is not a zip file at all, just some text '.repeat(50))],
    ['an empty file', Buffer.alloc(0)],
  ])('says %s is not a zip', async (_name, data) => {
    const file = fresh('notzip.zip');
    writeFileSync(file, data);
    await expect(openArchiveSource(file, limits)).rejects.toThrow(
      `${file}: not a zip file or an Instagram archive folder`,
    );
  });
});

describe('folder source', () => {
  it('finds the messages from the unpacked root, a top folder, your_instagram_activity, or messages itself', async () => {
    const root = writeTree(fresh('unpacked'), currentLayoutFiles('instagram-alex-20240701/'));
    const expected = `your_instagram_activity/messages/inbox/${ZOE_FOLDER}/message_1.json`;
    const cases: Array<[string, string]> = [
      [root, `instagram-alex-20240701/${expected}`],
      [join(root, 'instagram-alex-20240701'), expected],
      [
        join(root, 'instagram-alex-20240701', 'your_instagram_activity'),
        expected.replace('your_instagram_activity/', ''),
      ],
      [
        join(root, 'instagram-alex-20240701', 'your_instagram_activity', 'messages'),
        expected.replace('your_instagram_activity/', ''),
      ],
    ];
    for (const [path, file] of cases) {
      const source = await openArchiveSource(path, limits);
      expect(source.files()).toContain(file);
      expect(planArchive(source.files()).threads.map((t) => t.folder)).toEqual([
        'sakuratanaka_99887766554433',
        'weekendcrew_5512345678901234',
        ZOE_FOLDER,
      ]);
      await source.close();
    }
  });

  it('refuses a symbolic link that points outside', async () => {
    const root = writeTree(fresh('evil'), layout2020Files());
    writeFileSync(join(tmp, 'secret.txt'), 'secret');
    symlinkSync(join(tmp, 'secret.txt'), join(root, 'messages/inbox', ZOE_FOLDER, 'photos', 'leak.jpg'));
    await expect(openArchiveSource(root, limits)).rejects.toThrow(
      /"messages\/inbox\/zoemuller_17843920471234567\/photos\/leak\.jpg" is a symbolic link to a place outside the archive/,
    );
  });

  it('refuses a messages folder that is a link to elsewhere', async () => {
    const elsewhere = writeTree(fresh('elsewhere'), layout2020Files());
    const root = fresh('linked');
    mkdirSync(join(root, 'your_instagram_activity'), { recursive: true });
    symlinkSync(join(elsewhere, 'messages'), join(root, 'your_instagram_activity', 'messages'));
    await expect(openArchiveSource(root, limits)).rejects.toThrow(
      /"your_instagram_activity\/messages" leads to a place outside the archive/,
    );
  });

  it('follows a symbolic link that stays inside', async () => {
    const root = writeTree(fresh('inside'), layout2020Files());
    symlinkSync(
      join(root, 'messages/inbox', ZOE_FOLDER, 'message_2.json'),
      join(root, 'messages/inbox', ZOE_FOLDER, 'message_3.json'),
    );
    const source = await openArchiveSource(root, limits);
    expect(source.has(`messages/inbox/${ZOE_FOLDER}/message_3.json`)).toBe(true);
    await source.close();
  });

  it('says what is wrong with a missing path or a folder that is not an archive', async () => {
    await expect(openArchiveSource(join(tmp, 'nope'), limits)).rejects.toThrow(
      `${join(tmp, 'nope')}: no such file or folder`,
    );
    const empty = fresh('empty');
    mkdirSync(empty);
    await expect(openArchiveSource(empty, limits)).rejects.toThrow(/not an Instagram archive/);
  });

  it('finds a legacy messages.json', async () => {
    const source = await openArchiveSource(writeTree(fresh('legacy'), legacyFiles()), limits);
    expect(planArchive(source.files()).legacyFiles).toEqual(['messages.json']);
    await source.close();
  });
});

describe('planArchive and resolveMediaPath', () => {
  it('orders files oldest first, marks requests, prefers JSON over HTML', () => {
    const plan = planArchive([
      'x/messages/inbox/a_1/message_1.json',
      'x/messages/inbox/a_1/message_10.json',
      'x/messages/inbox/a_1/message_2.json',
      'x/messages/inbox/a_1/message_1.html',
      'x/messages/message_requests/b_2/message_1.html',
      'x/messages/inbox/a_1/photos/p.jpg',
      'x/other/messages.json',
      'messages.json',
    ]);
    expect(plan.threads).toEqual([
      {
        folder: 'a_1',
        isRequest: false,
        files: [10, 2, 1].map((n) => ({
          path: `x/messages/inbox/a_1/message_${n}.json`,
          format: 'json',
          index: n,
          root: 'x/',
        })),
      },
      {
        folder: 'b_2',
        isRequest: true,
        files: [{ path: 'x/messages/message_requests/b_2/message_1.html', format: 'html', index: 1, root: 'x/' }],
      },
    ]);
    expect(plan.legacyFiles).toEqual(['messages.json']);
  });

  it('refuses a folder holding two archives of the same conversations, naming both', () => {
    expect(() =>
      planArchive([
        'instagram-alex-2023-01-01/messages/inbox/zoe_1/message_1.json',
        'instagram-alex-2024-01-01/your_instagram_activity/messages/inbox/zoe_1/message_1.json',
      ]),
    ).toThrow(
      'holds more than one archive (the conversation zoe_1 is in "instagram-alex-2023-01-01" and in ' +
        '"instagram-alex-2024-01-01/your_instagram_activity"); import each archive on its own',
    );
    // One archive's JSON and HTML side by side is still one archive: the JSON is read.
    const plan = planArchive(['json/messages/inbox/zoe_1/message_1.json', 'html/messages/inbox/zoe_1/message_1.html']);
    expect(plan.threads[0]!.files.map((file) => file.path)).toEqual(['json/messages/inbox/zoe_1/message_1.json']);
  });

  it('maps Meta’s uris onto the archive as given, and never outside it', async () => {
    const source = await openArchiveSource(writeTree(fresh('media'), currentLayoutFiles()), limits);
    const file = planArchive(source.files()).threads.find((t) => t.folder === ZOE_FOLDER)!.files[0]!;
    const photo = `your_instagram_activity/messages/inbox/${ZOE_FOLDER}/photos/448123456_1234567890123456_987654321098765432_n_1234567890123456.jpg`;
    expect(resolveMediaPath(photo, file, source)).toBe(photo);
    expect(resolveMediaPath(photo.replace('your_instagram_activity/', ''), file, source)).toBe(photo);
    expect(resolveMediaPath('../../../../etc/passwd', file, source)).toBeNull();
    expect(resolveMediaPath('/etc/passwd', file, source)).toBeNull();
    expect(resolveMediaPath('https://cdn.example/x.jpg', file, source)).toBeNull();
    expect(
      resolveMediaPath(`your_instagram_activity/messages/inbox/${ZOE_FOLDER}/photos/missing.jpg`, file, source),
    ).toBeNull();
    await source.close();
  });
});

describe('readLimited', () => {
  it('reads within bounds', async () => {
    const { Readable } = await import('node:stream');
    expect((await readLimited(Readable.from([Buffer.from('ab'), Buffer.from('c')]), 3)).toString()).toBe('abc');
    await expect(readLimited(Readable.from([Buffer.from('ab'), Buffer.from('cd')]), 3)).rejects.toBeInstanceOf(
      TooLargeError,
    );
  });
});

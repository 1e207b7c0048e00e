import { describe, expect, it } from 'vitest';
import { ArchiveFileError } from '../../src/archive/archive-error.js';
import { MAX_HTML_DEPTH, parseHtmlReaction, parseHtmlThreadFile } from '../../src/archive/html-thread.js';
import { numericDateOrder, parseHtmlTime } from '../../src/archive/html-time.js';
import { checkTimeZone, exactZoneOffsetMs, wallTimeToEpoch, zoneOffsetMs } from '../../src/archive/local-time.js';
import { htmlPage, ME } from '../fixtures/archive/build-archive.js';

const FILE = 'your_instagram_activity/messages/inbox/zoemuller_1/message_1.html';
const BASE = 'your_instagram_activity/messages/inbox/zoemuller_1';

describe('parseHtmlTime', () => {
  it.each([
    ['Jun 14, 2024 11:09 am', { year: 2024, month: 6, day: 14, hour: 11, minute: 9, second: 0 }],
    ['Jun 14, 2024, 11:09 PM', { year: 2024, month: 6, day: 14, hour: 23, minute: 9, second: 0 }],
    ['Dec 1, 2023 12:05 am', { year: 2023, month: 12, day: 1, hour: 0, minute: 5, second: 0 }],
    ['Dec 1, 2023 12:05 pm', { year: 2023, month: 12, day: 1, hour: 12, minute: 5, second: 0 }],
    ['September 3, 2022 7:01:30\u202fpm', { year: 2022, month: 9, day: 3, hour: 19, minute: 1, second: 30 }],
    ['Mar 5, 2021 18:45', { year: 2021, month: 3, day: 5, hour: 18, minute: 45, second: 0 }],
  ])('reads %s', (text, wall) => {
    expect(parseHtmlTime(text)).toEqual(wall);
  });

  const june14 = (hour: number) => ({ year: 2024, month: 6, day: 14, hour, minute: 9, second: 0 });
  it.each([
    ['14 juin 2024 11:09', june14(11)],
    ['14. Juni 2024 um 23:09', june14(23)],
    ['14 de junio de 2024, 11:09 p. m.', june14(23)],
    ['14 giu 2024, 23:09', june14(23)],
    ['14 июня 2024 г., 23:09', june14(23)],
    ['14 июн. 2024 г., 23:09', june14(23)],
    ['14 Haz 2024 23:09', june14(23)],
    ['14 Ιουνίου 2024, 11:09 μ.μ.', june14(23)],
    ['2024年6月14日 午後11:09', june14(23)],
    ['2024年6月14日 23:09', june14(23)],
    ['2024년 6월 14일 오후 11:09', june14(23)],
    ['14.06.2024, 23:09', june14(23)],
    ['14.6.2024 klo 23.09', june14(23)],
    ['06/14/2024 11:09 PM', june14(23)],
    ['2024-06-14 23:09', june14(23)],
    ['14 listopada 2024 23:09', { ...june14(23), month: 11 }],
  ])('reads the localized %s', (text, wall) => {
    expect(parseHtmlTime(text)).toEqual(wall);
  });

  it.each([
    'yesterday',
    'Foo 1, 2020 1:00 pm',
    'Jun 14, 2024 13:09 pm',
    'Jun 14, 2024 25:00',
    'Jun Jul 14, 2024 11:09',
    '31.13.2024 10:00',
    '14 June 2024',
  ])('refuses %s', (text) => {
    expect(parseHtmlTime(text)).toBeNull();
  });
});

describe('numericDateOrder', () => {
  it.each<[string[], string | null]>([
    [['06/14/2024, 11:09 PM', '06/07/2024, 11:09 PM'], 'month-first'],
    [['06/07/2024, 11:09 PM', '06/05/2024, 10:00 AM'], 'month-first'],
    [['14.06.2024, 23:09', '07.06.2024, 23:09'], 'day-first'],
    [['07/06/2024 23:09', '05/06/2024 10:00'], 'day-first'],
    [['14/06/2024 11:09 pm', '07/06/2024 11:09 pm'], 'day-first'],
    [['Jun 14, 2024 11:09 am'], null],
    [['14/06/2024 23:09', '06/14/2024 23:09'], null],
  ])('of %j is %s', (texts, order) => {
    expect(numericDateOrder(texts)).toBe(order);
  });

  it('reads every date of a page in its order', () => {
    const texts = ['06/14/2024, 11:09 PM', '06/07/2024, 11:09 PM'];
    const order = numericDateOrder(texts);
    expect(texts.map((text) => parseHtmlTime(text, order)?.day)).toEqual([14, 7]);
    expect(texts.map((text) => parseHtmlTime(text, order)?.month)).toEqual([6, 6]);
  });
});

describe('wallTimeToEpoch', () => {
  const wall = (year: number, month: number, day: number, hour: number, minute = 0) => ({
    year,
    month,
    day,
    hour,
    minute,
    second: 0,
  });

  it('converts in a fixed and in a DST zone', () => {
    expect(wallTimeToEpoch(wall(2024, 6, 14, 11, 9), 'UTC')).toBe(Date.UTC(2024, 5, 14, 11, 9));
    expect(wallTimeToEpoch(wall(2024, 6, 14, 11, 9), 'Europe/Berlin')).toBe(Date.UTC(2024, 5, 14, 9, 9));
    expect(wallTimeToEpoch(wall(2024, 1, 14, 11, 9), 'Europe/Berlin')).toBe(Date.UTC(2024, 0, 14, 10, 9));
    expect(wallTimeToEpoch(wall(2024, 6, 14, 11, 9), 'America/New_York')).toBe(Date.UTC(2024, 5, 14, 15, 9));
    expect(wallTimeToEpoch(wall(2024, 6, 14, 11, 9), 'Asia/Kolkata')).toBe(Date.UTC(2024, 5, 14, 5, 39));
  });

  it('handles the DST gap and overlap', () => {
    // 2024-03-31 02:30 never happened in Berlin: read with the offset before the jump (+1).
    expect(wallTimeToEpoch(wall(2024, 3, 31, 2, 30), 'Europe/Berlin')).toBe(Date.UTC(2024, 2, 31, 1, 30));
    // 2024-10-27 02:30 happened twice: the earlier one (+2).
    expect(wallTimeToEpoch(wall(2024, 10, 27, 2, 30), 'Europe/Berlin')).toBe(Date.UTC(2024, 9, 27, 0, 30));
  });

  it('gives the exact offset around changes, kept per hour (30-minute and historical ones too)', () => {
    const changes: Array<[string, number]> = [
      ['Europe/Berlin', Date.UTC(2024, 2, 31, 1)],
      ['America/St_Johns', Date.UTC(2024, 10, 3, 3, 30)],
      ['Australia/Lord_Howe', Date.UTC(2024, 3, 6, 15)], // DST of 30 minutes, changing on the half hour
      ['Asia/Kolkata', Date.UTC(1945, 9, 14, 17, 30)],
      ['Europe/Amsterdam', Date.UTC(1937, 6, 1)], // +0:19:32 → +0:20
    ];
    for (const [zone, change] of changes) {
      for (let at = change - 2 * 3_600_000; at <= change + 2 * 3_600_000; at += 59_000) {
        expect(zoneOffsetMs(at, zone), `${zone} ${new Date(at).toISOString()}`).toBe(exactZoneOffsetMs(at, zone));
      }
    }
    expect(zoneOffsetMs(Date.UTC(2024, 2, 31, 0, 59), 'Europe/Berlin')).toBe(3_600_000);
    expect(zoneOffsetMs(Date.UTC(2024, 2, 31, 1, 0), 'Europe/Berlin')).toBe(7_200_000);
  });

  it('knows offsets and zone names', () => {
    expect(zoneOffsetMs(Date.UTC(2024, 0, 1), 'Asia/Tokyo')).toBe(9 * 3_600_000);
    expect(checkTimeZone('utc')).toBe('UTC');
    expect(() => checkTimeZone('Mars/Olympus')).toThrow(/unknown time zone "Mars\/Olympus"/);
  });
});

describe('parseHtmlReaction', () => {
  it.each([
    ['❤️Alex Kim', { reaction: '❤️', actor: 'Alex Kim' }],
    ['😂 Zoë Müller', { reaction: '😂', actor: 'Zoë Müller' }],
    ['👍🏽Zoë Müller (Jun 14, 2024 11:09 am)', { reaction: '👍🏽', actor: 'Zoë Müller' }],
    ['👨‍👩‍👧‍👦José Álvarez', { reaction: '👨‍👩‍👧‍👦', actor: 'José Álvarez' }],
    ['🇩🇪 さくら', { reaction: '🇩🇪', actor: 'さくら' }],
  ])('splits %s', (text, expected) => {
    expect(parseHtmlReaction(text)).toEqual(expected);
  });
});

describe('parseHtmlThreadFile', () => {
  const page = htmlPage(
    'Zoë Müller',
    ['Zoë Müller', ME],
    [
      {
        sender: 'Zoë Müller',
        time: 'Jun 14, 2024 11:09 am',
        text: 'Grüße & <Küsse> 👨‍👩‍👧‍👦\nzweite Zeile',
        reactions: ['❤️Alex Kim'],
      },
      { sender: ME, time: 'Jun 14, 2024 11:08 am', media: [`${BASE}/photos/p.jpg`, `${BASE}/videos/v.mp4`] },
      { sender: 'Zoë Müller', time: 'Jun 14, 2024 11:07 am', link: 'https://www.instagram.com/reel/C7xYz12AbCd/' },
      { sender: ME, time: 'Jun 14, 2024 11:06 am', text: 'مرحبا שלום こんにちは' },
      { sender: ME, time: 'Jun 14, 2024 11:05 am', text: 'Liked a message' },
    ],
  );

  it('reads title, participants and messages, newest first', () => {
    const parsed = parseHtmlThreadFile(page, FILE, 'Europe/Berlin');
    expect(parsed.title).toBe('Zoë Müller');
    expect(parsed.participants).toEqual(['Zoë Müller', ME]);
    expect(parsed.messages).toEqual([
      {
        sender_name: 'Zoë Müller',
        timestamp_ms: Date.UTC(2024, 5, 14, 9, 9),
        content: 'Grüße & <Küsse> 👨‍👩‍👧‍👦\nzweite Zeile',
        reactions: [{ reaction: '❤️', actor: ME }],
      },
      {
        sender_name: ME,
        timestamp_ms: Date.UTC(2024, 5, 14, 9, 8),
        photos: [{ uri: `${BASE}/photos/p.jpg` }],
        videos: [{ uri: `${BASE}/videos/v.mp4` }],
      },
      {
        sender_name: 'Zoë Müller',
        timestamp_ms: Date.UTC(2024, 5, 14, 9, 7),
        share: { link: 'https://www.instagram.com/reel/C7xYz12AbCd/' },
      },
      { sender_name: ME, timestamp_ms: Date.UTC(2024, 5, 14, 9, 6), content: 'مرحبا שלום こんにちは' },
      { sender_name: ME, timestamp_ms: Date.UTC(2024, 5, 14, 9, 5), content: 'Liked a message' },
    ]);
  });

  it('keeps no-break and ideographic spaces, collapsing only what HTML collapses', () => {
    const spaced = htmlPage(
      'Ünal Kaya',
      ['Ünal Kaya', ME],
      [
        { sender: 'Ünal Kaya', time: 'Jun 14, 2024 11:09 am', text: 'CAFÉ\u00a0!  dann\u3000ja \t ok' },
        { sender: 'Ünal Kaya\u00a0', time: 'Jun 14, 2024 11:08 am', text: '\u00a0Anfang' },
      ],
    );
    const parsed = parseHtmlThreadFile(spaced, FILE, 'UTC');
    expect(parsed.messages.map((m) => m.content)).toEqual(['CAFÉ\u00a0! dann\u3000ja ok', '\u00a0Anfang']);
    expect(parsed.messages.map((m) => m.sender_name)).toEqual(['Ünal Kaya', 'Ünal Kaya\u00a0']);
  });

  it('reads the legacy markup (div senders, comma before the time)', () => {
    const legacy = htmlPage(
      'Zoë',
      ['Zoë', ME],
      [{ sender: 'Zoë', time: 'Jun 14, 2020, 11:09 PM', text: 'hi' }],
      'legacy',
    );
    expect(parseHtmlThreadFile(legacy, FILE, 'UTC').messages).toEqual([
      { sender_name: 'Zoë', timestamp_ms: Date.UTC(2020, 5, 14, 23, 9), content: 'hi' },
    ]);
  });

  it('reads a page in another language: its participants line and its times', () => {
    const page = htmlPage(
      'Zoë',
      ['Zoë', ME],
      [
        { sender: ME, time: '14. Juni 2024, 23:10', text: 'gute Nacht' },
        { sender: 'Zoë', time: '14. Juni 2024, 23:09', text: 'hallo' },
      ],
    ).replace('Participants:', 'Teilnehmer:');
    const parsed = parseHtmlThreadFile(page, FILE, 'UTC');
    expect(parsed.participants).toEqual(['Zoë', ME]);
    expect(parsed.messages.map((m) => m.timestamp_ms)).toEqual([
      Date.UTC(2024, 5, 14, 23, 10),
      Date.UTC(2024, 5, 14, 23, 9),
    ]);
  });

  it('never “repairs” real UTF-8 text', () => {
    const text = 'Ã© stays Ã©, Zoë stays Zoë';
    const parsed = parseHtmlThreadFile(
      htmlPage('t', ['a'], [{ sender: 'a', time: 'Jan 1, 2024 1:00 am', text }]),
      FILE,
      'UTC',
    );
    expect(parsed.messages[0]!.content).toBe(text);
  });

  it('spreads messages of one minute 1 ms apart in page order, and only those', () => {
    const minute = [
      { sender: ME, time: 'Jun 14, 2024 11:09 am', text: 'third' },
      { sender: ME, time: 'Jun 14, 2024 11:09 am', text: 'second' },
      { sender: ME, time: 'Jun 14, 2024 11:09 am', text: 'first' },
      { sender: ME, time: 'Jun 14, 2024 11:08 am', text: 'alone' },
    ];
    const parsed = parseHtmlThreadFile(htmlPage('Zoë Müller', ['Zoë Müller', ME], minute), FILE, 'UTC');
    const at = Date.UTC(2024, 5, 14, 11, 9);
    expect(parsed.messages.map((message) => message.timestamp_ms)).toEqual([at, at, at, at - 60_000]);
    expect(parsed.sentAt).toEqual([at + 2, at + 1, at, at - 60_000]);
    expect(parseHtmlThreadFile(page, FILE, 'UTC').sentAt).toBeNull();
  });

  it('refuses a page nested too deeply for its tree walks, naming the file', () => {
    const depth = 100_000;
    const deep =
      `<html><body><div class="_a6-g"><div class="_a6-h">Zoë</div><div class="_a6-p">` +
      `${'<div>'.repeat(depth)}x${'</div>'.repeat(depth)}</div>` +
      `<div class="_a6-o">Jun 14, 2024 11:09 am</div></div></body></html>`;
    const error = (() => {
      try {
        parseHtmlThreadFile(deep, FILE, 'UTC');
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(ArchiveFileError);
    expect((error as ArchiveFileError).message).toBe(`${FILE}: HTML nested too deeply`);
  });

  it('refuses a small page of elements never closed, which would keep the parser busy for minutes', () => {
    const block = `<div class="_a6-g"><h2 class="_a6-h">A</h2><div class="_a6-p">hi</div><div class="_a6-o">Jun 14, 2024 11:09 am</div></div>`;
    for (const stray of ['<div>', '<span class="x">', '<div></span>', '<p>x', '<li>x']) {
      const page = `<html><body>${stray.repeat(10_000)}x${block}</body></html>`;
      expect(() => parseHtmlThreadFile(page, FILE, 'UTC')).toThrow(
        new ArchiveFileError(FILE, 'HTML nested too deeply'),
      );
    }
    // Counting them stays linear: tags that never end (`<a` without any `>`) count as opened, once
    // each (a scan of each to the end of the file took 90 s here).
    expect(() => parseHtmlThreadFile(`<html><body>${block}${'<a'.repeat(150_000)}</body></html>`, FILE, 'UTC')).toThrow(
      new ArchiveFileError(FILE, 'HTML nested too deeply'),
    );
    // A quoted attribute may hold `<` and `>` for the parser: such tags still count.
    for (const stray of ['<div x="<">', "<div title='a>b'>"]) {
      expect(() =>
        parseHtmlThreadFile(`<html><body>${stray.repeat(4_000)}${block}</body></html>`, FILE, 'UTC'),
      ).toThrow(new ArchiveFileError(FILE, 'HTML nested too deeply'));
    }
    expect(() =>
      parseHtmlThreadFile(`<html><body><div>${'a<br x="<">'.repeat(30_000)}</div></body></html>`, FILE, 'UTC'),
    ).toThrow(new ArchiveFileError(FILE, 'HTML with more than 25000 elements side by side'));
    // Close tags that match nothing cost one look each, however deep the page is left open.
    expect(() => parseHtmlThreadFile(`${'<b>'.repeat(500)}${'</x>'.repeat(200_000)}`, FILE, 'UTC')).toThrow(
      /not an Instagram message page/,
    );
    // Nor may the count itself be slow: a tag name run such as `<a-a-a…` without any `>` (a regex
    // that gives the name back to the attribute part rescans the page once per letter).
    expect(() => parseHtmlThreadFile(`<html><body><a${'-a'.repeat(300_000)}</body></html>`, FILE, 'UTC')).toThrow(
      /not an Instagram message page/,
    );
    // Very many siblings, which the parser adds in time growing with their square, are refused too.
    expect(() =>
      parseHtmlThreadFile(`<html><body><div>${'a<br>'.repeat(40_000)}</div>${block}</body></html>`, FILE, 'UTC'),
    ).toThrow(new ArchiveFileError(FILE, 'HTML with more than 25000 elements side by side'));
    // `<p>` left open inside blocks that close is fine: each block's end closes them.
    const openP = `<div class="_a6-g"><h2 class="_a6-h">A</h2><div class="_a6-p"><p>one<p>two</div><div class="_a6-o">Jun 14, 2024 11:09 am</div></div>`;
    expect(parseHtmlThreadFile(`<html><body>${openP.repeat(600)}</body></html>`, FILE, 'UTC').messages).toHaveLength(
      600,
    );
    // Void elements and self-closed ones need no end tag.
    const voids = `<html><body>${'<br><img src="a.jpg"><hr/><span/>'.repeat(2_000)}${block}</body></html>`;
    expect(parseHtmlThreadFile(voids, FILE, 'UTC').messages).toHaveLength(1);
  });

  it('refuses nesting past MAX_HTML_DEPTH whatever the stack, and reads a page just under it', () => {
    const page = (depth: number) =>
      `<html><body><div class="_a6-g"><div class="_a6-h">Zoë</div><div class="_a6-p">` +
      `${'<div>'.repeat(depth)}x${'</div>'.repeat(depth)}</div>` +
      `<div class="_a6-o">Jun 14, 2024 11:09 am</div></div></body></html>`;
    // Far below a stack overflow on any thread, so a checker thread and the importer agree.
    expect(() => parseHtmlThreadFile(page(MAX_HTML_DEPTH), FILE, 'UTC')).toThrow(`${FILE}: HTML nested too deeply`);
    expect(parseHtmlThreadFile(page(MAX_HTML_DEPTH - 10), FILE, 'UTC').messages).toHaveLength(1);
  });

  it('refuses more than 25,000 siblings in one element, and reads 25,000', () => {
    const block = `<div class="_a6-g"><h2 class="_a6-h">A</h2><div class="_a6-p">hi</div><div class="_a6-o">Jun 14, 2024 11:09 am</div></div>`;
    const page = (siblings: number) => `<html><body><div>${'<br>'.repeat(siblings)}</div>${block}</body></html>`;
    expect(() => parseHtmlThreadFile(page(25_001), FILE, 'UTC')).toThrow(
      new ArchiveFileError(FILE, 'HTML with more than 25000 elements side by side'),
    );
    expect(parseHtmlThreadFile(page(25_000), FILE, 'UTC').messages).toHaveLength(1);
  });

  it('refuses a page nested too deeply that the look before parsing takes for flat', () => {
    // `x=a/` is an unquoted value ending in a slash, not a self-closed tag: every div stays open.
    const page = `<html><body>${'<div x=a/>'.repeat(1_000)}<div class="_a6-g"><h2 class="_a6-h">A</h2></div></body></html>`;
    expect(() => parseHtmlThreadFile(page, FILE, 'UTC')).toThrow(new ArchiveFileError(FILE, 'HTML nested too deeply'));
  });

  it('reads every block of a long page with line breaks between blocks, entities decoded', () => {
    const many = Array.from({ length: 3_000 }, (_, i) => ({
      sender: i % 2 ? '\u200eZoë Müller\u200f' : ME,
      time: 'Jun 14, 2024 11:09 am',
      text: `#${i} & <b> 😀`,
      reactions: i % 3 ? [] : ['👍🏽Zoë Müller'],
    }));
    const page = htmlPage('Zoë Müller', ['Zoë Müller', ME], many)
      .replaceAll('<div class="pam', '\n  <div class="pam')
      .replaceAll('😀', '&#x1F600;');
    const parsed = parseHtmlThreadFile(page, FILE, 'UTC');
    expect(parsed.messages).toHaveLength(3_000);
    expect(parsed.messages[2_997]).toEqual({
      sender_name: 'Zoë Müller',
      timestamp_ms: Date.UTC(2024, 5, 14, 11, 9),
      content: '#2997 & <b> 😀',
      reactions: [{ reaction: '👍🏽', actor: 'Zoë Müller' }],
    });
    expect(parsed.messages[1]).toEqual({
      sender_name: 'Zoë Müller',
      timestamp_ms: Date.UTC(2024, 5, 14, 11, 9),
      content: '#1 & <b> 😀',
    });
  });

  it('names the file for an unreadable time or a page that is not a thread', () => {
    const badTime = htmlPage('t', ['a'], [{ sender: 'a', time: 'gestern um 10', text: 'x' }]);
    expect(() => parseHtmlThreadFile(badTime, FILE, 'UTC')).toThrow(ArchiveFileError);
    expect(() => parseHtmlThreadFile(badTime, FILE, 'UTC')).toThrow(`${FILE}: cannot read the time "gestern um 10"`);
    expect(() => parseHtmlThreadFile('<html><body>hello</body></html>', FILE, 'UTC')).toThrow(
      /not an Instagram message page/,
    );
  });

  it.each(['31.02.2024, 23:09', 'Apr 31, 2024 9:00 am', 'Feb 30, 2024 11:09 pm', '29.02.2023, 10:00'])(
    'refuses the impossible date %j instead of rolling it into the next month',
    (time) => {
      const page = htmlPage('t', ['a'], [{ sender: 'a', time, text: 'x' }]);
      expect(() => parseHtmlThreadFile(page, FILE, 'UTC')).toThrow(`${FILE}: cannot read the time "${time}"`);
    },
  );

  it('reads the last day of each month, leap day included', () => {
    const page = htmlPage('t', ['a'], [{ sender: 'a', time: '29.02.2024, 10:00', text: 'x' }]);
    expect(parseHtmlThreadFile(page, FILE, 'UTC').messages[0]!.timestamp_ms).toBe(Date.UTC(2024, 1, 29, 10));
  });
});

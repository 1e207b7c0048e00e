import { describe, expect, it } from 'vitest';
import { ArchiveFileError } from '../../src/archive/archive-error.js';
import { classifyMessage, isOwnSystemLine } from '../../src/archive/classify.js';
import { encodeMetaDeep, stringifyMetaJson } from '../../src/archive/decode-meta-text.js';
import { parseJsonThreadFile } from '../../src/archive/json-thread.js';
import { parseIsoMs, parseLegacyFile } from '../../src/archive/legacy-thread.js';
import { MessageIdSequence } from '../../src/archive/message-id.js';
import type { MetaMessage } from '../../src/archive/meta-schema.js';
import { fixture } from '../fixtures/archive/build-archive.js';

const FILE = 'your_instagram_activity/messages/inbox/x_1/message_1.json';

function errorOf(fn: () => unknown): ArchiveFileError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ArchiveFileError);
    return error as ArchiveFileError;
  }
  throw new Error('expected an error');
}

describe('parseJsonThreadFile', () => {
  it('reads a real page and repairs every string', () => {
    const page = parseJsonThreadFile(fixture('message_1.json'), FILE, 64);
    expect(page.title).toBe('Zoë Müller');
    expect(page.participants).toEqual(['Zoë Müller', 'Alex Kim']);
    expect(page.isGroupHint).toBe(false);
    expect(page.messages).toHaveLength(10);
    const [reacted, reel, share] = page.messages;
    expect(reacted!.content).toBe('Reacted 😂 to your message ');
    expect(reel!.reactions).toEqual([{ reaction: '😂', actor: 'Zoë Müller', timestamp: 1718368145 }]);
    expect(share!.share).toEqual({
      link: 'https://www.instagram.com/reel/C7xYz12AbCd/',
      share_text: 'Sunday vibes ☀️ #köln',
      original_content_owner: 'some.creator',
    });
    expect(page.messages[9]!.content).toBe('Grüße aus Köln! Ça va? ❤️ Привет');
  });

  // A file saved correctly by something else (ensure_ascii with real code points, or UTF-8): its
  // French "CAFÉ\u00a0!" is, byte for byte, valid UTF-8 for "CAFɠ!", and must not be "repaired".
  it('leaves a file alone whose text shows it is not mojibake, in whichever way it is written', () => {
    const thread = {
      participants: [{ name: 'Léa Dubois' }, { name: 'Alex Kim' }],
      messages: [
        { sender_name: 'Léa Dubois', timestamp_ms: 2, content: 'Déjà vu — très bien 👍' },
        { sender_name: 'Léa Dubois', timestamp_ms: 1, content: 'CAFÉ\u00a0!' },
      ],
      title: 'Léa Dubois',
    };
    const escaped = JSON.stringify(thread).replace(
      /[\u007f-\uffff]/g,
      (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
    for (const text of [escaped, JSON.stringify(thread)]) {
      const page = parseJsonThreadFile(text, FILE, 64);
      expect(page.messages.map((m) => m.content)).toEqual(['Déjà vu — très bien 👍', 'CAFÉ\u00a0!']);
      expect(page.participants).toEqual(['Léa Dubois', 'Alex Kim']);
    }
    // Meta's own file of the same: every string repaired, as before.
    const meta = parseJsonThreadFile(stringifyMetaJson(encodeMetaDeep(thread)), FILE, 64);
    expect(meta.messages.map((m) => m.content)).toEqual(['Déjà vu — très bien 👍', 'CAFÉ\u00a0!']);
  });

  it('sees a group', () => {
    const page = parseJsonThreadFile(fixture('group-message_1.json'), FILE, 64);
    expect(page.isGroupHint).toBe(true);
    expect(page.title).toBe('Weekend Crew 🏕️');
    expect(page.participants).toEqual(['José Álvarez', 'Alex Kim', 'Instagram User']);
  });

  it('names the file and the field for a wrong type', () => {
    const bad = JSON.parse(fixture('message_1.json')) as { messages: Array<Record<string, unknown>> };
    bad.messages[3]!.timestamp_ms = '1718351500000';
    const error = errorOf(() => parseJsonThreadFile(JSON.stringify(bad), FILE, 64));
    expect(error.message).toBe(`${FILE}: messages[3].timestamp_ms: expected number, received string`);
  });

  it.each([
    ['missing messages', '{"participants":[]}', /messages: expected array, received undefined$/],
    ['messages not a list', '{"participants":[],"messages":{"0":{}}}', /messages: expected array, received object$/],
    ['messages null', '{"participants":[],"messages":null}', /messages: expected array, received null$/],
    ['participants not a list', '{"participants":"x","messages":[]}', /participants: expected array/],
    [
      'reaction actor a number',
      '{"participants":[],"messages":[{"sender_name":"a","timestamp_ms":1,"reactions":[{"reaction":"x","actor":5}]}]}',
      /messages\[0\]\.reactions\[0\]\.actor: expected string/,
    ],
    [
      'a time no date can show',
      '{"participants":[],"messages":[{"sender_name":"a","timestamp_ms":9007199254740991}]}',
      /messages\[0\]\.timestamp_ms: after the year 9999$/,
    ],
    [
      'a reaction time out of range',
      '{"participants":[],"messages":[{"sender_name":"a","timestamp_ms":1,"reactions":[{"reaction":"x","actor":"b","timestamp":1e300}]}]}',
      /messages\[0\]\.reactions\[0\]\.timestamp: out of range$/,
    ],
    ['not JSON', '{"participants": [', /not valid JSON/],
    ['an array', '[]', /expected object/],
  ])('rejects %s', (_name, text, pattern) => {
    expect(errorOf(() => parseJsonThreadFile(text, FILE, 64)).message).toMatch(pattern);
  });

  it('refuses deep nesting without overflowing the stack', () => {
    const text = `{"participants":[],"messages":[],"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    expect(errorOf(() => parseJsonThreadFile(text, FILE, 64)).message).toMatch(/nested deeper than 64 levels/);
  });

  it('accepts a byte order mark', () => {
    expect(parseJsonThreadFile(`\ufeff{"participants":[],"messages":[]}`, FILE, 64).messages).toEqual([]);
  });
});

describe('classifyMessage', () => {
  const page = parseJsonThreadFile(fixture('message_1.json'), FILE, 64);
  it('classifies the real page', () => {
    expect(page.messages.map((m) => classifyMessage(m).kind)).toEqual([
      'system',
      'text',
      'share',
      'photo',
      'audio',
      'video',
      'like',
      'system',
      'call',
      'text',
    ]);
    expect(classifyMessage(page.messages[7]!).unsent).toBe(true);
  });

  it.each<[Partial<MetaMessage>, string]>([
    [{ content: 'https://example.com/x' }, 'link'],
    [{ content: 'You created the group.' }, 'system'],
    [{ sender_name: 'José Álvarez', content: 'José Álvarez left the group.' }, 'system'],
    [{ sender_name: 'Alex Kim', content: 'Alex Kim sent an attachment.' }, 'placeholder'],
    [{ content: 'You sent an attachment.' }, 'placeholder'],
    [{}, 'placeholder'],
    [{ content: 'Missed an audio call' }, 'call'],
    // One line per system, call and placeholder pattern of classify.ts.
    [{ content: "Reacted ❤️ to Zoë's message" }, 'system'],
    [{ content: 'changed their reaction to 👍' }, 'system'],
    [{ sender_name: 'Max', content: 'Max unsent a message' }, 'system'],
    [{ content: 'You named the group Book club.' }, 'system'],
    [{ sender_name: 'Max', content: 'Max renamed the group Friends' }, 'system'],
    [{ sender_name: 'Max', content: 'Max added Zoë Müller to the group.' }, 'system'],
    [{ sender_name: 'Max', content: 'Max joined the group.' }, 'system'],
    [{ sender_name: 'Max', content: 'Max changed the theme to Lo-fi.' }, 'system'],
    [{ sender_name: 'Max', content: 'Max set your nickname to Mo.' }, 'system'],
    [{ sender_name: 'Max', content: 'Max unpinned a message.' }, 'system'],
    [{ content: 'You made Max an admin.' }, 'system'],
    [{ sender_name: 'Max', content: 'Max removed Zoë as an admin.' }, 'system'],
    [{ content: 'You turned on vanish mode.' }, 'system'],
    [{ content: 'You approved a request to join.' }, 'system'],
    [{ content: 'this message was unavailable' }, 'system'],
    [{ content: 'Started a video chat' }, 'call'],
    [{ sender_name: 'Max', content: 'Max started a video chat' }, 'call'],
    [{ content: 'The voice call ended.' }, 'call'],
    [{ content: 'message unavailable' }, 'placeholder'],
    [{ content: 'Group chat about the call' }, 'text'],
    // Meta's own lines open with their actor, who sends them: a friend's sentence that only looks
    // like one stays a text.
    [{ content: 'you made my day!' }, 'text'],
    [{ content: 'You made my day! 😊' }, 'text'],
    [{ content: 'You left your jacket at my place' }, 'text'],
    [{ content: 'You set the table yet?' }, 'text'],
    [{ sender_name: 'Zoë', content: 'I think he unsent a message' }, 'text'],
    [{ sender_name: 'Zoë', content: 'Max unsent a message' }, 'text'],
    [{ sender_name: 'Zoë', content: 'Max left the group.' }, 'text'],
    [{ sender_name: 'Max', content: 'Max Unsent a message' }, 'text'],
    [{ sender_name: 'Max', content: 'Maxine left the group.' }, 'text'],
    [{ content: 'Our video call started late' }, 'text'],
    [{ gifs: [{ uri: 'g.gif' }] }, 'gif'],
    [{ sticker: { uri: 's.png' } }, 'sticker'],
  ])('%j is %s', (fields, kind) => {
    expect(classifyMessage({ sender_name: 'a', timestamp_ms: 1, ...fields }).kind).toBe(kind);
  });

  it.each<[string, boolean]>([
    ['You created the group.', true],
    ['You named the group Book club.', true],
    ['You sent an attachment.', true],
    ['You unsent a message', true],
    ['You made my day! 😊', false],
    ['You left your jacket at my place', false],
    ['Max left the group.', false],
  ])('isOwnSystemLine(%j) is %s', (content, own) => {
    expect(isOwnSystemLine(content)).toBe(own);
  });
});

describe('MessageIdSequence', () => {
  const message: MetaMessage = { sender_name: 'Zoë', timestamp_ms: 5, content: 'hi' };
  it('is stable, distinct for repeats, and independent of the archive layout', () => {
    const a = new MessageIdSequence('z_1');
    const b = new MessageIdSequence('z_1');
    const first = a.next(message);
    expect(first).toMatch(/^a:[A-Za-z0-9_-]{24}$/);
    expect(b.next({ ...message })).toBe(first);
    const repeat = a.next({ ...message });
    expect(repeat).not.toBe(first);
    expect(b.next({ ...message })).toBe(repeat);
    const withMedia = (uri: string) => new MessageIdSequence('z_1').next({ ...message, photos: [{ uri }] });
    expect(withMedia('your_instagram_activity/messages/inbox/z_1/photos/p.jpg')).toBe(
      withMedia('messages/inbox/z_1/photos/p.jpg'),
    );
  });

  it('depends on folder, time, sender and content', () => {
    const id = (folder: string, m: MetaMessage) => new MessageIdSequence(folder).next(m);
    const base = id('z_1', message);
    expect(id('z_2', message)).not.toBe(base);
    expect(id('z_1', { ...message, timestamp_ms: 6 })).not.toBe(base);
    expect(id('z_1', { ...message, sender_name: 'Zoe' })).not.toBe(base);
    expect(id('z_1', { ...message, content: 'hi!' })).not.toBe(base);
  });
});

describe('legacy messages.json', () => {
  it('reads conversations as threads, newest first, with ISO times', () => {
    const [thread, ...rest] = parseLegacyFile(fixture('legacy-messages.json'), 'messages.json', 64);
    expect(rest).toEqual([]);
    expect(thread!.folder).toBe('legacy_alex.kim_zoe.mueller');
    expect(thread!.participants).toEqual(['alex.kim', 'zoe.mueller']);
    expect(thread!.messages.map((m) => m.timestamp_ms)).toEqual([
      Date.UTC(2018, 9, 16, 18, 22, 5, 437),
      Date.UTC(2018, 9, 16, 18, 21, 40, 102),
      Date.UTC(2018, 9, 16, 18, 20, 11, 0),
      Date.UTC(2018, 9, 16, 18, 19, 0, 0),
    ]);
    expect(thread!.messages[0]!.content).toBe('Bis später 👋');
    expect(classifyMessage(thread!.messages[1]!).kind).toBe('like');
    expect(thread!.messages[2]!.share).toEqual({
      link: 'https://scontent.cdninstagram.com/vp/abc/t51.2885-15/e35/123_n.jpg',
      share_text: 'Sunday vibes',
      original_content_owner: 'some.creator',
    });
    expect(thread!.messages[3]!.reactions).toEqual([{ reaction: '❤️', actor: 'zoe.mueller', timestamp: 1539713970 }]);
    expect(thread!.raws![0]).toMatchObject({ sender: 'zoe.mueller', text: 'Bis später 👋' });
  });

  it('parses ISO times with offsets and microseconds', () => {
    expect(parseIsoMs('2018-10-16T18:22:05.437911+02:00')).toBe(Date.UTC(2018, 9, 16, 16, 22, 5, 437));
    expect(parseIsoMs('2018-10-16T18:22:05Z')).toBe(Date.UTC(2018, 9, 16, 18, 22, 5));
    expect(parseIsoMs('yesterday')).toBeNull();
    // Times that do not exist are refused rather than rolled over into another day.
    for (const impossible of [
      '2018-02-30T10:00:00Z',
      '2018-10-16T25:00:00Z',
      '2018-10-16T18:61:00Z',
      '2018-13-01T00:00:00Z',
      '2018-10-16T18:22:05+99:99',
    ]) {
      expect(parseIsoMs(impossible), impossible).toBeNull();
    }
    expect(parseIsoMs('2020-02-29T23:59:59Z')).toBe(Date.UTC(2020, 1, 29, 23, 59, 59));
  });

  it('takes the text as written: correct escapes, even a string that would read as valid UTF-8 bytes', () => {
    const text = String.raw`[{"participants":["a","b"],"conversation":[
      {"sender":"a","created_at":"2018-10-16T18:22:05Z","text":"T'es O\u00d9\u00a0?"},
      {"sender":"b","created_at":"2018-10-16T18:23:05Z","text":"ok"}]}]`;
    const [thread] = parseLegacyFile(text, 'messages.json', 64);
    expect(thread!.messages.map((m) => m.content)).toEqual(['ok', "T'es O\u00d9\u00a0?"]);
  });

  it('names the item with an unreadable time', () => {
    const text = '[{"participants":["a","b"],"conversation":[{"sender":"a","created_at":"soon"}]}]';
    expect(errorOf(() => parseLegacyFile(text, 'messages.json', 64)).message).toBe(
      'messages.json: [0].conversation[0].created_at: cannot read "soon" as a time',
    );
  });
});

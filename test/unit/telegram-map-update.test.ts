import { describe, expect, it } from 'vitest';
import { mapUpdate, parseCommand } from '../../src/telegram/map-update.js';
import { nextOffset } from '../../src/telegram/telegram-update.js';
import type { WireUpdate } from '../../src/telegram/wire-types.js';
import { DEFAULT_BOT, DEFAULT_OWNER } from '../fakes/telegram/state.js';

// Shapes from shared/formats/tg-updates.json (the fake Telegram's owner and bot are the same users).
const alex = DEFAULT_OWNER;
const bot = DEFAULT_BOT;
const privateChat = { id: 126919740, first_name: 'Alex', last_name: 'Kim', username: 'alexkim', type: 'private' };
const forum = { id: -1001134449138, title: 'IG archive', is_forum: true, type: 'supergroup' };

const updates: WireUpdate[] = [
  {
    update_id: 713898605,
    message: {
      message_id: 2320,
      from: alex,
      chat: privateChat,
      date: 1718368200,
      text: '/start',
    },
  },
  {
    update_id: 713898606,
    message: {
      message_id: 2322,
      from: alex,
      chat: privateChat,
      date: 1718368260,
      reply_to_message: { message_id: 2321, from: bot, chat: privateChat, date: 1718368201, text: 'Send me…' },
      text: 'ok, uploading now 😂',
    },
  },
  {
    update_id: 713898607,
    message: {
      message_id: 2323,
      from: alex,
      chat: privateChat,
      date: 1718368300,
      photo: [
        { file_id: 'small', file_unique_id: 'AQAD2sMxG3xlyUp4', file_size: 1023, width: 40, height: 90 },
        { file_id: 'large', file_unique_id: 'AQAD2sMxG3xlyUp-', file_size: 92940, width: 576, height: 1280 },
      ],
      caption: 'screenshot of the chat',
    },
  },
  {
    update_id: 713898608,
    callback_query: {
      id: '1874464818486990916',
      from: alex,
      message: { message_id: 2324, from: bot, chat: privateChat, date: 1718368310, text: 'Found 3 threads.' },
      chat_instance: '56656092177350901239',
      data: 'imp:17940844501242424',
    },
  },
  {
    update_id: 713898609,
    message: {
      message_id: 77,
      message_thread_id: 75,
      from: alex,
      chat: forum,
      date: 1718368400,
      is_topic_message: true,
      reply_to_message: {
        message_id: 75,
        message_thread_id: 75,
        from: bot,
        chat: forum,
        date: 1718368350,
        is_topic_message: true,
        forum_topic_created: { name: 'Zoë Müller', icon_color: 7322096 },
      },
      text: 'message inside a topic',
    },
  },
  {
    update_id: 713898610,
    my_chat_member: {
      chat: privateChat,
      from: alex,
      date: 1718369000,
      old_chat_member: { status: 'member' },
      new_chat_member: { status: 'kicked' },
    },
  },
];

describe('mapUpdate', () => {
  const mapped = updates.map(mapUpdate);

  it('reads a command with times in milliseconds', () => {
    const update = mapped[0]!;
    expect(update.kind).toBe('message');
    if (update.kind !== 'message') return;
    expect(update.message.command).toEqual({ name: 'start', botName: null, args: '' });
    expect(update.message.sentAt).toBe(1718368200_000);
    expect(update.message.fromName).toBe('Alex Kim');
    expect(update.message.chatType).toBe('private');
  });

  it('keeps a real reply target', () => {
    const update = mapped[1]!;
    expect(update.kind === 'message' && update.message.replyToMessageId).toBe(2321);
  });

  it('picks the largest photo size and uses the caption as text', () => {
    const update = mapped[2]!;
    if (update.kind !== 'message') throw new Error('expected a message');
    expect(update.message.photo?.fileId).toBe('large');
    expect(update.message.text).toBe('screenshot of the chat');
    expect(update.message.command).toBeNull();
  });

  it('reads a button press', () => {
    const update = mapped[3]!;
    if (update.kind !== 'callback') throw new Error('expected a callback');
    expect(update.callback).toMatchObject({
      id: '1874464818486990916',
      chatId: 126919740,
      messageId: 2324,
      data: 'imp:17940844501242424',
    });
  });

  it('does not take the topic creation message for a reply', () => {
    const update = mapped[4]!;
    if (update.kind !== 'message') throw new Error('expected a message');
    expect(update.message.topicId).toBe(75);
    expect(update.message.replyToMessageId).toBeNull();
    expect(update.message.isForum).toBe(true);
  });

  it('reports that the user blocked the bot', () => {
    expect(mapped[5]).toMatchObject({ kind: 'membership', chatId: 126919740, status: 'kicked' });
  });

  it('computes the offset that confirms everything seen', () => {
    expect(nextOffset(mapped, null)).toBe(713898611);
    expect(nextOffset([], 5)).toBe(5);
  });
});

describe('parseCommand', () => {
  it('reads the bot name and arguments', () => {
    expect(parseCommand('/start@IG_import_bot  ABC123 ')).toEqual({
      name: 'start',
      botName: 'ig_import_bot',
      args: 'ABC123',
    });
    expect(parseCommand('/search weekend\nplans')).toEqual({ name: 'search', botName: null, args: 'weekend\nplans' });
    expect(parseCommand('not a /command')).toBeNull();
  });
});

// The node-telegram-bot-api adapter against the fake Bot API: what it sends arrives as sent.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BotApiTelegramClient } from '../../src/telegram/bot-api-client.js';
import { TelegramPermanent } from '../../src/telegram/errors.js';
import { formatHeader, formatMessageHtml } from '../../src/telegram/format.js';
import { sendLongText, sendMediaWithCaption } from '../../src/telegram/send-split.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram/index.js';

let fake: FakeTelegram;
let client: BotApiTelegramClient;
let owner: number;

beforeEach(async () => {
  fake = await startFakeTelegram();
  client = new BotApiTelegramClient({ token: fake.token, apiUrl: fake.url });
  owner = fake.state.owner.id;
});

afterEach(async () => {
  await fake.close();
});

describe('BotApiTelegramClient sending', () => {
  it('checks the token with getMe', async () => {
    const me = await client.getMe();
    expect(me).toEqual({ id: fake.state.bot.id, username: 'ig_import_bot', firstName: 'IG Import Bot' });
  });

  it('sends HTML text with a reply and a keyboard', async () => {
    const first = await client.sendText(owner, 'first');
    const html = formatMessageHtml(formatHeader({ threadTitle: 'Weekend Crew', sender: 'Zoë' }), 'a < b & "c"');
    const sent = await client.sendText(owner, html, {
      parseMode: 'HTML',
      replyTo: first.messageId,
      keyboard: [[{ text: 'Older', data: 'older:1' }]],
      silent: true,
    });
    expect(sent.chatId).toBe(owner);
    const stored = fake.state.message(owner, sent.messageId)!;
    expect(stored.text).toBe('Weekend Crew · Zoë\na < b & "c"');
    expect(stored.rawText).toBe(html);
    expect(stored.replyToMessageId).toBe(first.messageId);
    expect(stored.keyboard).toEqual({ inline_keyboard: [[{ text: 'Older', callback_data: 'older:1' }]] });
    const call = fake.calls.find((c) => c.method === 'sendMessage' && c.params.parse_mode === 'HTML')!;
    expect(call.params.disable_notification).toBe('true');
    expect(call.params.link_preview_options).toEqual({ is_disabled: true });
  });

  it('edits text and captions, and reacts', async () => {
    const sent = await client.sendText(owner, 'hello');
    await client.editText(owner, sent.messageId, '<s>hello</s> (unsent)', { parseMode: 'HTML' });
    const stored = fake.state.message(owner, sent.messageId)!;
    expect(stored.text).toBe('hello (unsent)');
    expect(stored.editCount).toBe(1);

    const photo = await client.sendMedia(owner, 'photo', randomBytes(64), 'caption');
    await client.editCaption(owner, photo.messageId, 'caption (unsent)');
    expect(fake.state.message(owner, photo.messageId)!.caption).toBe('caption (unsent)');

    await client.react(owner, sent.messageId, '👍');
    expect(fake.state.message(owner, sent.messageId)!.reactions).toEqual(['👍']);
    await client.react(owner, sent.messageId, null);
    expect(fake.state.message(owner, sent.messageId)!.reactions).toEqual([]);
    await expect(client.react(owner, sent.messageId, '✅')).rejects.toBeInstanceOf(TelegramPermanent);
  });

  it('creates a forum topic and posts into it', async () => {
    const forum = fake.state.addForum();
    const topicId = await client.createTopic(forum.id, 'Zoë Müller');
    expect(fake.state.topics(forum.id).get(topicId)?.name).toBe('Zoë Müller');
    const sent = await client.sendText(forum.id, 'in the topic', { topicId });
    expect(sent.topicId).toBe(topicId);
    expect(fake.state.message(forum.id, sent.messageId)!.topicId).toBe(topicId);
    const chat = await client.getChat(forum.id);
    expect(chat).toEqual({ id: forum.id, type: 'supergroup', title: 'IG archive', isForum: true });
    await expect(client.createTopic(owner, 'not a forum')).rejects.toBeInstanceOf(TelegramPermanent);
  });

  it('uploads media byte for byte, from memory and from a path', async () => {
    const bytes = randomBytes(300_000);
    const photo = await client.sendMedia(owner, 'photo', bytes, 'a photo', { fileName: 'pic.jpg', mime: 'image/jpeg' });
    const upload = fake.state.message(owner, photo.messageId)!.upload!;
    expect(upload.filename).toBe('pic.jpg');
    expect(upload.contentType).toBe('image/jpeg');
    expect(Buffer.compare(upload.bytes, bytes)).toBe(0);
    expect(photo.fileId).toBeTruthy();

    const dir = await mkdtemp(join(tmpdir(), 'igtg-tg-'));
    try {
      const path = join(dir, 'voice note.ogg');
      const voiceBytes = randomBytes(10_000);
      await writeFile(path, voiceBytes);
      const voice = await client.sendMedia(owner, 'voice', path, null);
      const stored = fake.state.message(owner, voice.messageId)!;
      expect(stored.kind).toBe('voice');
      expect(stored.upload!.filename).toBe('voice note.ogg');
      expect(Buffer.compare(stored.upload!.bytes, voiceBytes)).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    for (const kind of ['video', 'document', 'animation', 'audio'] as const) {
      const data = randomBytes(1000);
      const sent = await client.sendMedia(owner, kind, data, null);
      expect(Buffer.compare(fake.state.message(owner, sent.messageId)!.upload!.bytes, data)).toBe(0);
    }
    expect(fake.calls.filter((c) => c.encoding === 'multipart').map((c) => c.method)).toEqual([
      'sendPhoto',
      'sendVoice',
      'sendVideo',
      'sendDocument',
      'sendAnimation',
      'sendAudio',
    ]);
  });

  it('sends long text as several messages, keyboard under the last', async () => {
    const text = formatMessageHtml('<b>Zoë</b>', 'word & more '.repeat(900));
    const sent = await sendLongText(client, owner, text, {
      parseMode: 'HTML',
      keyboard: [[{ text: 'ok', data: 'ok:1' }]],
    });
    expect(sent.length).toBeGreaterThan(1);
    const stored = sent.map((s) => fake.state.message(owner, s.messageId)!);
    expect(stored.map((m) => m.keyboard === null)).toEqual([...Array(sent.length - 1).fill(true), false]);
    expect(stored.map((m) => m.text).join('')).toBe(`Zoë\n${'word & more '.repeat(900)}`);
  });

  it('continues a long caption in a follow-up message', async () => {
    const caption = 'caption words '.repeat(120);
    const parts: number[] = [];
    const sent = await sendMediaWithCaption(client, owner, 'photo', randomBytes(100), caption, {
      onPartSent: (index) => void parts.push(index),
    });
    expect(parts).toEqual([0, 1]);
    const [media, followUp] = sent.map((s) => fake.state.message(owner, s.messageId)!);
    expect(media!.caption!.length).toBeLessThanOrEqual(1024);
    expect(media!.caption! + followUp!.text!).toBe(caption);
  });

  it('deletes messages and answers button presses', async () => {
    const sent = await client.sendText(owner, 'pick', { keyboard: [[{ text: 'A', data: 'a:1' }]] });
    const queryId = fake.state.userClicks({ messageId: sent.messageId, data: 'a:1' });
    await client.answerCallback(queryId, 'Done');
    expect(fake.state.callback(queryId)).toMatchObject({ answered: true, answer: { text: 'Done' } });
    await client.deleteMessage(owner, sent.messageId);
    expect(fake.state.message(owner, sent.messageId)!.deleted).toBe(true);
  });
});

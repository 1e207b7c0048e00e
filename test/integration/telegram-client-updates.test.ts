// Receiving through the adapter: getUpdates offsets, long polling, and files users send.
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BotApiTelegramClient } from '../../src/telegram/bot-api-client.js';
import { TelegramPermanent } from '../../src/telegram/errors.js';
import { nextOffset, type TelegramUpdate } from '../../src/telegram/telegram-update.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram/index.js';

let fake: FakeTelegram;
let client: BotApiTelegramClient;

beforeEach(async () => {
  fake = await startFakeTelegram();
  client = new BotApiTelegramClient({ token: fake.token, apiUrl: fake.url });
});

afterEach(async () => {
  await fake.close();
});

function texts(updates: TelegramUpdate[]): (string | null)[] {
  return updates.map((u) => (u.kind === 'message' ? u.message.text : null));
}

describe('getUpdates', () => {
  it('redelivers an update until a higher offset confirms it', async () => {
    fake.state.userSends({ text: 'one' });
    fake.state.userSends({ text: 'two' });
    const first = await client.getUpdates(null, 0);
    expect(texts(first)).toEqual(['one', 'two']);

    // Not confirmed yet: the same updates come again (a crash before committing loses nothing).
    const again = await client.getUpdates(first[0]!.updateId, 0);
    expect(again.map((u) => u.updateId)).toEqual(first.map((u) => u.updateId));

    // Confirm the first only.
    const rest = await client.getUpdates(first[0]!.updateId + 1, 0);
    expect(texts(rest)).toEqual(['two']);

    const offset = nextOffset(rest, null);
    expect(await client.getUpdates(offset, 0)).toEqual([]);
    expect(fake.state.pendingUpdates()).toEqual([]);
    fake.state.userSends({ text: 'three' });
    expect(texts(await client.getUpdates(offset, 0))).toEqual(['three']);
  });

  it('holds a long poll until a message arrives', async () => {
    const offset = nextOffset(await client.getUpdates(null, 0), null);
    const polling = client.getUpdates(offset, 30);
    // The poll is open on the server before the user writes.
    await waitFor(() => fake.calls.some((c) => c.method === 'getUpdates' && c.params.timeout === '30'));
    fake.state.userSends({ text: 'wake up' });
    expect(texts(await polling)).toEqual(['wake up']);
  });

  it('stops a long poll when aborted', async () => {
    const controller = new AbortController();
    const polling = client.getUpdates(null, 30, controller.signal);
    await waitFor(() => fake.calls.some((c) => c.method === 'getUpdates'));
    controller.abort();
    await expect(polling).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('maps replies, topics, buttons and blocks', async () => {
    const owner = fake.state.owner.id;
    const botMessage = await client.sendText(owner, 'forwarded from Instagram');
    fake.state.userSends({ text: 'my answer', replyTo: botMessage.messageId });
    const forum = fake.state.addForum();
    const topicId = await client.createTopic(forum.id, 'Zoë');
    fake.state.userSends({ chatId: forum.id, topicId, text: 'in topic' });
    fake.state.userClicks({ messageId: botMessage.messageId, data: 'thr:1' });
    fake.state.blockBot(owner);

    const updates = await client.getUpdates(null, 0);
    expect(updates.map((u) => u.kind)).toEqual(['message', 'message', 'callback', 'membership']);
    const [reply, inTopic, click, blocked] = updates;
    expect(reply!.kind === 'message' && reply!.message.replyToMessageId).toBe(botMessage.messageId);
    if (inTopic!.kind !== 'message') throw new Error('expected a message');
    expect(inTopic!.message.topicId).toBe(topicId);
    expect(inTopic!.message.replyToMessageId).toBeNull();
    expect(click!.kind === 'callback' && click!.callback.data).toBe('thr:1');
    expect(blocked).toMatchObject({ kind: 'membership', status: 'kicked' });
    const call = fake.calls.find((c) => c.method === 'getUpdates')!;
    expect(call.params.allowed_updates).toEqual(['message', 'edited_message', 'callback_query', 'my_chat_member']);
  });
});

describe('downloadFile', () => {
  it('downloads a photo a user sent, byte for byte', async () => {
    const bytes = randomBytes(50_000);
    fake.state.userSends({ photo: bytes, caption: 'look' });
    const [update] = await client.getUpdates(null, 0);
    if (update?.kind !== 'message' || !update.message.photo) throw new Error('expected a photo');
    expect(update.message.text).toBe('look');
    const downloaded = await client.downloadFile(update.message.photo.fileId);
    expect(Buffer.compare(downloaded, bytes)).toBe(0);
  });

  it('downloads an image sent as a document', async () => {
    const bytes = randomBytes(2048);
    fake.state.userSends({ document: { bytes, fileName: 'IMG_0001.PNG', mimeType: 'image/png' } });
    const [update] = await client.getUpdates(null, 0);
    if (update?.kind !== 'message' || !update.message.document) throw new Error('expected a document');
    expect(update.message.document).toMatchObject({ fileName: 'IMG_0001.PNG', mime: 'image/png', size: 2048 });
    expect(Buffer.compare(await client.downloadFile(update.message.document.fileId), bytes)).toBe(0);
  });

  it('refuses files over 20 MB and unknown file ids', async () => {
    const big = fake.state.addFile(randomBytes(10), { reportedSize: 21 * 1024 * 1024 });
    await expect(client.downloadFile(big.file_id)).rejects.toMatchObject({
      description: 'Bad Request: file is too big',
    });
    await expect(client.downloadFile('nope')).rejects.toBeInstanceOf(TelegramPermanent);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!condition()) throw new Error('condition never became true');
}

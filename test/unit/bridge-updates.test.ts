import { afterEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/core/errors.js';
import type { Message } from '../../src/core/model.js';
import { BridgeMeta } from '../../src/bridge/core/state-keys.js';
import { DeliveryError } from '../../src/bridge/ports.js';
import { EDIT_NOTICE, PRIVATE_BOT_REPLY } from '../../src/bridge/core/update-handler.js';
import { SENT_REACTION } from '../../src/bridge/core/telegram-delivery.js';
import { harness, type Harness } from './bridge-harness.js';
import { callback, message, OWNER, ownerText, thread } from './bridge-fakes.js';

let h: Harness;
afterEach(async () => {
  await h?.cleanup();
});

async function forwardOne(threadId = 't1', itemId = 'i1'): Promise<number> {
  h.instagram.queue([thread(threadId)], [message(threadId, itemId)]);
  await h.cycle();
  return h.telegram.sent().at(-1)!.messageId!;
}

describe('Telegram → Instagram', () => {
  it('sends a reply to a forwarded message to that thread with a kept client_context, then marks it', async () => {
    h = await harness();
    const forwarded = await forwardOne('t1');
    await forwardOne('t2', 'j1');
    const reply = ownerText('hi back', {
      reply_to_message: { message_id: forwarded, chat: { id: OWNER, type: 'private' }, date: 0 },
    });
    await h.bridge.handleUpdates([reply]);
    await h.cycle();
    expect(h.instagram.sent).toHaveLength(1);
    expect(h.instagram.sent[0]).toMatchObject({ threadId: 't1', text: 'hi back' });
    const cc = h.instagram.sent[0]!.clientContext;
    expect(cc).toMatch(/^\d{15,}$/);
    expect(await h.store.getMeta(BridgeMeta.sentContext(cc))).toBe('t1');
    const reaction = h.telegram.calls.find((c) => c.method === 'setReaction');
    expect(reaction).toMatchObject({ chatId: OWNER, messageId: reply.message!.message_id, text: SENT_REACTION });
    // The sent item comes back from the inbox with its client_context: not echoed.
    h.options.update({ mirrorOwn: true });
    const before = h.telegram.sent().length;
    h.instagram.queue([], [message('t1', 'sent1', { fromMe: true, clientContext: cc, text: 'hi back' })]);
    await h.cycle();
    expect(h.telegram.sent()).toHaveLength(before);
  });

  it('asks which thread for a reply to a message it cannot place, even with an active thread', async () => {
    h = await harness();
    await forwardOne('t1');
    await h.store.setMeta(BridgeMeta.activeThread, 't1');
    await h.bridge.handleUpdates([ownerText('/status')]);
    const answer = h.telegram.sent().at(-1)!;
    await h.bridge.handleUpdates([
      ownerText('replying to the status', {
        reply_to_message: { message_id: answer.messageId!, chat: { id: OWNER, type: 'private' }, date: 0 },
      }),
    ]);
    await h.cycle();
    expect(h.instagram.sent).toEqual([]);
    expect(h.telegram.sent().at(-1)!.text).toMatch(/^Which thread\?/);
  });

  it("sends a reply to a reaction note to the note's thread, not the active one", async () => {
    h = await harness();
    await forwardOne('t1', 'r1');
    await forwardOne('t2', 'j1');
    await h.store.setMeta(BridgeMeta.activeThread, 't2');
    h.clock.advance(10_000);
    h.instagram.queue(
      [],
      [message('t1', 'r1', { reactions: [{ emoji: '❤️', actor: 'zoe', actorId: '111', at: null }] })],
    );
    await h.cycle();
    const note = h.telegram.sent().at(-1)!;
    expect(note.text).toContain('reacted to');
    await h.bridge.handleUpdates([
      ownerText('glad you liked it', {
        reply_to_message: { message_id: note.messageId!, chat: { id: OWNER, type: 'private' }, date: 0 },
      }),
    ]);
    await h.cycle();
    expect(h.instagram.sent.map((sent) => [sent.threadId, sent.text])).toEqual([['t1', 'glad you liked it']]);
  });

  it('a redelivered update (crash before the offset was stored) enqueues nothing new', async () => {
    h = await harness();
    const forwarded = await forwardOne();
    const reply = ownerText('once', {
      reply_to_message: { message_id: forwarded, chat: { id: OWNER, type: 'private' }, date: 0 },
    });
    await h.bridge.updates.handle(reply); // effects stored, offset not yet
    await h.bridge.handleUpdates([reply]);
    await h.cycle();
    expect(h.instagram.sent.map((s) => s.text)).toEqual(['once']);
    expect(await h.bridge.telegramOffset()).toBe(reply.update_id + 1);
  });

  it('confirms the Telegram offset only after handling, and skips updates already handled', async () => {
    h = await harness();
    const first = ownerText('/help');
    const second = ownerText('/status');
    h.telegram.updates = [first, second];
    await h.bridge.telegramOnce();
    expect(h.telegram.offsets).toEqual([0]);
    expect(await h.bridge.telegramOffset()).toBe(second.update_id + 1);
    await h.bridge.telegramOnce();
    expect(h.telegram.offsets.at(-1)).toBe(second.update_id + 1);
    expect(h.telegram.sent()).toHaveLength(2);
    await h.bridge.handleUpdates([first]);
    expect(h.telegram.sent()).toHaveLength(2);
  });

  it('leaves an update unconfirmed when the store cannot take it, and sends the reply once it can', async () => {
    h = await harness();
    const forwarded = await forwardOne('t1');
    const reply = ownerText('see you at 8', {
      reply_to_message: { message_id: forwarded, chat: { id: OWNER, type: 'private' }, date: 0 },
    });
    const enqueue = h.store.enqueue.bind(h.store);
    h.store.enqueue = async () => {
      throw new StoreError('the store at x is locked by another igtg process; try again when it has finished');
    };
    const offset = await h.bridge.telegramOffset();
    await expect(h.bridge.handleUpdates([reply])).rejects.toBeInstanceOf(StoreError);
    expect(await h.bridge.telegramOffset()).toBe(offset);
    h.store.enqueue = enqueue;
    await h.bridge.handleUpdates([reply]);
    await h.cycle();
    expect(h.instagram.sent.map((sent) => [sent.threadId, sent.text])).toEqual([['t1', 'see you at 8']]);
    expect(await h.bridge.telegramOffset()).toBe(reply.update_id + 1);

    // An update the store refuses every time is given up after a few tries, so the ones after it go on.
    const stuck = ownerText('never stored', {
      reply_to_message: { message_id: forwarded, chat: { id: OWNER, type: 'private' }, date: 0 },
    });
    h.store.enqueue = async () => {
      throw new StoreError('outbox refused');
    };
    let tries = 0;
    for (; tries < 20; tries += 1) {
      const failed = await h.bridge.handleUpdates([stuck]).then(
        () => false,
        () => true,
      );
      if (!failed) break;
    }
    expect(tries).toBe(6);
    expect(await h.bridge.telegramOffset()).toBe(stuck.update_id + 1);
  });

  it('/threads pages through every thread it can answer, however many archive threads are newer', async () => {
    h = await harness();
    const api = Array.from({ length: 11 }, (_, i) => thread(`t${i}`, { lastActivityAt: 1_000 + i }));
    const archive = Array.from({ length: 9 }, (_, i) =>
      thread(`archive:a${i}`, { source: 'archive', lastActivityAt: 5_000 + i }),
    );
    await h.store.write({ threads: [...api, ...archive] });
    await h.bridge.handleUpdates([ownerText('/threads')]);
    const first = h.telegram.sent().at(-1)!;
    const buttons = (list: typeof first) => list.keyboard!.flat().map((b) => b.data);
    expect(buttons(first)).toEqual([
      ...api
        .slice(3)
        .reverse()
        .map((t) => `t:${t.id}`),
      'tp:1',
    ]);
    await h.bridge.handleUpdates([callback('tp:1', first.messageId)]);
    const edited = h.telegram.calls.filter((c) => c.method === 'editMessageText').at(-1)!;
    expect(edited.keyboard!.flat().map((b) => b.data)).toEqual(['t:t2', 't:t1', 't:t0', 'tp:0']);
  });

  it('picks the active thread with /threads and sends plain messages there; photos too', async () => {
    h = await harness();
    await forwardOne('t1');
    await forwardOne('t2', 'j1');
    await h.bridge.handleUpdates([ownerText('no thread yet?')]);
    await h.bridge.handleUpdates([ownerText('/threads')]);
    const list = h.telegram.sent().at(-1)!;
    expect(list.keyboard!.flat().map((b) => b.data)).toEqual(expect.arrayContaining(['t:t1', 't:t2']));
    await h.bridge.handleUpdates([callback('t:t2')]);
    expect(await h.store.getMeta(BridgeMeta.activeThread)).toBe('t2');
    await h.bridge.handleUpdates([
      ownerText('to the active one'),
      ownerText('', {
        text: undefined,
        photo: [
          { file_id: 'small', width: 1, height: 1 },
          { file_id: 'big', width: 10, height: 10 },
        ],
        caption: 'look',
      }),
      ownerText('', { text: undefined, document: { file_id: 'doc', mime_type: 'image/png' } }),
    ]);
    await h.cycle(3);
    expect(h.instagram.sent.map((s) => [s.threadId, s.text ?? 'photo'])).toEqual([
      ['t2', 'to the active one'],
      ['t2', 'photo'],
      ['t2', 'look'],
      ['t2', 'photo'],
    ]);
    expect(h.telegram.calls.filter((c) => c.method === 'downloadFile').map((c) => c.text)).toEqual(['big', 'doc']);
  });

  it('routes messages written in a forum topic to its thread; /forum turns forum mode on', async () => {
    h = await harness();
    const forum = { id: -100777, type: 'supergroup', is_forum: true };
    await h.bridge.handleUpdates([ownerText('/forum', { chat: forum })]);
    expect(h.options.get().forumChatId).toBe(-100777);
    await forwardOne('t1');
    const topic = (await h.store.getTopicByThread('t1', '-100777'))!.topicId;
    await h.bridge.handleUpdates([
      ownerText('in topic', {
        chat: forum,
        is_topic_message: true,
        message_thread_id: topic,
        reply_to_message: { message_id: topic, chat: forum, date: 0, forum_topic_created: { name: 'x' } },
      }),
    ]);
    await h.cycle();
    expect(h.instagram.sent.map((s) => [s.threadId, s.text])).toEqual([['t1', 'in topic']]);
  });

  it('serves only the owner: a stranger gets one reply, then silence, and every attempt is audited', async () => {
    h = await harness();
    await forwardOne('t1');
    const before = h.telegram.calls.length;
    const stranger = 555;
    await h.bridge.handleUpdates([
      ownerText('/threads', {}, stranger),
      ownerText('/status', {}, stranger),
      ownerText('hello', {}, stranger),
      callback('t:t1', 1, stranger),
    ]);
    await h.cycle();
    const newCalls = h.telegram.calls.slice(before);
    expect(newCalls).toEqual([
      expect.objectContaining({ method: 'sendMessage', chatId: stranger, text: PRIVATE_BOT_REPLY }),
    ]);
    expect(h.instagram.sent).toHaveLength(0);
    expect(await h.store.getMeta(BridgeMeta.activeThread)).toBeNull();
    const audit = await h.store.listAudit(10);
    expect(audit.filter((a) => a.actor === `telegram:${stranger}`)).toHaveLength(4);
  });

  it('pairs the first user who sends /start CODE when no owner is set', async () => {
    h = await harness({ ownerId: null });
    await h.store.setMeta(BridgeMeta.pairingCode, '123456');
    await h.bridge.handleUpdates([ownerText('/start 000000', {}, 42)]);
    expect(h.options.get().ownerId).toBeNull();
    await h.bridge.handleUpdates([ownerText('/start 123456', {}, 43)]);
    expect(h.options.get().ownerId).toBe(43);
    expect(await h.store.getMeta(BridgeMeta.pairingCode)).toBeNull();
  });

  it("waits out Telegram's flood limit to answer a command, as it asks, instead of losing the answer", async () => {
    h = await harness();
    const sleeps: number[] = [];
    Object.assign(h.clock, { sleep: async (ms: number) => void sleeps.push(ms) });
    const flood = () => new DeliveryError('Too Many Requests: retry after 3', { retryAfterMs: 3_000, code: 429 });
    h.telegram.failNext.push(flood(), flood());
    await h.bridge.handleUpdates([ownerText('/status')]);
    expect(h.telegram.sent().at(-1)!.text).toMatch(/Instagram: logged in/);
    expect(sleeps).toEqual([3_000, 3_000]);
  });

  it('a stop cuts a flood-limit wait short and leaves the command to the next start', async () => {
    h = await harness();
    const stop = new AbortController();
    Object.assign(h.clock, { sleep: async () => stop.abort() });
    h.telegram.failNext.push(new DeliveryError('Too Many Requests: retry after 3', { retryAfterMs: 3_000, code: 429 }));
    const update = ownerText('/status');
    const before = await h.bridge.telegramOffset();
    await h.bridge.handleUpdates([update], stop.signal);
    expect(await h.bridge.telegramOffset()).toBe(before);
    await h.bridge.handleUpdates([update]);
    expect(h.telegram.sent().at(-1)!.text).toMatch(/Instagram: logged in/);
    expect(await h.bridge.telegramOffset()).toBe(update.update_id + 1);
  });

  it('tells the owner an edit does not reach Instagram, and sends nothing there', async () => {
    h = await harness();
    await forwardOne('t1');
    await h.store.setMeta(BridgeMeta.activeThread, 't1');
    const sent = ownerText('first wording');
    await h.bridge.handleUpdates([sent]);
    await h.cycle(2);
    expect(h.instagram.sent.map((s) => s.text)).toEqual(['first wording']);
    const edit = { update_id: sent.update_id + 1, edited_message: { ...sent.message!, text: 'second wording' } };
    await h.bridge.handleUpdates([edit]);
    await h.cycle(2);
    expect(h.instagram.sent.map((s) => s.text)).toEqual(['first wording']);
    expect(h.telegram.sent().at(-1)).toMatchObject({ text: EDIT_NOTICE });
  });

  it('answers /status, /search, /messages, /settings and /retry', async () => {
    h = await harness();
    await forwardOne('t1');
    await h.bridge.handleUpdates([ownerText('/status')]);
    expect(h.telegram.sent().at(-1)!.text).toMatch(/Instagram: logged in[\s\S]*Queue: 0 pending, 0 dead letters/);
    await h.bridge.handleUpdates([ownerText('/search hello')]);
    const results = h.telegram.sent().at(-1)!;
    expect(results.text).toContain('Thread t1');
    expect(results.keyboard!.flat()[0]!.data).toBe('t:t1');
    await h.bridge.handleUpdates([ownerText('/messages Thread t1')]);
    const recent = h.telegram.sent().at(-1)!;
    expect(recent.text).toContain('hello i1');
    // One message: no "older" to offer.
    expect(recent.keyboard).toBeUndefined();
    // A photo without a caption still says what it was; a full page with more before it offers "older".
    const photo: Partial<Message> = {
      kind: 'photo',
      text: null,
      media: [
        { kind: 'photo', url: null, path: null, name: null, mime: null, width: null, height: null, durationMs: null },
      ],
    };
    await h.store.write({
      messages: Array.from({ length: 11 }, (_, i) => message('t1', `i${100 + i}`, i === 10 ? photo : {})),
    });
    await h.bridge.handleUpdates([ownerText('/messages Thread t1')]);
    const page = h.telegram.sent().at(-1)!;
    expect(page.text).toMatch(/: \(photo\)$/m);
    expect(page.keyboard!.flat()[0]!.data).toBe('mp:1700000000101:i101:t1');
    await h.bridge.handleUpdates([ownerText('/settings')]);
    const toggles = h.telegram.sent().at(-1)!.keyboard!.flat();
    const press = (label: string) => callback(toggles.find((b) => b.text.startsWith(label))!.data!);
    await h.bridge.handleUpdates([press('Mirror my own messages'), callback('s:poll:120'), press('Media as files')]);
    expect(h.options.get()).toMatchObject({ mirrorOwn: true, pollIntervalSec: 120, media: false });
    await h.bridge.handleUpdates([ownerText('/retry')]);
    expect(h.telegram.sent().at(-1)!.text).toBe('No dead letters.');
  });
});

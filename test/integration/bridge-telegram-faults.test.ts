// The bridge's Telegram side through the real client stack (BotApiTelegramClient, pacing, port)
// against the fake Bot API: faults of the chat rather than of a message hold messages, never lose them.
import { afterEach, describe, expect, it } from 'vitest';
import { Bridge } from '../../src/bridge/core/bridge.js';
import { memoryOptions } from '../../src/bridge/core/options.js';
import { tgErrors } from '../fakes/telegram/api-error.js';
import { unpacedTelegramPort } from '../helpers/telegram-stack.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram/index.js';
import { ManualClock, MemoryInstagram, message, seededRandom, tempStore, thread } from '../unit/bridge-fakes.js';

let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function world(forum = false) {
  const tg: FakeTelegram = await startFakeTelegram();
  const { store, cleanup } = await tempStore();
  cleanups.push(() => tg.close(), cleanup);
  const clock = new ManualClock(Date.now());
  const instagram = new MemoryInstagram(store);
  const telegram = unpacedTelegramPort(tg);
  const forumId = forum ? tg.state.addForum().id : null;
  const options = memoryOptions({ ownerId: tg.state.owner.id, forumChatId: forumId, maxAttempts: 3 });
  const bridge = new Bridge({ store, instagram, telegram, options, clock, random: seededRandom() });
  await bridge.initialise();
  /** Delivery rounds, far enough apart for any backoff. */
  const rounds = async (count: number) => {
    for (let i = 0; i < count; i++) {
      await bridge.deliverOnce();
      clock.advance(20 * 60_000);
    }
  };
  const delivered = () =>
    tg.calls.filter((call) => call.method === 'sendMessage' && call.ok).map((call) => String(call.params.text));
  return { tg, store, instagram, bridge, forumId, rounds, delivered };
}

describe('bridge → Telegram faults of the chat', () => {
  it('holds the DMs that arrive while the owner has blocked the bot, and delivers them in order after', async () => {
    const w = await world();
    w.tg.state.blockBot(w.tg.state.owner.id);
    w.instagram.queue([thread('t1')], [message('t1', 'i1'), message('t1', 'i2')]);
    await w.bridge.pollOnce();
    await w.rounds(6);
    expect(w.delivered()).toEqual([]);
    expect(await w.store.listDeadLetters()).toEqual([]);

    w.tg.state.unblockBot(w.tg.state.owner.id);
    w.instagram.queue([], [message('t1', 'i3')]);
    await w.bridge.pollOnce();
    await w.rounds(4);
    expect(w.delivered().map((text) => text.split('\n').at(-1))).toEqual(['hello i1', 'hello i2', 'hello i3']);
    expect(await w.store.outboxStats()).toMatchObject({ pending: 0, deadLettered: 0 });
  });

  it('holds DMs through a Telegram outage longer than all its attempts, then delivers them in order', async () => {
    const w = await world();
    w.tg.state.failNext('sendMessage', 'disconnect', 12);
    w.instagram.queue([thread('t1')], [message('t1', 'i1'), message('t1', 'i2')]);
    await w.bridge.pollOnce();
    await w.rounds(12);
    expect(await w.store.listDeadLetters()).toEqual([]);
    await w.rounds(3);
    expect(w.delivered().map((text) => text.split('\n').at(-1))).toEqual(['hello i1', 'hello i2']);
    expect(await w.store.outboxStats()).toMatchObject({ pending: 0, deadLettered: 0 });
  });

  it('holds DMs while the bot token is refused (revoked, then replaced), never dead-lettering them', async () => {
    const w = await world();
    w.tg.state.failNext('sendMessage', tgErrors.unauthorized(), 6);
    w.instagram.queue([thread('t1')], [message('t1', 'i1')]);
    await w.bridge.pollOnce();
    await w.rounds(6);
    expect(await w.store.listDeadLetters()).toEqual([]);
    await w.rounds(2);
    expect(w.delivered().map((text) => text.split('\n').at(-1))).toEqual(['hello i1']);
  });

  it("opens a new topic for a thread whose topic the owner deleted, and posts the thread's next DMs there", async () => {
    const w = await world(true);
    const forumId = w.forumId!;
    w.instagram.queue([thread('t1', { title: 'Alice' })], [message('t1', 'i1')]);
    await w.bridge.pollOnce();
    await w.rounds(1);
    const first = (await w.store.getTopicByThread('t1', String(forumId)))!.topicId;
    w.tg.state.topics(forumId).delete(first);

    w.instagram.queue([], [message('t1', 'i2'), message('t1', 'i3')]);
    await w.bridge.pollOnce();
    await w.rounds(4);
    const second = (await w.store.getTopicByThread('t1', String(forumId)))!.topicId;
    expect(second).not.toBe(first);
    expect(w.tg.state.topics(forumId).get(second)?.name).toBe('Alice');
    const posted = w.tg.calls.filter((call) => call.method === 'sendMessage' && call.ok);
    expect(posted.map((call) => [Number(call.params.message_thread_id), call.params.text])).toEqual([
      [first, 'hello i1'],
      [second, 'hello i2'],
      [second, 'hello i3'],
    ]);
    expect(await w.store.outboxStats()).toMatchObject({ pending: 0, deadLettered: 0 });
  });
});

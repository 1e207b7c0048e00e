// Telegram's flood limit on the owner's chat, through the real client stack (pacing included) against
// the fake Bot API: answering updates neither sits out a long retry_after nor outlasts a stop, while
// forwarded DMs still wait it out.
import { afterEach, describe, expect, it } from 'vitest';
import { TelegramClientPort } from '../../src/bridge/adapters/telegram-port.js';
import { Bridge } from '../../src/bridge/core/bridge.js';
import { memoryOptions } from '../../src/bridge/core/options.js';
import type { TgUpdate } from '../../src/bridge/ports.js';
import type { Clock } from '../../src/core/clock.js';
import { BotApiTelegramClient } from '../../src/telegram/bot-api-client.js';
import { PacedTelegramClient } from '../../src/telegram/paced-client.js';
import { Pacer } from '../../src/telegram/pacer.js';
import { startFakeTelegram, tgErrors, type FakeTelegram } from '../fakes/telegram/index.js';
import { MemoryInstagram, message, seededRandom, tempStore, thread } from './bridge-fakes.js';

/** Virtual time that moves only by what the code under test sleeps; a stop ends a sleep at once. */
class SleepingClock implements Clock {
  /** Called as a sleep starts: a test stops the bridge "during" it. */
  onSleep: (ms: number) => void = () => undefined;
  constructor(public time: number) {}
  now(): number {
    return this.time;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.onSleep(ms);
    if (!signal?.aborted) this.time += Math.max(0, ms);
  }
}

let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** The bridge with one DM forwarded, then a second one refused with a 429 of `retryAfterSec`. */
async function floodedChat(retryAfterSec: number) {
  const tg: FakeTelegram = await startFakeTelegram();
  const { store, cleanup } = await tempStore();
  cleanups.push(() => tg.close(), cleanup);
  const clock = new SleepingClock(1_700_000_000_000);
  const telegram = new TelegramClientPort(
    new PacedTelegramClient(new BotApiTelegramClient({ token: tg.token, apiUrl: tg.url }), new Pacer(clock)),
  );
  const instagram = new MemoryInstagram(store);
  const owner = tg.state.owner.id;
  const options = memoryOptions({ ownerId: owner });
  const bridge = new Bridge({ store, instagram, telegram, options, clock, random: seededRandom() });
  await bridge.initialise();

  instagram.queue([thread('t1')], [message('t1', 'i1')]);
  await bridge.pollOnce();
  await bridge.deliverOnce();
  const forwarded = tg.state.sent(owner).at(-1)!.messageId;
  tg.state.failNext('sendMessage', tgErrors.flood(retryAfterSec));
  instagram.queue([], [message('t1', 'i2')]);
  await bridge.pollOnce();
  await bridge.deliverOnce();
  expect(tg.calls.filter((call) => call.errorCode === 429)).toHaveLength(1);

  const sendAttempts = () => tg.calls.filter((call) => call.method === 'sendMessage').length;
  const ownerSends = (text: string, replyTo?: number) =>
    tg.state.userSends({ text, ...(replyTo !== undefined ? { replyTo } : {}) }).update as unknown as TgUpdate;
  return { tg, store, clock, instagram, bridge, owner, forwarded, sendAttempts, ownerSends };
}

describe('the owner’s chat under a Telegram flood limit', () => {
  it('sends the owner’s reply to Instagram without waiting out a long retry_after for a command’s answer', async () => {
    const w = await floodedChat(90);
    const floodAt = w.clock.now();
    const attempts = w.sendAttempts();
    const status = w.ownerSends('/status');
    const reply = w.ownerSends('hi back', w.forwarded);

    await w.bridge.handleUpdates([status, reply]);
    await w.bridge.toInstagram.drain();

    expect(w.instagram.sent.map((sent) => sent.text)).toEqual(['hi back']);
    // Nothing sat out the 90 s: the answer to /status was given up without asking Telegram again.
    expect(w.clock.now()).toBe(floodAt);
    expect(w.sendAttempts()).toBe(attempts);
    expect(await w.bridge.telegramOffset()).toBe(reply.update_id + 1);
  });

  it('still holds the forwarded DMs for the retry_after, then delivers them in order with no further 429', async () => {
    const w = await floodedChat(90);
    await w.bridge.handleUpdates([w.ownerSends('/status')]);
    const deliveredByRound: string[][] = [];
    for (let round = 0; round < 3; round++) {
      await w.bridge.deliverOnce();
      const texts = w.tg.state.sent(w.owner).map((sent) => sent.text!.split('\n').at(-1)!);
      deliveredByRound.push(texts.filter((text) => text.startsWith('hello ')));
      w.clock.time += 60_000;
    }
    expect(deliveredByRound).toEqual([['hello i1'], ['hello i1'], ['hello i1', 'hello i2']]);
    expect(w.tg.calls.filter((call) => call.errorCode === 429)).toHaveLength(1);
    expect(await w.store.outboxStats()).toMatchObject({ pending: 0, deadLettered: 0 });
  });

  it('ends a command answer’s flood wait at a stop, leaving the update to be handled again', async () => {
    const w = await floodedChat(20);
    const floodAt = w.clock.now();
    const attempts = w.sendAttempts();
    const stop = new AbortController();
    const events: string[] = [];
    w.clock.onSleep = (ms) => {
      events.push(`sleep ${ms}`);
      if (ms > 10_000) {
        events.push('stop');
        stop.abort();
      }
    };
    const status = w.ownerSends('/status');
    const reply = w.ownerSends('hi back', w.forwarded);
    const offset = await w.bridge.telegramOffset();

    await w.bridge.handleUpdates([status, reply], stop.signal);
    events.push('returned');

    expect(events).toEqual([`sleep ${20_000}`, 'stop', 'returned']);
    expect(w.clock.now()).toBe(floodAt);
    expect(w.sendAttempts()).toBe(attempts);
    expect(await w.bridge.telegramOffset()).toBe(offset);
  });

  it('ends a forwarded DM’s flood wait at a stop, keeping the DM due without using up an attempt', async () => {
    const w = await floodedChat(20);
    // Due now (as after a restart), while the chat is still closed for 20 s.
    await w.store.wakeOutbox('to_telegram', w.clock.now());
    const before = (await w.store.claimDue('to_telegram', w.clock.now(), 10, 1))[0]!;
    await w.store.postpone(before.id, 'due again', w.clock.now());
    const stop = new AbortController();
    const events: string[] = [];
    w.clock.onSleep = (ms) => {
      events.push(`sleep ${ms}`);
      events.push('stop');
      stop.abort();
    };
    const attempts = w.sendAttempts();

    await w.bridge.deliverOnce(stop.signal);
    events.push('returned');

    expect(events.slice(0, 3)).toEqual([`sleep ${20_000}`, 'stop', 'returned']);
    expect(w.sendAttempts()).toBe(attempts);
    const [entry] = await w.store.claimDue('to_telegram', w.clock.now(), 10, 1);
    expect(entry).toMatchObject({ id: before.id, attempts: before.attempts });
  });
});

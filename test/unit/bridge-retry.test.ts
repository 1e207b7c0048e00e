import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryError, SessionExpiredError } from '../../src/bridge/ports.js';
import { backoffDelay } from '../../src/bridge/core/backoff.js';
import { PollSchedule } from '../../src/bridge/core/poll-schedule.js';
import { BridgeMeta } from '../../src/bridge/core/state-keys.js';
import { harness, type Harness } from './bridge-harness.js';
import { Bridge } from '../../src/bridge/core/bridge.js';
import { ActionBlockedError } from '../../src/bridge/core/instagram-pause.js';
import { memoryOptions } from '../../src/bridge/core/options.js';
import {
  ManualClock,
  MemoryInstagram,
  MemoryTelegram,
  message,
  OWNER,
  ownerText,
  seededRandom,
  tempStore,
  thread,
} from './bridge-fakes.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

describe('retries and dead letters', () => {
  it("obeys Telegram's retry_after and delivers afterwards", async () => {
    h = await harness();
    h.telegram.failNext = [new DeliveryError('Too Many Requests', { retryAfterMs: 34_000, code: 429 })];
    h.instagram.queue([thread('t1')], [message('t1', 'i1')]);
    await h.bridge.pollOnce();
    const start = h.clock.now();
    await h.bridge.deliverOnce();
    expect(h.telegram.sent()).toHaveLength(0);
    h.clock.time = start + 33_000;
    await h.bridge.deliverOnce();
    expect(h.telegram.sent()).toHaveLength(0);
    h.clock.time = start + 34_000;
    await h.bridge.deliverOnce();
    expect(h.telegram.sent()).toHaveLength(1);
  });

  it('sends what waited for a blocked chat as soon as the owner unblocks the bot', async () => {
    h = await harness();
    h.telegram.failNext = [
      new DeliveryError('Forbidden: bot was blocked by the user', { retryAfterMs: 120_000, code: 403 }),
    ];
    h.instagram.queue([thread('t1')], [message('t1', 'i1')]);
    await h.bridge.pollOnce();
    await h.bridge.deliverOnce();
    expect(h.telegram.sent()).toHaveLength(0);
    h.clock.advance(5_000);
    await h.bridge.deliverOnce();
    expect(h.telegram.sent()).toHaveLength(0);
    const unblocked = {
      update_id: 900,
      my_chat_member: {
        chat: { id: OWNER, type: 'private' },
        from: { id: OWNER, first_name: 'Alex' },
        date: 1,
        old_chat_member: { status: 'kicked' },
        new_chat_member: { status: 'member' },
      },
    };
    await h.bridge.handleUpdates([unblocked]);
    await h.bridge.deliverOnce();
    expect(h.telegram.sent()).toHaveLength(1);
  });

  it('never dead-letters for rate limits, however many in a row', async () => {
    h = await harness({ maxAttempts: 3 });
    h.telegram.failNext = Array.from(
      { length: 10 },
      () => new DeliveryError('Too Many Requests: retry after 5', { retryAfterMs: 5_000, code: 429 }),
    );
    h.instagram.queue([thread('t1')], [message('t1', 'i1')]);
    await h.bridge.pollOnce();
    for (let i = 0; i < 12; i++) {
      await h.bridge.deliverOnce();
      h.clock.advance(5_000);
    }
    expect(h.telegram.sent().map((c) => c.text)).toEqual(['💬 Thread t1 · zoe\nhello i1']);
    expect(await h.store.outboxStats()).toEqual({ pending: 0, deadLettered: 0 });
  });

  it('holds replies while Instagram is out, however long, and sends them after without a ⚠', async () => {
    h = await harness({ maxAttempts: 2 });
    h.instagram.queue([thread('t1')], [message('t1', 'i1')]);
    await h.cycle();
    const forwarded = h.telegram.sent()[0]!.messageId!;
    let outage = 8;
    const sendText = h.instagram.sendText.bind(h.instagram);
    h.instagram.sendText = (threadId, text, clientContext) =>
      outage-- > 0
        ? Promise.reject(new DeliveryError('connect ECONNREFUSED', { transient: true }))
        : sendText(threadId, text, clientContext);
    await h.bridge.handleUpdates([
      ownerText('are you there?', {
        reply_to_message: { message_id: forwarded, chat: { id: OWNER, type: 'private' }, date: 0 },
      }),
    ]);
    for (let i = 0; i < 12; i++) {
      await h.bridge.deliverOnce();
      h.clock.advance(5 * 60_000);
    }
    expect(h.instagram.sent.map((s) => s.text)).toEqual(['are you there?']);
    expect(h.telegram.sent().filter((c) => c.text?.startsWith('⚠'))).toEqual([]);
    expect(await h.store.outboxStats()).toEqual({ pending: 0, deadLettered: 0 });
  });

  it('keeps a thread in order while its head is retried', async () => {
    h = await harness();
    h.telegram.failNext = [new DeliveryError('boom')];
    h.instagram.queue([thread('t1')], [message('t1', 'i1'), message('t1', 'i2')]);
    await h.bridge.pollOnce();
    for (let i = 0; i < 10; i++) {
      await h.bridge.deliverOnce();
      h.clock.advance(10 * 60_000);
    }
    expect(h.telegram.sent().map((c) => c.text)).toEqual([
      '💬 Thread t1 · zoe\nhello i1',
      '💬 Thread t1 · zoe\nhello i2',
    ]);
  });

  it('dead-letters a send to Instagram after max attempts and tells the owner with ⚠; /retry revives it', async () => {
    h = await harness({ maxAttempts: 3 });
    h.instagram.queue([thread('t1')], [message('t1', 'i1')]);
    await h.cycle();
    const forwarded = h.telegram.sent()[0]!.messageId!;
    h.instagram.failSends = 3;
    const reply = ownerText('will fail', {
      reply_to_message: { message_id: forwarded, chat: { id: OWNER, type: 'private' }, date: 0 },
    });
    await h.bridge.handleUpdates([reply]);
    for (let i = 0; i < 5; i++) {
      await h.bridge.deliverOnce();
      h.clock.advance(60 * 60_000);
    }
    expect(h.instagram.sent).toHaveLength(0);
    const stats = await h.store.outboxStats();
    expect(stats.deadLettered).toBe(1);
    const warning = h.telegram.sent().find((c) => c.text?.startsWith('⚠'));
    expect(warning?.options?.replyTo).toBe(reply.message!.message_id);
    expect(warning?.text).toContain('instagram is down');
    await h.bridge.handleUpdates([ownerText('/retry')]);
    await h.bridge.deliverOnce();
    expect(h.instagram.sent.map((s) => s.text)).toEqual(['will fail']);
  });

  it('warns again when a message given up on fails again after /retry', async () => {
    h = await harness({ maxAttempts: 1 });
    h.instagram.queue([thread('t1')], [message('t1', 'i1')]);
    await h.cycle();
    const forwarded = h.telegram.sent()[0]!.messageId!;
    h.instagram.failSends = 2;
    await h.bridge.handleUpdates([
      ownerText('stubborn', {
        reply_to_message: { message_id: forwarded, chat: { id: OWNER, type: 'private' }, date: 0 },
      }),
    ]);
    const warnings = () => h!.telegram.sent().filter((c) => c.text?.startsWith('⚠')).length;
    await h.cycle(2);
    expect(warnings()).toBe(1);
    h.clock.advance(60_000);
    await h.bridge.handleUpdates([ownerText('/retry')]);
    await h.cycle(2);
    expect(warnings()).toBe(2);
    h.clock.advance(60_000);
    await h.bridge.handleUpdates([ownerText('/retry')]);
    await h.cycle(2);
    expect(h.instagram.sent.map((s) => s.text)).toEqual(['stubborn']);
    expect(warnings()).toBe(2);
  });

  it('sends a photo once when its caption fails and is retried', async () => {
    h = await harness();
    h.instagram.queue([thread('t1')], [message('t1', 'i1')]);
    await h.cycle();
    await h.store.setMeta(BridgeMeta.activeThread, 't1');
    h.instagram.failTexts = 1;
    await h.bridge.handleUpdates([
      ownerText('', { text: undefined, photo: [{ file_id: 'big', width: 10, height: 10 }], caption: 'look' }),
    ]);
    for (let i = 0; i < 3; i++) {
      await h.bridge.deliverOnce();
      h.clock.advance(10 * 60_000);
    }
    expect(h.instagram.sent.map((s) => s.text ?? 'photo')).toEqual(['photo', 'look']);
    expect(await h.store.outboxStats()).toEqual({ pending: 0, deadLettered: 0 });
  });

  it('dead-letters at once on a permanent error', async () => {
    h = await harness({ maxAttempts: 8 });
    h.telegram.failNext = [new DeliveryError('Bad Request: chat not found', { permanent: true, code: 400 })];
    h.instagram.queue([thread('t1')], [message('t1', 'i1')]);
    await h.cycle();
    expect((await h.store.outboxStats()).deadLettered).toBe(1);
  });

  it('backs off exponentially with jitter, capped', () => {
    const random = seededRandom(7);
    const delays = [1, 2, 3, 4, 5].map((n) => backoffDelay(n, random));
    delays.forEach((d, i) => {
      const exp = 2000 * 2 ** i;
      expect(d).toBeGreaterThanOrEqual(exp / 2);
      expect(d).toBeLessThanOrEqual(exp);
    });
    expect(backoffDelay(50, random)).toBeLessThanOrEqual(15 * 60_000);
    expect(backoffDelay(1, () => 0, 34_000)).toBe(34_000);
  });

  it("names the profile's login command when the bridge was never logged in", async () => {
    h = await harness({}, { loginCommand: 'igtg --profile work login' });
    h.instagram.failPolls = new SessionExpiredError('not logged in to Instagram');
    h.instagram.state = 'logged_out';
    await h.cycle();
    expect(h.telegram.sent().map((c) => c.text)).toContain(
      '⚠ This bridge is not logged in to Instagram. Run `igtg --profile work login` on the server; Telegram commands keep working meanwhile.',
    );
  });

  it('reports a dead Instagram session to the owner once while commands keep working', async () => {
    h = await harness();
    h.instagram.failPolls = new SessionExpiredError();
    h.instagram.state = 'logged_out';
    await h.cycle();
    await h.cycle();
    const notices = h.telegram.sent().filter((c) => c.text?.includes('logged this bridge out'));
    expect(notices).toHaveLength(1);
    await h.bridge.handleUpdates([ownerText('/status')]);
    expect(h.telegram.sent().at(-1)!.text).toContain('Instagram: logged out');
  });
});

describe('polls after a rate limit', () => {
  /** When the loop polled (clock times): the first poll fails with `first`, the second requests a poll. */
  async function pollTimes(first: Error): Promise<number[]> {
    const temp = await tempStore();
    // A clock whose sleeps pass (a loop's wait is its time going by).
    const clock = new ManualClock();
    clock.sleep = async (ms: number) => {
      clock.advance(ms);
      await new Promise((resolve) => setImmediate(resolve));
    };
    const instagram = new MemoryInstagram(temp.store);
    const bridge = new Bridge({
      store: temp.store,
      instagram,
      telegram: new MemoryTelegram(),
      options: memoryOptions({ ownerId: OWNER }),
      clock,
      random: seededRandom(),
    });
    await bridge.initialise();
    const polls: number[] = [];
    const poll = instagram.poll.bind(instagram);
    instagram.poll = async () => {
      polls.push(clock.now());
      if (polls.length === 1) throw first;
      if (polls.length === 2) void bridge.requestSync();
      return poll();
    };
    const stop = new AbortController();
    const loop = bridge.runPollLoop(stop.signal);
    while (polls.length < 3) await new Promise((resolve) => setImmediate(resolve));
    stop.abort();
    await loop;
    await temp.cleanup();
    return polls;
  }

  it("wait out Instagram's wait before the next one", async () => {
    const polls = await pollTimes(new DeliveryError('429 Too Many Requests', { retryAfterMs: 300_000 }));
    expect(polls[1]! - polls[0]!).toBeGreaterThanOrEqual(300_000);
    // Nothing held it after the wait: a requested poll goes at once.
    expect(polls[2]! - polls[1]!).toBeLessThan(300_000);
  });

  it('go on at their pace after an action block, which pauses sending only', async () => {
    const polls = await pollTimes(new ActionBlockedError('feedback_required'));
    expect(polls[1]! - polls[0]!).toBeLessThan(300_000);
  });
});

describe('a bridge started after one killed mid-delivery', () => {
  it('delivers at once what the killed one had claimed, without waiting its leases out', async () => {
    const temp = await tempStore();
    const payload = { type: 'notice', text: 'left in flight' };
    await temp.store.enqueue({ direction: 'to_telegram', dedupeKey: 'n1', lane: 'notice', payload }, 0);
    // The killed bridge's claim, leased for an hour from the restart's point of view.
    await temp.store.claimDue('to_telegram', 1_700_000_000_000, 10, 3_600_000);
    h = await harness({}, { store: temp.store });
    await h.bridge.deliverOnce();
    expect(h.telegram.sent().map((c) => c.text)).toContain('left in flight');
    await temp.cleanup();
  });
});

describe("the bot's updates", () => {
  /** Runs the updates loop over `answers` (true: updates, false: a 409 conflict), then stops it. */
  async function runUpdates(answers: boolean[]): Promise<void> {
    const stop = new AbortController();
    let call = 0;
    h!.telegram.getUpdates = async () => {
      await new Promise((resolve) => setImmediate(resolve));
      const answer = answers[call++];
      if (call >= answers.length) stop.abort();
      if (answer) return [];
      throw new DeliveryError('Telegram getUpdates failed: Conflict: terminated by other getUpdates request', {
        code: 409,
        transient: true,
      });
    };
    await h!.bridge.runTelegramLoop(stop.signal);
    await h!.bridge.deliverOnce();
  }
  const notices = () => h!.telegram.sent().filter((c) => c.text?.includes("reading this bot's updates"));

  it('taken again and again by another program: the owner is told once, the bridge goes on', async () => {
    h = await harness();
    // A predecessor's last long poll ends with one conflict: no other program.
    await runUpdates([false, true, false, true, false, true]);
    expect(notices()).toEqual([]);
    await runUpdates([false, false, false, false, true]);
    await runUpdates([false, false, false]);
    expect(notices()).toHaveLength(1);
  });
});

describe('poll schedule', () => {
  it('jitters the interval by ±20%, polls faster after activity and slower when idle', () => {
    const schedule = new PollSchedule(seededRandom(3), 0);
    const active = schedule.nextDelay(0, 60);
    expect(active).toBeGreaterThanOrEqual(24_000);
    expect(active).toBeLessThanOrEqual(36_000);
    const normal = Array.from({ length: 50 }, () => schedule.nextDelay(10 * 60_000, 60));
    expect(Math.min(...normal)).toBeGreaterThanOrEqual(48_000);
    expect(Math.max(...normal)).toBeLessThanOrEqual(72_000);
    expect(new Set(normal).size).toBeGreaterThan(10);
    expect(schedule.nextDelay(60 * 60_000, 60)).toBeGreaterThanOrEqual(96_000);
  });

  it('makes at most 120 Instagram requests in an idle hour, even with a short interval', () => {
    const random = seededRandom(5);
    let now = 0;
    const schedule = new PollSchedule(random, now);
    const polls: number[] = [];
    // Simulate six hours with a 5 s interval and 2 requests per poll; count the last (idle) hour.
    while (now < 6 * 3_600_000) {
      schedule.recordRequests(now, 2);
      polls.push(now);
      now += schedule.nextDelay(now, 5);
    }
    const lastHour = polls.filter((t) => t >= 5 * 3_600_000).length * 2;
    expect(lastHour).toBeLessThanOrEqual(120);
    expect(lastHour).toBeGreaterThan(0);
  });
});

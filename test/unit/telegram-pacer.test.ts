import { describe, expect, it } from 'vitest';
import { TelegramRateLimited } from '../../src/telegram/errors.js';
import { Pacer, TELEGRAM_LIMITS } from '../../src/telegram/pacer.js';
import { ManualClock } from '../fakes/telegram/manual-clock.js';

const user = 126919740;
const other = 555;
const group = -1001134449138;

async function grants(clock: ManualClock, calls: Promise<number>[]): Promise<number[]> {
  const all = Promise.all(calls);
  await clock.runAll();
  return all;
}

describe('Pacer', () => {
  it('spaces sends to one chat a little over a second apart', async () => {
    const clock = new ManualClock(10_000);
    const pacer = new Pacer(clock);
    const times = await grants(clock, [pacer.acquire(user), pacer.acquire(user), pacer.acquire(user)]);
    expect(times).toEqual([10_000, 11_100, 12_200]);
  });

  it('counts the interval from the end of the previous call', async () => {
    const clock = new ManualClock(0);
    const pacer = new Pacer(clock);
    await grants(clock, [pacer.acquire(user)]);
    await clock.advance(300); // the request took 300 ms to answer
    pacer.sent(user);
    const [next] = await grants(clock, [pacer.acquire(user)]);
    expect(next).toBe(1400);
  });

  it('lets different chats proceed independently', async () => {
    const clock = new ManualClock(0);
    const pacer = new Pacer(clock);
    const [a1, b1, a2] = await grants(clock, [pacer.acquire(user), pacer.acquire(other), pacer.acquire(user)]);
    expect(a2! - a1!).toBeGreaterThanOrEqual(1000);
    expect(b1! - a1!).toBeLessThan(1000);
  });

  it('allows at most 19 sends a minute to a group', async () => {
    const clock = new ManualClock(0);
    const pacer = new Pacer(clock);
    const times = await grants(
      clock,
      Array.from({ length: 25 }, () => pacer.acquire(group)),
    );
    for (let i = 19; i < times.length; i++) expect(times[i]! - times[i - 19]!).toBeGreaterThanOrEqual(60_000);
    expect(times[18]).toBe(19_800);
    expect(times[19]).toBe(60_000);
  });

  it("stays a margin under Telegram's limits by default, so jitter on the way does not meet a 429", () => {
    expect(TELEGRAM_LIMITS.perChatIntervalMs).toBeGreaterThanOrEqual(1100);
    expect(TELEGRAM_LIMITS.groupPerWindow).toBeLessThanOrEqual(19);
    expect(TELEGRAM_LIMITS.groupWindowMs).toBeGreaterThanOrEqual(60_000);
  });

  it('keeps the global rate at 30 a second', async () => {
    const clock = new ManualClock(0);
    const pacer = new Pacer(clock);
    const times = await grants(
      clock,
      Array.from({ length: 61 }, (_, i) => pacer.acquire(1000 + i)),
    );
    const sorted = [...times].sort((a, b) => a - b);
    for (let i = 30; i < sorted.length; i++) expect(sorted[i]! - sorted[i - 30]!).toBeGreaterThanOrEqual(1000);
  });

  it('makes the next call to a chat wait retry_after', async () => {
    const clock = new ManualClock(0);
    const pacer = new Pacer(clock);
    const [first] = await grants(clock, [pacer.acquire(user)]);
    await clock.advance(5_000);
    pacer.penalize(user, 30_000);
    expect(pacer.delayFor(user)).toBe(30_000);
    const [second, unrelated] = await grants(clock, [pacer.acquire(user), pacer.acquire(other)]);
    expect(first).toBe(0);
    expect(second).toBe(35_000);
    expect(unrelated).toBe(5_000);
  });

  it('moves a waiting send behind a penalty that arrives while it waits', async () => {
    const clock = new ManualClock(0);
    const pacer = new Pacer(clock);
    const first = pacer.acquire(user);
    const second = pacer.acquire(user);
    await clock.advance(500);
    pacer.penalize(user, 10_000);
    await clock.runAll();
    expect(await first).toBe(0);
    expect(await second).toBeGreaterThanOrEqual(10_500);
  });

  it('holds every chat after a global penalty', async () => {
    const clock = new ManualClock(0);
    const pacer = new Pacer(clock);
    pacer.penalize(null, 2_000);
    const times = await grants(clock, [pacer.acquire(user), pacer.acquire(group)]);
    for (const time of times) expect(time).toBeGreaterThanOrEqual(2_000);
  });

  it('stops waiting when aborted', async () => {
    const clock = new ManualClock(0);
    const pacer = new Pacer(clock, { ...TELEGRAM_LIMITS });
    await grants(clock, [pacer.acquire(user)]);
    const controller = new AbortController();
    const waiting = pacer.acquire(user, { signal: controller.signal });
    controller.abort(new Error('shutting down'));
    await expect(waiting).rejects.toThrow('shutting down');
  });

  it("ends a wait for a chat's retry_after at the stop, not at the penalty's end", async () => {
    const clock = new ManualClock(0);
    const pacer = new Pacer(clock);
    pacer.penalize(user, 60_000);
    const controller = new AbortController();
    const waiting = pacer.acquire(user, { signal: controller.signal, maxWaitMs: 90_000 });
    const outcome = waiting.then(
      () => `granted at ${clock.now()}`,
      (error: Error) => `${error.message} at ${clock.now()}`,
    );
    await clock.advance(5_000);
    controller.abort(new Error('stopping'));
    await clock.runAll();
    expect(await outcome).toBe('stopping at 5000');
  });

  it('refuses at once, reserving nothing, a send that would wait longer than maxWaitMs', async () => {
    const clock = new ManualClock(0);
    const pacer = new Pacer(clock);
    pacer.penalize(user, 90_000);
    const refused = pacer.acquire(user, { maxWaitMs: 30_000 });
    await expect(refused).rejects.toBeInstanceOf(TelegramRateLimited);
    await expect(refused).rejects.toMatchObject({ retryAfterMs: 90_000 });
    expect(clock.now()).toBe(0);
    // The outbox's next send is not pushed back by the refused one.
    const [next] = await grants(clock, [pacer.acquire(user)]);
    expect(next).toBe(90_000);
  });

  it('waits out a penalty within maxWaitMs', async () => {
    const clock = new ManualClock(0);
    const pacer = new Pacer(clock);
    pacer.penalize(user, 20_000);
    const [granted] = await grants(clock, [pacer.acquire(user, { maxWaitMs: 30_000 })]);
    expect(granted).toBe(20_000);
  });

  it('gives up a bounded wait that a 429 arriving meanwhile moves past maxWaitMs', async () => {
    const clock = new ManualClock(0);
    const pacer = new Pacer(clock);
    await grants(clock, [pacer.acquire(user)]);
    const waiting = pacer.acquire(user, { maxWaitMs: 30_000 });
    const outcome = waiting.then(
      () => `granted at ${clock.now()}`,
      (error: unknown) => `${error instanceof TelegramRateLimited ? 'rate limited' : String(error)} at ${clock.now()}`,
    );
    await clock.advance(500);
    pacer.penalize(user, 60_000);
    await clock.runAll();
    expect(await outcome).toBe('rate limited at 1100');
  });
});

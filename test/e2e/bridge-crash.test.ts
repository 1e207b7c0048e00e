// kill -9 at random moments while 200 messages flow each way (Instagram → Telegram and Telegram →
// Instagram), restarting the built binary each time: at the end every message was delivered, and
// the duplicates number at most one per crash.
import type { ResultPromise } from 'execa';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { bridgeWorld, until, type BridgeWorld } from '../helpers/bridge-world.js';

const COUNT = 200;
const CRASHES = 4;

let world: BridgeWorld;

beforeEach(async () => {
  world = await bridgeWorld();
});

afterEach(async () => {
  await world.close();
});

function counts(texts: Array<string | null | undefined>, prefix: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const text of texts) {
    const match = text ? new RegExp(`\\b(${prefix}-\\d+)\\b`).exec(text) : null;
    if (match) out.set(match[1]!, (out.get(match[1]!) ?? 0) + 1);
  }
  return out;
}

function expected(prefix: string): string[] {
  return Array.from({ length: COUNT }, (_, i) => `${prefix}-${i}`).sort();
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('delivers every message both ways through random kill -9s, at most one duplicate per crash', async () => {
  const { ig, tg, owner, thread, friend } = world;
  let daemon: ResultPromise = world.start(['--no-realtime']);
  await world.baselineDone();
  ig.state.addItem(thread, { from: friend.pk, text: 'anchor' });
  const anchor = await until('anchor', () => tg.state.sent(owner).find((m) => m.text?.endsWith('anchor')));

  const seed = Number(process.env.CRASH_SEED ?? Date.now() % 100_000);
  let s = seed;
  const random = () => ((s = (s * 1103515245 + 12345) % 2147483648), s / 2147483648);

  let sentIg = 0;
  let sentTg = 0;
  const inject = (n: number) => {
    for (let k = 0; k < n && sentIg < COUNT; k++, sentIg++)
      ig.state.addItem(thread, { from: friend.pk, text: `ig-${sentIg}` });
    for (let k = 0; k < n && sentTg < COUNT; k++, sentTg++)
      tg.state.userSends({ text: `tg-${sentTg}`, replyTo: anchor.messageId });
  };

  for (let crash = 0; crash < CRASHES; crash++) {
    inject(Math.ceil(COUNT / (CRASHES + 1)));
    await pause(300 + Math.floor(random() * 1500));
    daemon.kill('SIGKILL');
    await daemon;
    daemon = world.start(['--no-realtime']);
  }
  inject(COUNT);

  const igKeys = expected('ig');
  const tgKeys = expected('tg');
  await until(
    'every Instagram message in Telegram',
    () =>
      counts(
        tg.state.sent(owner).map((m) => m.text),
        'ig',
      ).size === COUNT,
    120_000,
  ).catch(async (error: Error) => {
    const got = counts(
      tg.state.sent(owner).map((m) => m.text),
      'ig',
    );
    const missing = igKeys.filter((k) => !got.has(k));
    const stored = await world.withStore(
      async (store) => (await store.listMessages(thread.thread_id, { limit: 1000 })).length,
    );
    const outbox = await world.withStore((store) => store.outboxStats());
    throw new Error(
      `${error.message}: seed ${seed}, ${got.size} arrived, missing ${missing.slice(0, 10).join(',')} (${missing.length}); stored ${stored}; outbox ${JSON.stringify(outbox)}`,
    );
  });
  await until(
    'every Telegram message sent to Instagram',
    () =>
      counts(
        world.broadcasts().map((b) => b.text),
        'tg',
      ).size === COUNT,
    120_000,
  );
  daemon.kill('SIGTERM');
  expect((await daemon).exitCode).toBe(0);

  const toTelegram = counts(
    tg.state.sent(owner).map((m) => m.text),
    'ig',
  );
  const toInstagram = counts(
    world.broadcasts().map((b) => b.text),
    'tg',
  );
  expect([...toTelegram.keys()].sort()).toEqual(igKeys);
  expect([...toInstagram.keys()].sort()).toEqual(tgKeys);
  const extra = (map: Map<string, number>) => [...map.values()].reduce((sum, n) => sum + n - 1, 0);
  expect(extra(toTelegram), `seed ${seed}`).toBeLessThanOrEqual(CRASHES);
  expect(extra(toInstagram), `seed ${seed}`).toBeLessThanOrEqual(CRASHES);
  // Messages the bridge sent are never echoed back to Telegram.
  expect(
    counts(
      tg.state.sent(owner).map((m) => m.text),
      'tg',
    ).size,
  ).toBe(0);
  // Every broadcast of one message carried the same client_context (the outbox's).
  const contexts = new Map<string, Set<string | undefined>>();
  for (const b of world.broadcasts())
    contexts.set(b.text ?? '', (contexts.get(b.text ?? '') ?? new Set()).add(b.clientContext));
  expect([...contexts.values()].every((set) => set.size === 1)).toBe(true);
}, 240_000);

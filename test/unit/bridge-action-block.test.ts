// An action block (feedback_required) pauses every send to Instagram for hours: the blocked reply
// and those after it wait, in every thread, without a ⚠ or a dead letter, the owner is told once,
// and they go out in their order when the pause ends (or the owner ends it with /retry).
import { afterEach, describe, expect, it } from 'vitest';
import {
  ACTION_BLOCK_PAUSE_MS,
  ActionBlockedError,
  endInstagramPause,
  INSTAGRAM_PAUSE_META,
} from '../../src/bridge/core/instagram-pause.js';
import { harness, type Harness } from './bridge-harness.js';
import { message, OWNER, ownerText, thread } from './bridge-fakes.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

const blocked = () =>
  new ActionBlockedError('Instagram blocked this action (feedback_required); stopped to protect the account');

/** Forwards one message of t1 and one of t2, then queues the owner's replies, alternating threads. */
async function queueReplies(target: Harness, texts: string[]): Promise<number[]> {
  target.instagram.queue([thread('t1'), thread('t2')], [message('t1', 'i1'), message('t2', 'i2')]);
  await target.cycle();
  const forwarded = target.telegram.sent().map((c) => c.messageId!);
  await target.bridge.handleUpdates(
    texts.map((text, i) =>
      ownerText(text, {
        reply_to_message: { message_id: forwarded[i % 2]!, chat: { id: OWNER, type: 'private' }, date: 0 },
      }),
    ),
  );
  return forwarded;
}

/** Makes the next `count` sends to Instagram fail with an action block; returns the attempts made. */
function blockNextSends(target: Harness, count: number): string[] {
  const attempts: string[] = [];
  const sendText = target.instagram.sendText.bind(target.instagram);
  target.instagram.sendText = (threadId, text, clientContext) => {
    attempts.push(text);
    return count-- > 0 ? Promise.reject(blocked()) : sendText(threadId, text, clientContext);
  };
  return attempts;
}

const pauseNotices = (target: Harness) =>
  target.telegram.sent().filter((c) => c.text?.includes('Instagram blocked sending'));
const warnings = (target: Harness) => target.telegram.sent().filter((c) => c.text?.startsWith('⚠'));
const sentTexts = (target: Harness) => target.instagram.sent.map((s) => s.text);

describe('an action block from Instagram', () => {
  it('pauses every send, tells the owner once, and sends all in order when the pause ends', async () => {
    h = await harness({ maxAttempts: 1 });
    const attempts = blockNextSends(h, 1);
    const forwarded = await queueReplies(h, ['one', 'two', 'three', 'four']);
    await h.bridge.deliverOnce();

    expect(attempts).toEqual(['one']);
    expect(pauseNotices(h)).toHaveLength(1);
    expect(warnings(h)).toEqual([]);
    expect(await h.store.outboxStats()).toEqual({ pending: 4, deadLettered: 0 });

    // A reply written during the pause waits too; nothing goes to Instagram, nothing more is said.
    h.clock.advance(ACTION_BLOCK_PAUSE_MS / 2);
    await h.bridge.handleUpdates([
      ownerText('five', {
        reply_to_message: { message_id: forwarded[0]!, chat: { id: OWNER, type: 'private' }, date: 0 },
      }),
    ]);
    await h.bridge.deliverOnce();
    h.clock.advance(ACTION_BLOCK_PAUSE_MS / 2 - 1000);
    await h.bridge.deliverOnce();
    expect(attempts).toEqual(['one']);
    expect(pauseNotices(h)).toHaveLength(1);

    h.clock.advance(1000);
    for (let round = 0; round < 4; round++) await h.bridge.deliverOnce();
    expect(sentTexts(h)).toEqual(['one', 'two', 'three', 'four', 'five']);
    expect(warnings(h)).toEqual([]);
    expect(await h.store.outboxStats()).toEqual({ pending: 0, deadLettered: 0 });
  });

  it('keeps the pause across a restart of the bridge', async () => {
    h = await harness();
    const attempts = blockNextSends(h, 1);
    await queueReplies(h, ['one', 'two']);
    await h.bridge.deliverOnce();
    expect(attempts).toEqual(['one']);

    const restarted = await harness({}, { store: h.store });
    restarted.clock.time = h.clock.now() + 60_000;
    await restarted.bridge.deliverOnce();
    expect(restarted.instagram.sent).toEqual([]);
    expect(await h.store.outboxStats()).toEqual({ pending: 2, deadLettered: 0 });
  });

  it('blocked again after the pause: a new pause and one more notice, still no dead letter', async () => {
    h = await harness({ maxAttempts: 1 });
    const attempts = blockNextSends(h, 2);
    await queueReplies(h, ['one', 'two']);
    await h.bridge.deliverOnce();
    h.clock.advance(ACTION_BLOCK_PAUSE_MS);
    await h.bridge.deliverOnce();
    expect(attempts).toEqual(['one', 'one']);
    expect(pauseNotices(h)).toHaveLength(2);
    expect(await h.store.outboxStats()).toEqual({ pending: 2, deadLettered: 0 });
    h.clock.advance(ACTION_BLOCK_PAUSE_MS);
    for (let round = 0; round < 3; round++) await h.bridge.deliverOnce();
    expect(sentTexts(h)).toEqual(['one', 'two']);
  });

  it('ends early when the owner sends /retry: all go out in order, and /status shows the pause until then', async () => {
    h = await harness();
    blockNextSends(h, 1);
    await queueReplies(h, ['one', 'two', 'three']);
    await h.bridge.deliverOnce();
    expect(sentTexts(h)).toEqual([]);

    await h.bridge.handleUpdates([ownerText('/status')]);
    expect(h.telegram.sent().at(-1)!.text).toContain('Sending to Instagram: paused after an action block until');
    h.clock.advance(60_000);
    await h.bridge.handleUpdates([ownerText('/retry')]);
    expect(h.telegram.sent().at(-1)!.text).toBe('Sending to Instagram again after the action block.');
    expect(await h.store.getMeta(INSTAGRAM_PAUSE_META)).toBeNull();
    for (let round = 0; round < 3; round++) await h.bridge.deliverOnce();
    expect(sentTexts(h)).toEqual(['one', 'two', 'three']);
    expect(await endInstagramPause(h.store, h.clock.now())).toBe(false);
    await h.bridge.handleUpdates([ownerText('/status')]);
    expect(h.telegram.sent().at(-1)!.text).not.toContain('paused');
  });
});

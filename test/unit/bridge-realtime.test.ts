// The bridge's realtime link on a scripted receiver: items, reactions and unsends go through the
// store and the forwarder (an item seen by realtime and by a poll is forwarded once), every
// (re)connect asks for a reconciliation, and the state is kept in the store for /status.
import { afterEach, describe, expect, it } from 'vitest';
import { RealtimeLink } from '../../src/bridge/adapters/realtime-link.js';
import { statusText } from '../../src/bridge/core/commands/status.js';
import { BridgeMeta } from '../../src/bridge/core/state-keys.js';
import { silentLog } from '../../src/bridge/core/bridge.js';
import type { RealtimeHandlers, RealtimeReceiverPort, RealtimeState } from '../../src/realtime/port.js';
import { harness, type Harness } from './bridge-harness.js';
import { message, thread } from './bridge-fakes.js';

class ScriptedReceiver implements RealtimeReceiverPort {
  handlers: RealtimeHandlers | null = null;
  current: RealtimeState = {
    connected: false,
    connectedSince: null,
    reconnects: 0,
    lastEventAt: null,
    polling: true,
    lastError: null,
  };
  start(_session: unknown, handlers: RealtimeHandlers): void {
    this.handlers = handlers;
    handlers.onState?.(this.state());
  }
  async stop(): Promise<void> {
    this.handlers = null;
  }
  state(): RealtimeState {
    return { ...this.current };
  }
  set(patch: Partial<RealtimeState>): void {
    this.current = { ...this.current, ...patch };
    this.handlers?.onState?.(this.state());
  }
}

let h: Harness;
afterEach(async () => {
  await h?.cleanup();
});

async function linked(): Promise<{ receiver: ScriptedReceiver; link: RealtimeLink; reconciles: () => number }> {
  h = await harness();
  await h.store.write({ threads: [thread('t1', { title: 'Zoë' })] });
  const receiver = new ScriptedReceiver();
  let reconciles = 0;
  const link = new RealtimeLink({
    store: h.store,
    receiver,
    session: async () => 'session',
    forward: () => h.bridge.forward(),
    reconcile: () => void (reconciles += 1),
    log: silentLog,
    now: () => h.clock.now(),
  });
  await link.start();
  return { receiver, link, reconciles: () => reconciles };
}

describe('realtime link', () => {
  it('holds items pushed after a reconnect until its reconciliation ran, so the gap comes first', async () => {
    h = await harness();
    await h.store.write({ threads: [thread('t1', { title: 'Zoë' })] });
    const receiver = new ScriptedReceiver();
    let reconciled = () => undefined as void;
    const link = new RealtimeLink({
      store: h.store,
      receiver,
      session: async () => 'session',
      forward: () => h.bridge.forward(),
      reconcile: () => new Promise<void>((resolve) => (reconciled = resolve)),
      log: silentLog,
      now: () => h.clock.now(),
    });
    await link.start();
    receiver.set({ connected: true, connectedSince: h.clock.now(), polling: false });
    // B is pushed at once; A, sent while the link was down, only the reconciliation finds.
    const pushed = receiver.handlers!.onItem(message('t1', 'b', { text: 'B, newer', sentAt: 2_000 }), 'add');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await h.store.getMessage('t1', 'b')).toBeNull();
    await h.store.write({
      messages: [
        message('t1', 'a', { text: 'A, from the gap', sentAt: 1_000 }),
        message('t1', 'b', { text: 'B, newer', sentAt: 2_000 }),
      ],
    });
    await h.bridge.forward();
    reconciled();
    await pushed;
    await h.bridge.deliverOnce();
    expect(h.telegram.sent().map((c) => c.text?.split('\n').at(-1))).toEqual(['A, from the gap', 'B, newer']);
  });

  it('stores pushed items and forwards each once, even when a poll stores it again', async () => {
    const { receiver } = await linked();
    await receiver.handlers!.onItem(message('t1', 'r1', { text: 'pushed' }), 'add');
    await h.bridge.deliverOnce();
    h.instagram.queue([], [message('t1', 'r1', { text: 'pushed' })]);
    await h.cycle(2);
    expect(h.telegram.sent().map((c) => c.text)).toEqual(['💬 Zoë · zoe\npushed']);
  });

  it('an edit pushed for a stored item keeps the media file an earlier sync kept', async () => {
    const { receiver } = await linked();
    const photo = {
      kind: 'photo',
      url: 'https://cdn.example/p.jpg',
      path: null,
      name: null,
      mime: null,
      width: 10,
      height: 10,
      durationMs: null,
    } as const;
    await h.store.write({
      messages: [message('t1', 'r9', { kind: 'photo', media: [{ ...photo, path: 'ab/ab12.jpg' }] })],
    });
    await receiver.handlers!.onItem(message('t1', 'r9', { kind: 'photo', text: 'edited', media: [photo] }), 'replace');
    const stored = await h.store.getMessage('t1', 'r9');
    expect(stored!.text).toBe('edited');
    expect(stored!.media[0]!.path).toBe('ab/ab12.jpg');
  });

  it('mirrors a reaction as a note and an unsend as an edit of the forwarded message', async () => {
    const { receiver } = await linked();
    await receiver.handlers!.onItem(message('t1', 'r2', { text: 'to be unsent' }), 'add');
    await h.bridge.deliverOnce();
    const forwarded = h.telegram.sent()[0]!;
    const reaction = { emoji: '❤️', actor: 'zoe', actorId: '111', at: null };
    await receiver.handlers!.onReaction!({ threadId: 't1', itemId: 'r2', removed: false, reaction });
    await h.bridge.deliverOnce();
    expect((await h.store.getMessage('t1', 'r2'))!.reactions).toEqual([reaction]);
    await receiver.handlers!.onRemoval!({ threadId: 't1', itemId: 'r2' });
    await h.bridge.deliverOnce();
    expect((await h.store.getMessage('t1', 'r2'))!.unsent).toBe(true);
    const edits = h.telegram.calls.filter((c) => c.method === 'editMessageText');
    expect(edits.at(-1)).toMatchObject({ messageId: forwarded.messageId });
    expect(String(edits.at(-1)!.text)).toContain('message unsent');
  });

  it('asks for a reconciliation on every (re)connect and for unknown threads; keeps the state for /status', async () => {
    const { receiver, reconciles } = await linked();
    expect(reconciles()).toBe(0);
    receiver.set({ connected: true, connectedSince: h.clock.now(), polling: false });
    expect(reconciles()).toBe(1);
    receiver.set({ connected: false, connectedSince: null, polling: true, lastError: 'link dropped' });
    receiver.set({ connected: true, connectedSince: h.clock.now(), polling: false, reconnects: 1 });
    expect(reconciles()).toBe(2);
    await receiver.handlers!.onItem(message('t-new', 'x1'), 'add');
    expect(reconciles()).toBe(3);
    expect(await h.store.getMessage('t-new', 'x1')).toBeNull();

    receiver.set({ connected: false, connectedSince: null, polling: true, lastError: 'refused (5)' });
    await new Promise((resolve) => setImmediate(resolve));
    const stored = JSON.parse((await h.store.getMeta(BridgeMeta.realtime))!) as Record<string, unknown>;
    expect(stored).toMatchObject({ enabled: true, connected: false, polling: true, reconnects: 1 });
    const text = await statusText({ ...h, controls: { requestSync() {}, startedAt: h.clock.now() } });
    expect(text).toContain('Realtime: down (refused (5)), 1 reconnects – polling instead');
  });

  /**
   * Runs the poll loop with realtime up (shouldPoll false) for `rounds` sleeps, asking for a sync at
   * sleep `requestAt`; `poll` answers each Instagram poll (its number given). Returns the polls made.
   */
  async function pollLoop(rounds: number, requestAt: number, poll: (count: number) => Promise<void>) {
    h = await harness();
    let polls = 0;
    const realPoll = h.instagram.poll.bind(h.instagram);
    h.instagram.poll = async () => {
      polls += 1;
      await poll(polls);
      return realPoll();
    };
    const { Bridge } = await import('../../src/bridge/core/bridge.js');
    const bridge = new Bridge({
      store: h.store,
      instagram: h.instagram,
      telegram: h.telegram,
      options: h.options,
      clock: h.clock,
      random: () => 0.5,
      shouldPoll: () => false,
    });
    const stop = new AbortController();
    let sleeps = 0;
    h.clock.sleep = async () => {
      sleeps += 1;
      if (sleeps === requestAt) bridge.requestSync();
      if (sleeps >= rounds) stop.abort();
    };
    await bridge.runPollLoop(stop.signal);
    return polls;
  }

  it('polls only when asked while realtime delivers', async () => {
    // Start-up reconciliation and the one requested sync; the timed wake-ups only scanned the store.
    expect(await pollLoop(6, 3, async () => undefined)).toBe(2);
  });

  it('tries a requested reconcile again until it succeeds, even while realtime delivers', async () => {
    // The reconcile after a reconnect fails twice (Instagram answers 500), then works; after that
    // only scans.
    const polls = await pollLoop(7, 1, async (count) => {
      if (count === 2 || count === 3) throw new Error('500 Internal Server Error');
    });
    expect(polls).toBe(4);
  });
});

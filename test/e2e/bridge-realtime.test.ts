// The built binary's bridge with realtime (issue 7) against the fake MQTT broker, the fake
// Instagram API and the fake Telegram API: a published message reaches Telegram without a poll;
// an item published and also found by reconciliation is forwarded once; an unsend becomes an edit;
// a message sent while the link is down arrives exactly once after the reconnect; a refused
// connection falls back to polling and /status says so; SIGTERM exits 0.
import { deflateSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TOPICS, startFakeInstagramMqtt, type FakeInstagramMqtt } from '../fakes/instagram-mqtt/broker.js';
import { bridgeWorld, until, type BridgeWorld } from '../helpers/bridge-world.js';
import { runIgtg } from '../helpers/cli.js';

let world: BridgeWorld;
let broker: FakeInstagramMqtt;

beforeEach(async () => {
  world = await bridgeWorld();
  broker = await startFakeInstagramMqtt();
});

afterEach(async () => {
  await world.close();
  await broker.close();
});

function startRealtimeBridge(extra: Record<string, string> = {}) {
  return world.start([], {
    IGTG_INSTAGRAM_REALTIME_URL: broker.url,
    NODE_EXTRA_CA_CERTS: broker.caFile,
    IGTG_REALTIME_BACKOFF_MS: '200',
    ...extra,
  });
}

interface StoredRealtime {
  connected: boolean;
  polling: boolean;
  reconnects: number;
  connected_since: number | null;
}

function realtimeState(): Promise<StoredRealtime | null> {
  return world
    .withStore(async (store) => {
      const text = await store.getMeta('bridge.realtime');
      return text ? (JSON.parse(text) as StoredRealtime) : null;
    })
    .catch(() => null);
}

const lastPollAt = () =>
  world.withStore(async (store) => Number((await store.getMeta('bridge.last_poll_at')) ?? 0)).catch(() => 0);
const inboxRequests = () => world.ig.count(/^\/api\/v1\/direct_v2\/inbox\/$/);
/**
 * Waits until no inbox request came for `quietMs`, longer than a poll interval: a poll begun just
 * before the link came up is followed by the reconciliation's own, which must not be counted later.
 */
async function pollingStopped(quietMs = 1_500): Promise<void> {
  let seen = inboxRequests();
  let since = Date.now();
  await until('polling to stop', () => {
    if (inboxRequests() !== seen) {
      seen = inboxRequests();
      since = Date.now();
    }
    return Date.now() - since >= quietMs;
  });
}
const sentWith = (text: string) => world.tg.state.sent(world.owner).filter((m) => m.text?.includes(text));

describe('igtg bridge with realtime (fake broker)', () => {
  it('delivers published items once, mirrors an unsend, and catches up a gap after a dropped link', async () => {
    const { ig, thread, friend } = world;
    const daemon = startRealtimeBridge();
    await world.baselineDone();
    const connected = await until('realtime connected', async () => {
      const state = await realtimeState();
      return state?.connected ? state : null;
    });
    expect(broker.state.irisSubscriptions.length).toBeGreaterThanOrEqual(1);
    // The reconciliation every connect is followed by must be over before counting polls.
    await until('the reconciliation after connecting', async () => (await lastPollAt()) >= connected.connected_since!);
    await pollingStopped();

    // Published (and on the server, as Instagram would have it): forwarded without polling.
    const polls = inboxRequests();
    const item = ig.state.addItem(thread, { from: friend.pk, text: 'pushed in realtime' });
    expect(broker.publishItem(thread.thread_id, item)).toBe(1);
    const forwarded = await until('realtime message', () => sentWith('pushed in realtime')[0]);
    expect(inboxRequests()).toBe(polls);

    // Unsend → the forwarded message is edited.
    broker.publishRemoval(thread.thread_id, String(item.item_id));
    await until('unsend edit', () =>
      world.tg.state.message(world.owner, forwarded.messageId)?.text?.includes('message unsent'),
    );

    // Link dropped; a message arrives in the gap (never published): reconciliation delivers it.
    const reconnectsBefore = (await realtimeState())!.reconnects;
    broker.drop();
    ig.state.addItem(thread, { from: friend.pk, text: 'sent during the gap' });
    await until('reconnected', async () => {
      const state = await realtimeState();
      return state?.connected && state.reconnects > reconnectsBefore;
    });
    await until('gap message', () => sentWith('sent during the gap')[0]);
    // An item both published and found by a later reconciliation (/sync) is forwarded once.
    const late = ig.state.addItem(thread, { from: friend.pk, text: 'published then reconciled' });
    broker.publishItem(thread.thread_id, late);
    await until('published item', () => sentWith('published then reconciled')[0]);
    const lastPoll = await lastPollAt();
    world.tg.state.userSends({ text: '/sync' });
    await until('the /sync reconciliation', async () => (await lastPollAt()) > lastPoll);
    const final = ig.state.addItem(thread, { from: friend.pk, text: 'final marker' });
    broker.publishItem(thread.thread_id, final);
    await until('final marker', () => sentWith('final marker')[0]);
    expect(sentWith('published then reconciled')).toHaveLength(1);
    expect(sentWith('sent during the gap')).toHaveLength(1);

    daemon.kill('SIGTERM');
    const result = await daemon;
    expect(result.exitCode, String(result.stderr)).toBe(0);
  }, 120_000);

  it('notices a silent half-open link, survives a drop before the iris ack and a corrupt frame, and recovers', async () => {
    const { ig, thread, friend } = world;
    const daemon = startRealtimeBridge({ IGTG_REALTIME_WATCHDOG_MS: '1500' });
    await world.baselineDone();
    await until('realtime connected', async () => (await realtimeState())?.connected);
    const connectsBefore = broker.state.connects.length;

    // The socket stays open but nothing comes back: the watchdog must reconnect.
    broker.goSilent();
    await until('a reconnect after the silent link', () => broker.state.connects.length > connectsBefore, 30_000);
    await until('connected again', async () => (await realtimeState())?.connected);

    // The library's known crash: the link drops between CONNACK and the iris subscription's ack.
    broker.dropBeforeIrisAck();
    broker.drop();
    ig.state.addItem(thread, { from: friend.pk, text: 'after the rough patch' });
    await until('delivered after recovery', () => sentWith('after the rough patch')[0], 30_000);
    await until('connected once more', async () => (await realtimeState())?.connected, 30_000);
    expect(daemon.exitCode).toBeNull();
    const pushed = ig.state.addItem(thread, { from: friend.pk, text: 'pushed after recovery' });
    broker.publishItem(thread.thread_id, pushed);
    await until('realtime works again', () => sentWith('pushed after recovery')[0]);
    expect(sentWith('after the rough patch')).toHaveLength(1);

    // A cut-off deflate stream: the library inflates every publish without catching the failure.
    const deflated = deflateSync(Buffer.from('[]'));
    expect(broker.publishRaw(TOPICS.messageSync, deflated.subarray(0, deflated.length - 3))).toBe(1);
    const afterGarbage = ig.state.addItem(thread, { from: friend.pk, text: 'after a corrupt frame' });
    broker.publishItem(thread.thread_id, afterGarbage);
    await until('delivered after a corrupt frame', () => sentWith('after a corrupt frame')[0]);
    expect(daemon.exitCode).toBeNull();

    daemon.kill('SIGTERM');
    const result = await daemon;
    expect(result.exitCode, String(result.stderr)).toBe(0);
  }, 120_000);

  it('falls back to polling when the broker refuses the connection, and /status says so', async () => {
    const { ig, thread, friend } = world;
    broker.refuseNext(5, 1000);
    const daemon = startRealtimeBridge();
    await world.baselineDone();
    await until('a refused connect', () => broker.state.connects.some((c) => c.returnCode === 5));
    ig.state.addItem(thread, { from: friend.pk, text: 'delivered by polling' });
    await until('polled message', () => sentWith('delivered by polling')[0]);
    const state = await realtimeState();
    expect(state).toMatchObject({ connected: false, polling: true });

    world.tg.state.userSends({ text: '/status' });
    const status = await until('status reply', () => sentWith('Realtime:')[0]);
    expect(status.text).toMatch(/Realtime: down .*polling instead/);

    const cli = await runIgtg(['status', '--json'], { home: world.home, env: world.env() });
    expect(cli.exitCode, cli.stderr).toBe(0);
    const report = JSON.parse(cli.stdout) as { bridge: { realtime: { connected: boolean; polling: boolean } } };
    expect(report.bridge.realtime).toMatchObject({ connected: false, polling: true });
    const human = await runIgtg(['status'], { home: world.home, env: world.env() });
    expect(human.stdout).toMatch(/realtime\s+down .*polling instead/);

    daemon.kill('SIGTERM');
    expect((await daemon).exitCode).toBe(0);
  }, 120_000);
});

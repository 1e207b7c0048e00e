// The RealtimeReceiver with the real instagram_mqtt library against the fake Instagram broker.
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../src/core/model.js';
import type { RealtimeReaction, RealtimeRemoval, RealtimeState } from '../../src/realtime/port.js';
import { RealtimeReceiver, type RealtimeReceiverOptions } from '../../src/realtime/realtime-receiver.js';
import { startFakeInstagramMqtt, type FakeInstagramMqtt } from '../fakes/instagram-mqtt/broker.js';
import { makeTestCertificates, type TestCertificates } from '../fakes/instagram-mqtt/certs.js';
import { makeRealtimeSession } from '../fakes/instagram-mqtt/session.js';
import { textItem } from '../fakes/instagram-mqtt/sync-payloads.js';

const SESSIONID = 'IGSC-realtime-session';
const USER_ID = '1098765432';
const THREAD = '340282366841710300949128210682725503544';
const FRIEND = '1234567890';

const REAL_CAPTURE = {
  event: 'patch',
  data: [
    {
      op: 'add',
      path: '/direct_v2/threads/340282366841710300949128132093642477303/items/30074058301494429533411605882077184',
      value:
        '{"item_id": "30074058301494429533411605882077184", "user_id": 1948527266, "timestamp": 1630317967296799, "item_type": "text", "text": "p\\u1eb7c p\\u1eb7c", "client_context": "6838049163048278514", "show_forward_attribution": false, "is_shh_mode": false}',
    },
  ],
  message_type: 1,
  seq_id: 201,
  mutation_token: '6838049163027340965',
  realtime: true,
};

let certs: TestCertificates;
let session: string;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  certs = makeTestCertificates();
  session = await makeRealtimeSession({ sessionid: SESSIONID, userId: USER_ID, name: 'Alex Kim' });
  process.on('unhandledRejection', onUnhandled);
});

afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
  certs.remove();
});

async function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface Harness {
  broker: FakeInstagramMqtt;
  receiver: RealtimeReceiver;
  items: Message[];
  reactions: RealtimeReaction[];
  removals: RealtimeRemoval[];
  states: RealtimeState[];
  errors: unknown[];
  snapshots: number;
}

let current: Harness | null = null;

async function harness(
  options: Partial<RealtimeReceiverOptions> = {},
  setup?: (broker: FakeInstagramMqtt) => void,
): Promise<Harness> {
  const broker = await startFakeInstagramMqtt({ sessionid: SESSIONID, userId: USER_ID, certs });
  setup?.(broker);
  const h: Harness = {
    broker,
    receiver: null!,
    items: [],
    reactions: [],
    removals: [],
    states: [],
    errors: [],
    snapshots: 0,
  };
  h.receiver = new RealtimeReceiver({
    fetchIrisSnapshot: async () => {
      h.snapshots += 1;
      return { seqId: 180 + h.snapshots, snapshotAtMs: 1547815538244 + h.snapshots };
    },
    env: { IGTG_INSTAGRAM_REALTIME_URL: broker.url },
    extraCa: readFileSync(broker.caFile),
    watchdogMs: 10_000,
    connectTimeoutMs: 10_000,
    backoffBaseMs: 20,
    backoffMaxMs: 200,
    ...options,
  });
  h.receiver.start(session, {
    onItem: (message) => void h.items.push(message),
    onReaction: (event) => void h.reactions.push(event),
    onRemoval: (event) => void h.removals.push(event),
    onState: (state) => void h.states.push(state),
    onError: (error) => void h.errors.push(error),
  });
  current = h;
  return h;
}

afterEach(async () => {
  if (current) {
    await current.receiver.stop();
    await current.broker.close();
    current = null;
  }
  expect(unhandled).toEqual([]);
});

describe('realtime receiver against the fake broker', () => {
  it('connects with the session, subscribes with a fresh snapshot and maps items, reactions and removals', async () => {
    const h = await harness();
    await waitFor(() => h.receiver.state().connected, 'connected');
    const connect = h.broker.state.connects[0]!;
    expect(connect.protocolName).toBe('MQTToT');
    expect(connect.request).toMatchObject({ sessionid: SESSIONID, userId: USER_ID, clientType: 'cookie_auth' });
    expect(connect.request!.subscribeTopics).toContain(146);
    expect(h.broker.state.irisSubscriptions).toEqual([
      expect.objectContaining({ seq_id: 181, snapshot_at_ms: 1547815538245 }),
    ]);
    expect(h.states[0]).toMatchObject({ connected: false, polling: true });
    expect(h.receiver.state()).toMatchObject({ connected: true, polling: false, reconnects: 0 });

    const item = textItem('30074058301494429533411605882077184', FRIEND, 'hello from realtime');
    expect(h.broker.publishItem(THREAD, item)).toBe(1);
    await waitFor(() => h.items.length === 1, 'the item');
    expect(h.items[0]).toMatchObject({
      id: '30074058301494429533411605882077184',
      threadId: THREAD,
      senderId: FRIEND,
      kind: 'text',
      text: 'hello from realtime',
      fromMe: false,
      clientContext: 'cc-30074058301494429533411605882077184',
      source: 'api',
    });
    expect(h.items[0]!.sentAt).toBe(Math.floor((item.timestamp as number) / 1000));

    h.broker.publishReaction(THREAD, '30074058301494429533411605882077184', FRIEND, '😂');
    h.broker.publishRemoval(THREAD, '30074058301494429533411605882077184');
    await waitFor(() => h.reactions.length === 1 && h.removals.length === 1, 'reaction and removal');
    expect(h.reactions[0]).toMatchObject({
      threadId: THREAD,
      itemId: '30074058301494429533411605882077184',
      removed: false,
      reaction: { emoji: '😂', actorId: FRIEND },
    });
    expect(h.removals[0]).toEqual({ threadId: THREAD, itemId: '30074058301494429533411605882077184' });

    // A real capture (shared/formats/ig-realtime-patch.json [0]), sent undeflated.
    h.broker.publishRaw('146', Buffer.from(JSON.stringify([REAL_CAPTURE])));
    await waitFor(() => h.items.length === 2, 'the captured item');
    expect(h.items[1]).toMatchObject({
      id: '30074058301494429533411605882077184',
      text: 'pặc pặc',
      sentAt: 1630317967296,
      threadId: '340282366841710300949128132093642477303',
    });
    expect(h.errors).toEqual([]);
  });

  it('reconnects after a drop with a fresh snapshot, and events after it still arrive', async () => {
    const h = await harness();
    await waitFor(() => h.receiver.state().connected, 'connected');
    h.broker.drop();
    await waitFor(() => h.receiver.state().connected && h.receiver.state().reconnects === 1, 'the reconnect');
    expect(h.states.some((state) => state.polling && state.lastError !== null)).toBe(true);
    expect(h.snapshots).toBeGreaterThanOrEqual(2);
    expect(h.broker.state.irisSubscriptions.at(-1)!.seq_id).toBe(180 + h.snapshots);
    h.broker.publishItem(THREAD, textItem('2', FRIEND, 'after the drop'));
    await waitFor(() => h.items.some((message) => message.text === 'after the drop'), 'the item after the drop');
  });

  it('survives a drop between CONNACK and the iris acknowledgement (the library crash)', async () => {
    const h = await harness({}, (broker) => broker.dropBeforeIrisAck());
    await waitFor(() => h.receiver.state().connected, 'connected after the early drop');
    expect(h.broker.state.connects.length).toBeGreaterThanOrEqual(2);
    expect(h.receiver.state().reconnects).toBe(0);
  });

  it('detects a silent half-open link with the watchdog and reconnects', async () => {
    const h = await harness({ watchdogMs: 2500, pingIntervalMs: 300 });
    await waitFor(() => h.receiver.state().connected, 'connected');
    await waitFor(() => h.broker.state.pings > 0, 'a keepalive ping');
    const before = { reconnects: h.receiver.state().reconnects, accepted: h.broker.state.accepted };
    h.broker.goSilent();
    await waitFor(
      () => h.receiver.state().connected && h.receiver.state().reconnects > before.reconnects,
      'the watchdog reconnect',
    );
    expect(h.states.some((state) => /half-open/.test(state.lastError ?? ''))).toBe(true);
    expect(h.broker.state.accepted).toBeGreaterThan(before.accepted);
    h.broker.publishItem(THREAD, textItem('3', FRIEND, 'after the silence'));
    await waitFor(() => h.items.some((message) => message.text === 'after the silence'), 'the item after the silence');
  });

  it('backs off after refused CONNACKs, says polling, then recovers', async () => {
    const h = await harness({}, (broker) => broker.refuseNext(5, 3));
    await waitFor(() => h.receiver.state().connected, 'connected after the refusals');
    expect(h.broker.state.connects.map((connect) => connect.returnCode)).toEqual([5, 5, 5, 0]);
    const refused = h.states.filter((state) => /refused/.test(state.lastError ?? ''));
    expect(refused.length).toBe(3);
    expect(refused.every((state) => state.polling && !state.connected)).toBe(true);
    expect(h.snapshots).toBe(4);
  });

  it('backs off from a broker that keeps dropping the link right after it is made', async () => {
    // Each try doubles the wait (100 ms, 200, 400, 800, 1600…): about six tries in three seconds.
    // Starting over after each short-lived link would make thirty.
    const h = await harness({ backoffBaseMs: 100, backoffMaxMs: 60_000, stableLinkMs: 60_000 });
    let seen = 0;
    const kick = setInterval(() => {
      if (h.receiver.state().connected && h.broker.state.connects.length > seen) {
        seen = h.broker.state.connects.length;
        h.broker.drop();
      }
    }, 10);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    clearInterval(kick);
    const tries = h.broker.state.connects.length;
    expect(tries).toBeGreaterThanOrEqual(3);
    expect(tries).toBeLessThanOrEqual(9);
    // A snapshot is fetched just before each CONNECT: once the link holds, every try had one.
    await waitFor(() => h.receiver.state().connected, 'connected once the drops stop');
    expect(h.snapshots).toBe(h.broker.state.connects.length);
  });

  it('times out a CONNECT that is never answered', async () => {
    const h = await harness({ connectTimeoutMs: 800 }, (broker) => broker.stallNext());
    await waitFor(() => h.receiver.state().connected, 'connected after the stalled attempt');
    expect(h.states.some((state) => /timed out/.test(state.lastError ?? ''))).toBe(true);
    expect(h.broker.state.connects[0]!.returnCode).toBeNull();
  });

  it('treats an iris answer succeeded:false as a failed connect and retries with a new snapshot', async () => {
    const h = await harness({}, (broker) => {
      broker.state.irisSucceeds = false;
    });
    await waitFor(() => h.broker.state.irisSubscriptions.length >= 2, 'two refused subscriptions');
    expect(h.receiver.state()).toMatchObject({ connected: false, polling: true });
    expect(h.receiver.state().lastError).toMatch(/succeeded: false/);
    const seqIds = h.broker.state.irisSubscriptions.map((subscription) => subscription.seq_id);
    expect(new Set(seqIds).size).toBe(seqIds.length);
    h.broker.state.irisSucceeds = true;
    await waitFor(() => h.receiver.state().connected, 'connected once the subscription is accepted');
  });

  it('verifies the certificate: an untrusted broker is refused', async () => {
    const h = await harness({ extraCa: null });
    await waitFor(() => h.states.some((state) => state.lastError !== null), 'a failed attempt');
    expect(h.receiver.state()).toMatchObject({ connected: false, polling: true });
    expect(h.receiver.state().lastError).toMatch(/certificate|self.signed|verify/i);
    expect(h.broker.state.connects).toEqual([]);
  });

  it('stops cleanly: goodbye sent, no sockets or timers left, guard released', async () => {
    const listenersBefore = process.listenerCount('unhandledRejection');
    const h = await harness({ watchdogMs: 2000, pingIntervalMs: 500 });
    await waitFor(() => h.receiver.state().connected, 'connected');
    expect(process.listenerCount('unhandledRejection')).toBe(listenersBefore + 1);
    await h.receiver.stop();
    expect(process.listenerCount('unhandledRejection')).toBe(listenersBefore);
    expect(h.receiver.state().connected).toBe(false);
    await waitFor(() => h.broker.state.openConnections === 0, 'the broker to see the close');
    expect(h.broker.state.clientDisconnects).toBe(1);
    await h.broker.close();
    current = null;
    await waitFor(
      () => !process.getActiveResourcesInfo().some((kind) => kind === 'TLSWrap' || kind === 'TCPSocketWrap'),
      'sockets to close',
    );
    const states = h.states.length;
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(h.states.length).toBe(states);
  });
});

// Bridge benchmark: per-message overhead of Instagram → Telegram forwarding through the real
// SQLite store and outbox (network ports in memory, no pauses), and RSS after 10,000 messages;
// realtime: fake-broker PUBLISH → Telegram sendMessage latency p50/p95 over 200 messages (real
// instagram_mqtt over TLS, the bridge's realtime link, store, forwarder and outbox), and the
// Instagram requests of an idle hour with realtime up (simulated clock).
//   node --import tsx bench/bridge-bench.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { memoryOptions } from '../src/bridge/core/options.js';
import type { InstagramPort, TelegramPort } from '../src/bridge/ports.js';
import type { Message } from '../src/core/model.js';
import { RealtimeLink } from '../src/bridge/adapters/realtime-link.js';
import { Bridge, silentLog } from '../src/bridge/core/bridge.js';
import { systemClock } from '../src/core/clock.js';
import { RealtimeReceiver } from '../src/realtime/realtime-receiver.js';
import { startFakeInstagramMqtt } from '../test/fakes/instagram-mqtt/broker.js';
import { makeRealtimeSession } from '../test/fakes/instagram-mqtt/session.js';
import { textItem } from '../test/fakes/instagram-mqtt/sync-payloads.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { apiThread, message } from '../test/store/fixtures.js';

export interface BridgeBenchResult {
  messages: number;
  perMessageMs: number;
  totalMs: number;
  rssMb: number;
  telegramSends: number;
}

export async function runBridgeBench(count = 10_000, threads = 20): Promise<BridgeBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'igtg-bridge-bench-'));
  const store = await openSqliteStore(join(dir, 'bench.db'));
  let sends = 0;
  let nextId = 1;
  const telegram = {
    sendMessage: async () => ({ messageId: (sends++, nextId++) }),
    createForumTopic: async () => ({ topicId: 1 }),
  } as unknown as TelegramPort;
  let pending: Message[] = [];
  const instagram = {
    poll: async () => {
      const batch = pending;
      pending = [];
      const threadIds = [...new Set(batch.map((m) => m.threadId))];
      const threadsToWrite = threadIds.map((id) => apiThread(id));
      const result = await store.write({ threads: threadsToWrite, messages: batch });
      return { requests: 1, addedMessageIds: result.addedMessageIds };
    },
    sessionState: () => 'ok',
  } as unknown as InstagramPort;
  const clock = { now: () => Date.now(), sleep: async () => {} };
  const bridge = new Bridge({
    store,
    instagram,
    telegram,
    options: memoryOptions({ ownerId: 1 }),
    clock,
    random: Math.random,
  });
  await bridge.initialise();
  const started = performance.now();
  const batchSize = 500;
  for (let i = 0; i < count; i += batchSize) {
    for (let j = i; j < Math.min(count, i + batchSize); j++) {
      pending.push(
        message(`t${j % threads}`, `item${j}`, {
          senderId: '1',
          senderName: 'bench',
          sentAt: 1_700_000_000_000 + j,
          text: `message ${j} ${'x'.repeat(80)}`,
          source: 'api',
        }),
      );
    }
    await bridge.pollOnce();
    await bridge.deliverOnce();
  }
  const totalMs = performance.now() - started;
  const rssMb = process.memoryUsage().rss / 1024 / 1024;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return { messages: count, perMessageMs: totalMs / count, totalMs, rssMb, telegramSends: sends };
}

const THREAD = '340282366841710300949128210682725503544';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
}

export async function runRealtimeLatencyBench(count = 200) {
  const dir = mkdtempSync(join(tmpdir(), 'igtg-bridge-rt-bench-'));
  const store = await openSqliteStore(join(dir, 'bench.db'));
  await store.write({ threads: [apiThread(THREAD, { title: 'Bench' })] });
  const broker = await startFakeInstagramMqtt({ sessionid: 'bench', userId: '1098765432' });
  const session = await makeRealtimeSession({ sessionid: 'bench', userId: '1098765432' });
  let delivered: ((text: string) => void) | null = null;
  const telegram = {
    sendMessage: async (_chat: number, text: string) => {
      delivered?.(text);
      return { messageId: Math.floor(Math.random() * 1e9) };
    },
  } as unknown as TelegramPort;
  const instagram = {
    poll: async () => ({ requests: 0, addedMessageIds: [] }),
    sessionState: () => 'ok',
  } as unknown as InstagramPort;
  const bridge = new Bridge({
    store,
    instagram,
    telegram,
    options: memoryOptions({ ownerId: 1 }),
    clock: systemClock,
    random: Math.random,
  });
  await bridge.initialise();
  const receiver = new RealtimeReceiver({
    fetchIrisSnapshot: async () => ({ seqId: 1, snapshotAtMs: Date.now() }),
    env: { IGTG_INSTAGRAM_REALTIME_URL: broker.url },
    extraCa: broker.caPem,
  });
  const link = new RealtimeLink({
    store,
    receiver,
    session: async () => session,
    forward: () => bridge.forward(),
    reconcile: () => undefined,
    log: silentLog,
  });
  const stop = new AbortController();
  const delivery = bridge.runDeliveryLoop(stop.signal);
  await link.start();
  while (!receiver.state().connected) await systemClock.sleep(20);
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const text = `bench ${i}`;
    const arrived = new Promise<void>((resolve) => {
      delivered = (sent) => {
        if (sent.endsWith(text)) resolve();
      };
    });
    const started = performance.now();
    broker.publishItem(THREAD, textItem(`${10_000 + i}`, '1234567890', text));
    await arrived;
    latencies.push(performance.now() - started);
  }
  stop.abort();
  await delivery;
  await link.stop();
  await broker.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (n: number) => Number(n.toFixed(1));
  return {
    messages: count,
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    maxMs: round(sorted.at(-1) ?? 0),
  };
}

/**
 * One idle hour with realtime connected the whole time, on a simulated clock: the poll loop only
 * reconciles at start-up; each reconciliation is an idle sync (inbox + pending inbox: 2 requests,
 * see test/e2e/sync.test.ts), plus one inbox request for the iris snapshot of the one connect.
 */
export async function idleRealtimeRequestsPerHour() {
  const dir = mkdtempSync(join(tmpdir(), 'igtg-bridge-idle-bench-'));
  const store = await openSqliteStore(join(dir, 'bench.db'));
  const HOUR = 3_600_000;
  let now = 0;
  const stop = new AbortController();
  const clock = {
    now: () => now,
    sleep: async (ms: number) => {
      now += Math.max(1, ms);
      if (now >= HOUR) stop.abort();
    },
  };
  let polls = 0;
  const instagram = {
    poll: async () => ((polls += 1), { requests: 2, addedMessageIds: [] }),
    sessionState: () => 'ok',
  } as unknown as InstagramPort;
  const bridge = new Bridge({
    store,
    instagram,
    telegram: {} as TelegramPort,
    options: memoryOptions({ ownerId: 1 }),
    clock,
    random: Math.random,
    shouldPoll: () => false,
  });
  await bridge.initialise();
  await bridge.runPollLoop(stop.signal);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  const snapshots = 1;
  return { polls, requests: polls * 2 + snapshots, budget: 20 };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runBridgeBench();
  console.log(
    JSON.stringify({
      ...result,
      perMessageMs: Number(result.perMessageMs.toFixed(3)),
      totalMs: Math.round(result.totalMs),
      rssMb: Math.round(result.rssMb),
    }),
  );
  console.log(JSON.stringify({ realtimeToTelegram: await runRealtimeLatencyBench(200) }));
  console.log(JSON.stringify({ idleHourWithRealtime: await idleRealtimeRequestsPerHour() }));
}

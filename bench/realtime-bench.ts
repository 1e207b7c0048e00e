// Realtime benchmark: latency from a message-sync PUBLISH on the fake Instagram broker to the
// receiver's onItem (real instagram_mqtt over TLS on 127.0.0.1), p50/p95 over N messages sent
// one after another. The bridge's own Telegram leg is measured by the bridge benchmark.
//   node --import tsx bench/realtime-bench.ts
import { pathToFileURL } from 'node:url';
import { RealtimeReceiver } from '../src/realtime/realtime-receiver.js';
import { startFakeInstagramMqtt } from '../test/fakes/instagram-mqtt/broker.js';
import { makeRealtimeSession } from '../test/fakes/instagram-mqtt/session.js';
import { textItem } from '../test/fakes/instagram-mqtt/sync-payloads.js';

export interface RealtimeBenchResult {
  messages: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
}

export async function runRealtimeBench(count = 200): Promise<RealtimeBenchResult> {
  const broker = await startFakeInstagramMqtt({ sessionid: 'bench', userId: '1098765432' });
  const session = await makeRealtimeSession({ sessionid: 'bench', userId: '1098765432' });
  const receiver = new RealtimeReceiver({
    fetchIrisSnapshot: async () => ({ seqId: 1, snapshotAtMs: Date.now() }),
    env: { IGTG_INSTAGRAM_REALTIME_URL: broker.url },
    extraCa: broker.caPem,
  });
  let arrived: (() => void) | null = null;
  let connected: (() => void) | null = null;
  const up = new Promise<void>((resolve) => (connected = resolve));
  receiver.start(session, {
    onItem: () => arrived?.(),
    onState: (state) => {
      if (state.connected) connected?.();
    },
  });
  const latencies: number[] = [];
  try {
    await up;
    for (let i = 0; i < count; i++) {
      const got = new Promise<void>((resolve) => (arrived = resolve));
      const started = performance.now();
      broker.publishItem(
        '340282366841710300949128210682725503544',
        textItem(String(10_000 + i), '1234567890', `bench ${i}`),
      );
      await got;
      latencies.push(performance.now() - started);
    }
  } finally {
    await receiver.stop();
    await broker.close();
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return {
    messages: count,
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    maxMs: round(sorted.at(-1) ?? 0),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runRealtimeBench();
  console.log(
    `realtime publish → onItem over ${result.messages} messages: p50 ${result.p50Ms} ms, p95 ${result.p95Ms} ms, max ${result.maxMs} ms`,
  );
}

// Bridge benchmark: per-message overhead of Instagram → Telegram forwarding through the real
// SQLite store and outbox (network ports in memory, no pauses), and RSS after 10,000 messages.
//   node --import tsx bench/bridge-bench.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Bridge } from '../src/bridge/core/bridge.js';
import { memoryOptions } from '../src/bridge/core/options.js';
import type { InstagramPort, TelegramPort } from '../src/bridge/ports.js';
import type { Message } from '../src/core/model.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';

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
      const threadsToWrite = threadIds.map((id) => ({
        id,
        title: `Thread ${id}`,
        isGroup: false,
        isRequest: false,
        participants: [],
        lastActivityAt: null,
        source: 'api' as const,
        archiveFolder: null,
      }));
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
      pending.push({
        id: `item${j}`,
        threadId: `t${j % threads}`,
        senderId: '1',
        senderName: 'bench',
        sentAt: 1_700_000_000_000 + j,
        kind: 'text',
        text: `message ${j} ${'x'.repeat(80)}`,
        media: [],
        share: null,
        replyTo: null,
        reactions: [],
        unsent: false,
        fromMe: false,
        source: 'api',
        clientContext: null,
        raw: null,
      });
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
}

// Sync throughput: items/s syncing 200 threads × 500 items from the fake Instagram with pauses
// set to 0, through the real adapter (instagram-private-api) into a fresh SQLite store.
//   node --import tsx bench/sync-bench.ts [threads] [items]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectInstagram, connectLoggedIn } from '../src/instagram/connect.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { runSync } from '../src/sync/sync-engine.js';
import { MemorySecrets } from '../test/fakes/instagram/memory-secrets.js';
import { startFakeInstagram } from '../test/fakes/instagram/server.js';

export interface SyncBenchResult {
  items: number;
  requests: number;
  seconds: number;
  itemsPerSecond: number;
}

export async function runSyncBench(threads = 200, items = 500): Promise<SyncBenchResult> {
  const fake = await startFakeInstagram({ seed: { threads, items, pending: Math.min(10, threads) } });
  const dir = mkdtempSync(join(tmpdir(), 'igtg-sync-bench-'));
  const store = await openSqliteStore(join(dir, 'igtg.db'));
  const secrets = new MemorySecrets();
  const env = { IGTG_INSTAGRAM_API_URL: fake.url, IGTG_SYNC_PAUSE_MS: '0' };
  const settings = { get: () => undefined };
  try {
    const login = await connectInstagram({ env, settings, secrets });
    await login.client.login(fake.state.viewer.username, fake.state.password);
    await login.close();
    const connection = await connectLoggedIn({ env, settings, secrets });
    const started = process.hrtime.bigint();
    const summary = await runSync({ client: connection.client, store, requests: () => connection.gate.requests });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    await connection.close();
    if (summary.messages_added !== threads * items) {
      throw new Error(`sync stored ${summary.messages_added} items, expected ${threads * items}`);
    }
    const result = {
      items: summary.messages_added,
      requests: summary.requests,
      seconds,
      itemsPerSecond: summary.messages_added / seconds,
    };
    console.log(
      `sync ${threads} threads × ${items} items from the fake (pauses 0): ${Math.round(result.itemsPerSecond)} items/s ` +
        `(${result.items} items, ${result.requests} requests, ${seconds.toFixed(1)} s)`,
    );
    return result;
  } finally {
    await store.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === import.meta.filename) {
  const [threads, items] = process.argv.slice(2).map(Number);
  await runSyncBench(threads || undefined, items || undefined);
}

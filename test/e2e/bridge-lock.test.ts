// The bridge's profile lock, lost while the bridge is still starting (its lock folder removed while
// Telegram is slow to answer): the bridge must not go on as if it held it, nor ignore SIGTERM.
import { existsSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { bridgeWorld, type BridgeWorld } from '../helpers/bridge-world.js';

let world: BridgeWorld | null = null;
let proxy: http.Server | null = null;
afterEach(async () => {
  proxy?.close();
  await world?.close();
  world = proxy = null;
});

/** Forwards to the fake Bot API, holding the first getMe back for `delayMs`. */
async function slowGetMe(target: URL, delayMs: number): Promise<string> {
  let held = false;
  proxy = http.createServer((req, res) => {
    const forward = () => {
      const upstream = http.request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      req.pipe(upstream);
    };
    if (!held && req.url?.includes('/getMe')) {
      held = true;
      setTimeout(forward, delayMs);
    } else forward();
  });
  await new Promise<void>((resolve) => proxy!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}

describe('the bridge profile lock', () => {
  it('stops on its own when the lock is lost during start-up', async () => {
    world = await bridgeWorld();
    const url = await slowGetMe(new URL(world.tg.url), 3_000);
    const daemon = world.start(['--no-realtime'], { IGTG_TELEGRAM_API_URL: url });
    const state = join(world.home, 'profiles', 'default', 'state');
    // bridge.pid is written once the lock is taken: removing the lock folder sooner could beat the
    // lock library's own check of it and fail the start instead.
    while (!existsSync(join(state, 'bridge.pid'))) await sleep(20);
    rmSync(join(state, 'bridge.lock.lock'), { recursive: true, force: true });
    const result = await daemon;
    expect(result.exitCode).toBe(0);
    const logs = String(result.stdout);
    expect(logs).toContain('bridge lock lost; stopping');
    expect(logs).not.toContain('bridge started');
  }, 60_000);
});

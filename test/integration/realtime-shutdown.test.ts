// A receiver in a child process trusts the test CA through NODE_EXTRA_CA_CERTS, receives an item,
// stops, and the process then exits on its own: nothing (socket, timer) is left running.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeInstagramMqtt, type FakeInstagramMqtt } from '../fakes/instagram-mqtt/broker.js';
import { makeRealtimeSession } from '../fakes/instagram-mqtt/session.js';
import { textItem } from '../fakes/instagram-mqtt/sync-payloads.js';

let broker: FakeInstagramMqtt;

beforeAll(async () => {
  broker = await startFakeInstagramMqtt({ sessionid: 'child-session', userId: '1098765432' });
});

afterAll(async () => {
  await broker.close();
});

it('exits by itself after stop(), with the CA trusted through NODE_EXTRA_CA_CERTS', { timeout: 120_000 }, async () => {
  const session = await makeRealtimeSession({ sessionid: 'child-session', userId: '1098765432' });
  const script = fileURLToPath(new URL('../fakes/instagram-mqtt/child-receiver.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: {
      ...process.env,
      NODE_EXTRA_CA_CERTS: broker.caFile,
      IGTG_INSTAGRAM_REALTIME_URL: broker.url,
      REALTIME_TEST_SESSION: session,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let published = false;
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (!published && output.includes('connected\n')) {
      published = true;
      broker.publishItem('340282366841710300949128210682725503544', textItem('9', '1234567890', 'hello child'));
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const code = await new Promise<number | null>((resolve) => {
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(null);
    }, 100_000);
    child.on('exit', (exitCode) => {
      clearTimeout(deadline);
      resolve(exitCode);
    });
  });
  expect(output).toContain('item hello child');
  expect(output).toContain('stopped rejections=0');
  expect(code, `the child did not exit by itself:\n${output}`).toBe(0);
  expect(broker.state.clientDisconnects).toBe(1);
});

// Failures through the adapter: each Bot API answer lands in the right igtg error class, the
// library never retries behind igtg's back, and a 429's retry_after holds the next call.
import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BotApiTelegramClient } from '../../src/telegram/bot-api-client.js';
import { systemClock } from '../../src/core/clock.js';
import {
  TelegramBlocked,
  TelegramPermanent,
  TelegramRateLimited,
  TelegramTransient,
  TelegramUnauthorized,
} from '../../src/telegram/errors.js';
import { PacedTelegramClient } from '../../src/telegram/paced-client.js';
import { Pacer } from '../../src/telegram/pacer.js';
import { startFakeTelegram, tgErrors, type FakeTelegram } from '../fakes/telegram/index.js';

let fake: FakeTelegram;
let client: BotApiTelegramClient;
let owner: number;

beforeEach(async () => {
  fake = await startFakeTelegram();
  client = new BotApiTelegramClient({ token: fake.token, apiUrl: fake.url, timeoutMs: 10_000 });
  owner = fake.state.owner.id;
});

afterEach(async () => {
  await fake.close();
});

function sends(method = 'sendMessage') {
  return fake.calls.filter((c) => c.method === method);
}

describe('rate limits', () => {
  it('obeys retry_after: the next call to the chat waits for it', async () => {
    const paced = new PacedTelegramClient(client, new Pacer(systemClock));
    fake.state.failNext('sendMessage', tgErrors.flood(1));
    const error = await paced.sendText(owner, 'first try').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TelegramRateLimited);
    expect((error as TelegramRateLimited).retryAfterMs).toBe(1000);

    await paced.sendText(owner, 'second try');
    const [first, second] = sends();
    expect(sends()).toHaveLength(2);
    expect(first!.status).toBe(429);
    expect(second!.ok).toBe(true);
    expect(second!.time).toBeGreaterThanOrEqual(first!.time + 1000);
  });

  it('paces sends so a server enforcing one a second never answers 429', async () => {
    fake.state.rateLimits = { perChatIntervalMs: 1000 };
    const paced = new PacedTelegramClient(client, new Pacer(systemClock));
    await paced.sendText(owner, 'one');
    await paced.sendText(owner, 'two');
    expect(sends().map((c) => c.status)).toEqual([200, 200]);

    // Without pacing the same server refuses the burst.
    const error = await client.sendText(owner, 'three').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TelegramRateLimited);
  });
});

describe('error classification', () => {
  it('reports a user who blocked the bot as Blocked', async () => {
    fake.state.blockBot(owner);
    const error = await client.sendText(owner, 'hello').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TelegramBlocked);
    expect((error as TelegramBlocked).description).toBe('Forbidden: bot was blocked by the user');
    expect((error as TelegramBlocked).retryable).toBe(false);
  });

  it('reports text past 4096 and captions past 1024 as Permanent', async () => {
    await expect(client.sendText(owner, 'x'.repeat(4097))).rejects.toMatchObject({
      constructor: TelegramPermanent,
      description: 'Bad Request: message is too long',
    });
    await expect(client.sendText(owner, `<b>${'x'.repeat(4096)}</b>`, { parseMode: 'HTML' })).resolves.toBeTruthy();
    await expect(client.sendMedia(owner, 'photo', Buffer.from('x'), 'c'.repeat(1025))).rejects.toMatchObject({
      description: 'Bad Request: message caption is too long',
    });
    await expect(client.sendText(owner, '<b>unclosed', { parseMode: 'HTML' })).rejects.toBeInstanceOf(
      TelegramPermanent,
    );
  });

  it('reports editing a missing message as Permanent', async () => {
    await expect(client.editText(owner, 999, 'x')).rejects.toMatchObject({
      constructor: TelegramPermanent,
      description: 'Bad Request: message to edit not found',
    });
  });

  it('reports a wrong token as Unauthorized without showing it', async () => {
    const wrong = new BotApiTelegramClient({ token: '123:wrong-secret', apiUrl: fake.url });
    const error = await wrong.getMe().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TelegramUnauthorized);
    expect(String((error as Error).message)).not.toContain('wrong-secret');
  });

  it('reports server errors once, as Transient: the library does not retry', async () => {
    fake.state.failNext('sendMessage', tgErrors.internal());
    await expect(client.sendText(owner, 'x')).rejects.toBeInstanceOf(TelegramTransient);
    fake.state.failNext('sendMessage', tgErrors.flood(30));
    await expect(client.sendText(owner, 'x')).rejects.toBeInstanceOf(TelegramRateLimited);
    expect(sends().map((c) => c.status)).toEqual([500, 429]);
  });

  it('reports a dropped connection and an unreachable server as Transient', async () => {
    fake.state.failNext('getMe', 'disconnect');
    await expect(client.getMe()).rejects.toBeInstanceOf(TelegramTransient);
    const port = await closedPort();
    const offline = new BotApiTelegramClient({ token: fake.token, apiUrl: `http://127.0.0.1:${port}` });
    await expect(offline.getMe()).rejects.toBeInstanceOf(TelegramTransient);
    await expect(offline.downloadFile('x')).rejects.toBeInstanceOf(TelegramTransient);
  });

  it('reports a poll terminated by a newer one as a Transient 409', async () => {
    const older = client.getUpdates(null, 30).catch((e: unknown) => e);
    for (let i = 0; i < 500 && !fake.calls.some((c) => c.method === 'getUpdates'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await client.getUpdates(null, 0);
    const error = await older;
    expect(error).toBeInstanceOf(TelegramTransient);
    expect((error as TelegramTransient).errorCode).toBe(409);
  });
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

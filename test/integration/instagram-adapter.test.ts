// The real instagram-private-api, through igtg's adapter, against the fake Instagram server.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectInstagram, connectLoggedIn, type InstagramConnection } from '../../src/instagram/connect.js';
import {
  BadCodeError,
  BadPasswordError,
  FeedbackRequiredError,
  InstagramNetworkError,
  InvalidUserError,
  LoginRequiredError,
  RateLimitedError,
} from '../../src/instagram/errors.js';
import { InstagramSecrets } from '../../src/instagram/secret-names.js';
import { MemorySecrets } from '../fakes/instagram/memory-secrets.js';
import { startFakeInstagram, type FakeInstagram } from '../fakes/instagram/server.js';

let fake: FakeInstagram;
let secrets: MemorySecrets;
const settings = { get: () => undefined };

function env(extra: Record<string, string> = {}) {
  return { IGTG_INSTAGRAM_API_URL: fake.url, IGTG_SYNC_PAUSE_MS: '0', IGTG_BACKOFF_BASE_MS: '1', ...extra };
}

async function connect(extra: Record<string, string> = {}): Promise<InstagramConnection> {
  return connectInstagram({ env: env(extra), settings, secrets });
}

async function loggedIn(): Promise<InstagramConnection> {
  const first = await connect();
  const outcome = await first.client.login('alex.kim', 'correct horse');
  expect(outcome.status).toBe('ok');
  await first.close();
  return connectLoggedIn({ env: env(), settings, secrets });
}

beforeEach(async () => {
  fake = await startFakeInstagram({ seed: { threads: 3, items: 25, pending: 1 } });
  secrets = new MemorySecrets();
});

afterEach(async () => {
  await fake.close();
});

describe('password login', () => {
  it('encrypts the password, keeps the session and the device', async () => {
    const connection = await connect();
    const outcome = await connection.client.login('alex.kim', 'correct horse');
    await connection.close();
    expect(outcome).toMatchObject({
      status: 'ok',
      user: { id: '1098765432', username: 'alex.kim', fullName: 'Alex Kim' },
    });
    expect(fake.requests.map((request) => request.path)).toEqual(['/api/v1/qe/sync/', '/api/v1/accounts/login/']);
    const session = await secrets.get(InstagramSecrets.session);
    expect(session).toContain('sessionid');
    expect(session).not.toContain('EXPERIMENTS');
    const device = JSON.parse((await secrets.get(InstagramSecrets.device))!) as { deviceId: string };
    expect(device.deviceId).toMatch(/^android-[0-9a-f]{16}$/);
    expect(fake.requests[1]!.form.device_id).toBe(device.deviceId);
  });

  it('classifies a wrong password, an unknown user and please-wait (no retry at login)', async () => {
    const connection = await connectInstagram({ env: env(), settings, secrets, pacing: { rateLimitRetries: 0 } });
    await expect(connection.client.login('alex.kim', 'wrong')).rejects.toBeInstanceOf(BadPasswordError);
    await expect(connection.client.login('nobody.here', 'correct horse')).rejects.toBeInstanceOf(InvalidUserError);
    fake.state.failNextLogin('please_wait');
    await expect(connection.client.login('alex.kim', 'correct horse')).rejects.toBeInstanceOf(RateLimitedError);
  });

  it('finishes a two-factor login in a second client from the pending state', async () => {
    fake.state.failNextLogin('two_factor');
    const first = await connect();
    const outcome = await first.client.login('alex.kim', 'correct horse');
    expect(outcome.status).toBe('needs_code');
    if (outcome.status !== 'needs_code') return;
    expect(outcome.pending.request).toMatchObject({ kind: 'two_factor', canResend: true });
    expect(JSON.stringify(outcome.pending)).not.toContain('correct horse');
    const resent = await first.client.resendCode(outcome.pending);
    expect(fake.state.codesSent).toBe(2);

    const second = await connect();
    await expect(second.client.submitCode(resent, '000000')).rejects.toBeInstanceOf(BadCodeError);
    const done = await second.client.submitCode(resent, '123 456');
    await second.close();
    expect(done).toMatchObject({ status: 'ok', user: { username: 'alex.kim' } });
    expect(await secrets.get(InstagramSecrets.session)).toContain('sessionid');
  });

  it('walks a challenge: choose a method, then the code', async () => {
    fake.state.failNextLogin('challenge');
    const connection = await connect();
    const outcome = await connection.client.login('alex.kim', 'correct horse');
    if (outcome.status !== 'needs_code') throw new Error('expected a challenge');
    expect(outcome.pending.request).toMatchObject({ kind: 'challenge', method: null });
    const chosen = await connection.client.chooseChallengeMethod(outcome.pending, 'email');
    expect(chosen.request).toMatchObject({ kind: 'challenge', method: 'email', destination: 'a***m@e*****e.com' });
    const done = await connection.client.submitCode(chosen, '123456');
    expect(done.status).toBe('ok');
  });
});

describe('logged-in requests', () => {
  it('reads inbox, pending inbox and thread pages with cursors', async () => {
    const connection = await loggedIn();
    const inbox = await connection.client.inboxPage(null);
    expect(inbox.threads).toHaveLength(2);
    expect(inbox.viewer?.id).toBe('1098765432');
    const pending = await connection.client.pendingInboxPage(null);
    expect(pending.threads).toHaveLength(1);
    expect(pending.threads[0]!.thread.isRequest).toBe(true);

    const threadId = inbox.threads[0]!.thread.id;
    const first = await connection.client.threadPage(threadId, null);
    expect(first.items).toHaveLength(20);
    expect(first.olderCursor).not.toBeNull();
    const second = await connection.client.threadPage(threadId, first.olderCursor);
    expect(second.items).toHaveLength(5);
    expect(second.olderCursor).toBeNull();
    const ids = [...first.items, ...second.items].map((item) => item.id);
    expect(ids).toEqual(fake.state.threads.get(threadId)!.items.map((item) => item.item_id));
    expect(first.items.some((item) => item.fromMe)).toBe(true);
  });

  it('sends text and photos with their client_context and downloads media the fake serves', async () => {
    const connection = await loggedIn();
    const [thread] = fake.state.threads.values();
    const sent = await connection.client.sendText(thread!.thread_id, 'hello there', 'ctx-123');
    expect(sent).toMatchObject({ threadId: thread!.thread_id, clientContext: 'ctx-123' });
    expect(thread!.items[0]!.text).toBe('hello there');
    const photo = await connection.client.sendPhoto(
      thread!.thread_id,
      Buffer.from([0xff, 0xd8, 0xff, 0xd9]),
      'ctx-456',
    );
    expect(photo.clientContext).toBe('ctx-456');
    expect(thread!.items[0]!.item_type).toBe('media');
    expect(fake.requests.some((request) => request.path.startsWith('/rupload_igphoto/'))).toBe(true);
    const bytes = await connection.client.downloadMedia(`${fake.url}/fake-media/x.jpg`);
    expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
  });

  it('survives 429s and 5xx with backoff, retries login_required once, stops on feedback_required', async () => {
    const connection = await loggedIn();
    fake.state.failNext(3, '429');
    fake.state.failNext(1, '429_html');
    fake.state.failNext(1, '503');
    await connection.client.inboxPage(null);
    expect(fake.count(/direct_v2\/inbox/)).toBe(6);

    fake.state.failNext(1, 'login_required');
    await connection.client.inboxPage(null);
    fake.state.failNext(2, 'login_required');
    await expect(connection.client.inboxPage(null)).rejects.toBeInstanceOf(LoginRequiredError);

    fake.state.failNext(1, 'feedback_required');
    await expect(connection.client.inboxPage(null)).rejects.toBeInstanceOf(FeedbackRequiredError);
  });

  it('logs in with browser cookies verified by one request', async () => {
    const sessionid = fake.state.newSession();
    const connection = await connect();
    const user = await connection.client.loginWithCookies({ sessionid });
    await connection.close();
    expect(user.username).toBe('alex.kim');
    expect(fake.requests.map((request) => request.path)).toEqual(['/api/v1/accounts/current_user/']);
    expect(await secrets.get(InstagramSecrets.session)).toContain(sessionid);
  });

  it('tells a profile never logged in from one whose login waits for its code', async () => {
    await expect(connectLoggedIn({ env: env(), settings, secrets })).rejects.toThrow(
      'not logged in to Instagram; run `igtg login` first',
    );
    const pending = { version: 1, username: 'alex.kim', data: {}, session: '', createdAt: Date.now() };
    await secrets.set(InstagramSecrets.pendingLogin, JSON.stringify(pending));
    await expect(connectLoggedIn({ env: env(), settings, secrets })).rejects.toThrow(
      'not logged in to Instagram yet: a login waits for its security code; finish it with `igtg login --code CODE`',
    );
    // One that waited over an hour is no login waiting: `igtg login --code` refuses it.
    await secrets.set(InstagramSecrets.pendingLogin, JSON.stringify({ ...pending, createdAt: Date.now() - 7_200_000 }));
    await expect(connectLoggedIn({ env: env(), settings, secrets })).rejects.toThrow(
      'not logged in to Instagram; run `igtg login` first',
    );
  });

  it('reports an unreachable server as a network error without details', async () => {
    const connection = await connect({ IGTG_INSTAGRAM_API_URL: 'http://127.0.0.1:9' });
    const error = await connection.client.login('alex.kim', 'correct horse').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InstagramNetworkError);
    expect((error as Error).message).toBe(
      'cannot reach Instagram at 127.0.0.1:9 (ECONNREFUSED); check the connection or the proxy',
    );
  });
});

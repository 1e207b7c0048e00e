// The ink login flow with the real LoginService and instagram-private-api against the fake:
// two-factor (with a resend) and a challenge, typed like a person at a terminal.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LoginService } from '../../src/cli/login-flow/login-service.js';
import { connectInstagram, type InstagramConnection } from '../../src/instagram/connect.js';
import { InstagramSecrets } from '../../src/instagram/secret-names.js';
import { ARROW_DOWN, ENTER, TAB, startLoginApp, type LoginDriver } from '../fakes/instagram/ink-driver.js';
import { MemorySecrets } from '../fakes/instagram/memory-secrets.js';
import { startFakeInstagram, type FakeInstagram } from '../fakes/instagram/server.js';

let fake: FakeInstagram;
let secrets: MemorySecrets;
let connection: InstagramConnection;
let app: LoginDriver | null = null;

beforeEach(async () => {
  fake = await startFakeInstagram();
  secrets = new MemorySecrets();
  connection = await connectInstagram({
    env: { IGTG_INSTAGRAM_API_URL: fake.url, IGTG_SYNC_PAUSE_MS: '0' },
    settings: { get: () => undefined },
    secrets,
    pacing: { rateLimitRetries: 0 },
  });
});

afterEach(async () => {
  await app?.unmount();
  app = null;
  await connection.close();
  await fake.close();
});

describe('igtg login on a terminal', () => {
  it('finishes a two-factor login, with a resend', async () => {
    fake.state.failNextLogin('two_factor');
    app = await startLoginApp(new LoginService(connection.client, secrets));
    await app.until('Username:');
    await app.type('alex.kim');
    await app.press(ENTER);
    await app.until('Password:');
    await app.type('correct horse');
    await app.press(ENTER);
    await app.until('Instagram sent a two-factor code by SMS to the number ending in 3231');
    await app.press(TAB);
    await app.until('A new code is on its way');
    expect(fake.state.codesSent).toBe(2);
    await app.type('123456');
    await app.press(ENTER);
    await app.until('Logged in as alex.kim');
    await connection.close();
    expect(await secrets.get(InstagramSecrets.session)).toContain('sessionid');
    expect(await secrets.get(InstagramSecrets.pendingLogin)).toBeNull();
  });

  it('finishes a challenge sent by SMS', async () => {
    fake.state.failNextLogin('challenge');
    app = await startLoginApp(new LoginService(connection.client, secrets), 'alex.kim');
    await app.until('Password:');
    await app.type('correct horse');
    await app.press(ENTER);
    await app.until('❯ SMS to +1 ***-***-**31');
    await app.press(ARROW_DOWN);
    await app.until('❯ email to a***m@e*****e.com');
    await app.press('s');
    await app.until('Instagram sent a security code to +1 ***-***-**31');
    await app.type('123456');
    await app.press(ENTER);
    await app.until('Logged in as alex.kim');
    expect(
      fake.requests.filter((request) => request.form.choice !== undefined).map((request) => request.form.choice),
    ).toEqual(['0']);
  });
});

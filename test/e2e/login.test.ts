// `igtg login` / `igtg logout` through the built binary against the fake Instagram (build first).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runIgtg, tempHome } from '../helpers/cli.js';
import { startFakeInstagram, type FakeInstagram } from '../fakes/instagram/server.js';

let fake: FakeInstagram;
let home: string;
let cleanup: () => void;

function igtg(args: string[], options: { input?: string; env?: Record<string, string> } = {}) {
  return runIgtg(args, {
    home,
    input: options.input,
    env: { IGTG_INSTAGRAM_API_URL: fake.url, IGTG_SYNC_PAUSE_MS: '0', ...options.env },
  });
}

function secretsFile(): string {
  try {
    return readFileSync(join(home, 'profiles', 'default', 'secrets.json'), 'utf8');
  } catch {
    return '';
  }
}

beforeEach(async () => {
  fake = await startFakeInstagram({ seed: { threads: 2, items: 3, pending: 0 } });
  ({ home, cleanup } = tempHome('igtg-login-'));
});

afterEach(async () => {
  await fake.close();
  cleanup();
});

describe('igtg login without a terminal', () => {
  it('forgets a login that waited over an hour for its code, in status and sync too', async () => {
    fake.state.failNextLogin('two_factor');
    const first = await igtg(['login'], { env: { IGTG_IG_USERNAME: 'alex.kim', IGTG_IG_PASSWORD: 'correct horse' } });
    expect(first.exitCode).toBe(3);
    const file = join(home, 'profiles', 'default', 'secrets.json');
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { secrets: Record<string, string> };
    const pending = JSON.parse(stored.secrets['instagram.pending_login']!) as { createdAt: number };
    pending.createdAt -= 2 * 60 * 60_000;
    stored.secrets['instagram.pending_login'] = JSON.stringify(pending);
    writeFileSync(file, JSON.stringify(stored));

    const status = await igtg(['status', '--json']);
    expect(JSON.parse(String(status.stdout)).instagram).toMatchObject({ logged_in: false, pending_login: false });
    expect(String((await igtg(['status'])).stdout)).toMatch(/instagram +not logged in \(igtg login\)/);
    const sync = await igtg(['sync']);
    expect([sync.exitCode, sync.stderr]).toEqual([1, 'error: not logged in to Instagram; run `igtg login` first']);
    const code = await igtg(['login', '--code', '123456']);
    expect([code.exitCode, code.stderr]).toEqual([
      1,
      'error: the pending Instagram login expired; run `igtg login` again',
    ]);
  }, 180_000);

  it('logs in with --password-stdin and keeps only the session', async () => {
    const result = await igtg(['login', '--username', 'alex.kim', '--password-stdin'], { input: 'correct horse\n' });
    expect(result.exitCode).toBe(0);
    expect(String(result.stdout)).toContain('Logged in to Instagram as alex.kim');
    const secrets = secretsFile();
    expect(secrets).toContain('instagram.session');
    expect(secrets).not.toContain('correct horse');
  }, 180_000);

  it('exits 3 on two-factor and finishes with --code in a second process', async () => {
    fake.state.failNextLogin('two_factor');
    const first = await igtg(['login'], { env: { IGTG_IG_USERNAME: 'alex.kim', IGTG_IG_PASSWORD: 'correct horse' } });
    expect(first.exitCode).toBe(3);
    expect(String(first.stderr)).toContain(
      'Instagram sent a two-factor code by SMS to the number ending in 3231; finish with: igtg login --code CODE',
    );
    expect(secretsFile()).not.toContain('correct horse');

    const waiting = await igtg(['status']);
    expect(String(waiting.stdout)).toMatch(/instagram +login waiting for a code \(igtg login --code …\)/);

    const wrong = await igtg(['login', '--code', '654321']);
    expect(wrong.exitCode).toBe(1);
    expect(String(wrong.stderr)).toContain('did not accept that code');

    const second = await igtg(['login', '--code', '123456', '--json']);
    expect(second.exitCode).toBe(0);
    expect(JSON.parse(String(second.stdout))).toMatchObject({
      logged_in: true,
      username: 'alex.kim',
      user_id: '1098765432',
    });
    expect(secretsFile()).not.toContain('instagram.pending_login');
    const status = await igtg(['status', '--json']);
    expect(JSON.parse(String(status.stdout)).instagram).toEqual({
      logged_in: true,
      username: 'alex.kim',
      session_refused: false,
      pending_login: false,
    });
    const again = await igtg(['login', '--code', '123456']);
    expect(again.exitCode).toBe(1);
    expect(String(again.stderr)).toContain('no login is waiting for a code');
  }, 180_000);

  it('exits 3 on a challenge, sends the code by the chosen method, then --code finishes', async () => {
    fake.state.failNextLogin('challenge');
    const first = await igtg(
      ['--profile', 'work', 'login', '-u', 'alex.kim', '--password-stdin', '--method', 'email'],
      { input: 'correct horse' },
    );
    expect(first.exitCode).toBe(3);
    expect(String(first.stderr)).toContain(
      'Instagram sent a security code to a***m@e*****e.com; finish with: igtg --profile work login --code CODE',
    );
    const challengeCalls = fake.requests.filter((request) => request.path.startsWith('/api/v1/challenge/'));
    expect(challengeCalls.map((request) => request.form.choice ?? request.method)).toEqual(['GET', '1']);

    const second = await igtg(['--profile', 'work', 'login', '--code', '123456']);
    expect(second.exitCode).toBe(0);
  }, 180_000);

  it('reports a wrong password and an unknown user in one line', async () => {
    const bad = await igtg(['login', '-u', 'alex.kim', '--password-stdin'], { input: 'nope' });
    expect(bad.exitCode).toBe(1);
    expect(String(bad.stderr).trim()).toBe(
      'error: Instagram rejected the password; if it is right, log in with your browser cookies instead (igtg login --cookies FILE)',
    );
    const unknown = await igtg(['login', '-u', 'someone.else', '--password-stdin'], { input: 'x' });
    expect(String(unknown.stderr)).toContain('Instagram knows no account with that username');
    const missing = await igtg(['login', '-u', 'alex.kim']);
    expect(missing.exitCode).toBe(2);
  }, 180_000);

  it('logs in with --sessionid and with a cURL cookies file, each verified by one request', async () => {
    const sessionid = fake.state.newSession();
    fake.requests.length = 0;
    const bySession = await igtg(['login', '--sessionid', sessionid]);
    expect(bySession.exitCode).toBe(0);
    expect(fake.requests.map((request) => request.path)).toEqual(['/api/v1/accounts/current_user/']);

    const file = join(home, 'cookies.txt');
    writeFileSync(
      file,
      `curl 'https://www.instagram.com/' -H 'cookie: csrftoken=abc; sessionid=${fake.state.newSession()}; mid=xyz'`,
    );
    const byCookies = await igtg(['login', '--cookies', file]);
    expect(byCookies.exitCode).toBe(0);
    const before = secretsFile();
    const rejected = await igtg(['login', '--sessionid', '1098765432%3Anotvalid%3A27']);
    expect([rejected.exitCode, rejected.stderr]).toEqual([
      1,
      'error: Instagram did not accept that session cookie (login_required): copy the sessionid again from a browser logged in to instagram.com',
    ]);
    // The rejected cookie did not replace the working session: sync still runs on it.
    expect(secretsFile()).toBe(before);
    expect((await igtg(['sync'])).exitCode).toBe(0);
  }, 180_000);

  it('status says when Instagram ended the stored session, until the next login', async () => {
    await igtg(['login', '-u', 'alex.kim', '--password-stdin'], { input: 'correct horse' });
    fake.state.sessions.clear(); // Instagram logged this device out: every request answers login_required.
    const sync = await igtg(['sync']);
    expect(sync.exitCode).toBe(1);
    expect(String(sync.stderr)).toContain('Instagram ended this session');
    const refused = JSON.parse(String((await igtg(['status', '--json'])).stdout)).instagram;
    expect(refused).toMatchObject({ logged_in: true, session_refused: true });
    expect(String((await igtg(['status'])).stdout)).toContain('but Instagram ended the session (igtg login)');

    await igtg(['login', '-u', 'alex.kim', '--password-stdin'], { input: 'correct horse' });
    const again = JSON.parse(String((await igtg(['status', '--json'])).stdout)).instagram;
    expect(again).toMatchObject({ logged_in: true, session_refused: false });
  }, 180_000);

  it('logout forgets the session; then sync asks for a login', async () => {
    await igtg(['login', '-u', 'alex.kim', '--password-stdin'], { input: 'correct horse' });
    const out = await igtg(['logout']);
    expect(out.exitCode).toBe(0);
    expect(secretsFile()).not.toContain('instagram.session');
    expect(secretsFile()).toContain('instagram.device');
    const sync = await igtg(['sync']);
    expect(sync.exitCode).toBe(1);
    expect(String(sync.stderr)).toContain('not logged in to Instagram; run `igtg login` first');
  }, 180_000);

  it('never lets DEBUG=ig:* print requests, cookies or passwords', async () => {
    const result = await igtg(['login', '-u', 'alex.kim', '--password-stdin', '--verbose'], {
      input: 'correct horse',
      env: { DEBUG: 'ig:*' },
    });
    expect(result.exitCode).toBe(0);
    expect(String(result.stderr)).not.toMatch(/ig:request|sessionid|correct horse/);
  }, 180_000);
});

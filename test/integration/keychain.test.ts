// The keychain backend against a real, headless Secret Service (gnome-keyring in a private D-Bus
// session), and the file fallback when no Secret Service answers. Uses the built module (dist/).
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const MODULE = join(ROOT, 'dist', 'secrets', 'secret-store.js');

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(join(dir, command)));
}

const missing = ['dbus-run-session', 'gnome-keyring-daemon'].filter((command) => !onPath(command));
const skipReason =
  process.platform !== 'linux'
    ? 'the headless Secret Service test runs on Linux only'
    : missing.length > 0
      ? `${missing.join(' and ')} not installed (apt-get install --no-install-recommends gnome-keyring dbus-daemon)`
      : '';
if (skipReason) console.warn(`skipping the Secret Service keychain test: ${skipReason}`);

// Runs inside the D-Bus session: opens the SecretStore as igtg does and reports what happened.
const SCRIPT = `
import { createRequire } from 'node:module';
const { Entry } = createRequire(import.meta.url)(process.env.KEYRING_MODULE);
const { openSecretStore } = await import(process.env.IGTG_MODULE);
const file = process.env.SECRETS_FILE;
const notices = [];
const store = await openSecretStore({ service: 'igtg', profile: 'p1', file, env: process.env, notice: (m) => notices.push(m) });
const report = { backend: store.backend, notices };
report.migrated = await store.get('legacy.token');
await store.set('instagram.session', 'session-value');
report.got = await store.get('instagram.session');
report.raw = new Entry('igtg', 'p1:instagram.session').getPassword();
report.names = await store.list();
await store.delete('instagram.session');
report.afterDelete = await store.get('instagram.session');
await store.set('telegram.token', 'token-value');
new Entry('igtg', 'p2:telegram.token').setPassword('other profile');
report.cleared = await store.clear();
report.namesAfterClear = await store.list();
report.otherProfile = new Entry('igtg', 'p2:telegram.token').getPassword();
process.stdout.write(JSON.stringify(report));
`;

let home: string;
let scriptFile: string;

beforeAll(() => {
  if (!existsSync(MODULE)) throw new Error(`${MODULE} is missing: run \`npm run build\` first`);
});

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'igtg-keychain-'));
  mkdirSync(join(home, 'run'), { mode: 0o700 });
  scriptFile = join(home, 'keychain-script.mjs');
  writeFileSync(scriptFile, SCRIPT);
});

afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

function baseEnv(extra: Record<string, string>): Record<string, string | undefined> {
  return {
    HOME: home,
    XDG_RUNTIME_DIR: join(home, 'run'),
    DBUS_SESSION_BUS_ADDRESS: undefined,
    DISPLAY: undefined,
    IGTG_SECRETS: undefined,
    IGTG_MODULE: pathToFileURL(MODULE).href,
    KEYRING_MODULE: createRequire(import.meta.url).resolve('@napi-rs/keyring'),
    SECRETS_FILE: join(home, 'profile', 'secrets.json'),
    ...extra,
  };
}

describe.skipIf(Boolean(skipReason))('keychain backend on a headless Secret Service', () => {
  async function inSecretService(env: Record<string, string> = {}) {
    const command = `echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec node "$SCRIPT_FILE"`;
    const result = await execa('dbus-run-session', ['--', 'sh', '-c', command], {
      env: baseEnv({ SCRIPT_FILE: scriptFile, ...env }),
      extendEnv: true,
      reject: false,
      timeout: 60_000,
    });
    if (result.exitCode !== 0) throw new Error(`keychain script failed (${result.exitCode}): ${result.stderr}`);
    return JSON.parse(result.stdout) as Record<string, unknown>;
  }

  it('stores, reads, lists, deletes and clears secrets in the keychain', async () => {
    const report = await inSecretService();
    expect(report).toMatchObject({
      backend: 'keychain',
      notices: [],
      got: 'session-value',
      raw: 'session-value',
      names: ['instagram.session'],
      afterDelete: null,
      cleared: 1,
      namesAfterClear: [],
      otherProfile: 'other profile',
    });
    expect(existsSync(join(home, 'profile', 'secrets.json'))).toBe(false);
  });

  it('refuses a locked keychain instead of quietly using the file', async () => {
    // Store a secret, lock the collection over D-Bus, then open the store again.
    const locked = join(home, 'locked-script.mjs');
    writeFileSync(
      locked,
      `const { openSecretStore } = await import(process.env.IGTG_MODULE);
const open = () => openSecretStore({ service: 'igtg', profile: 'p1', file: process.env.SECRETS_FILE, env: process.env, notice: () => {} });
const { execFileSync } = await import('node:child_process');
await (await open()).set('instagram.session', 'kept');
execFileSync('gdbus', ['call', '--session', '--dest', 'org.freedesktop.secrets', '--object-path', '/org/freedesktop/secrets',
  '--method', 'org.freedesktop.Secret.Service.Lock', "['/org/freedesktop/secrets/collection/login']"]);
try {
  const store = await open();
  process.stdout.write(JSON.stringify({ opened: store.backend }));
} catch (error) {
  process.stdout.write(JSON.stringify({ error: error.message }));
}`,
    );
    const result = await execa(
      'dbus-run-session',
      [
        '--',
        'sh',
        '-c',
        `echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec node "${locked}"`,
      ],
      { env: baseEnv({}), extendEnv: true, reject: false, timeout: 60_000 },
    );
    expect(JSON.parse(result.stdout)).toEqual({
      error:
        'the OS keychain is locked: unlock it (log in to the desktop, or `gnome-keyring-daemon --unlock`), ' +
        'or set IGTG_SECRETS=file to keep secrets in a file instead',
    });
    expect(existsSync(join(home, 'profile', 'secrets.json'))).toBe(false);
  });

  it('moves a secret kept in the file before a keychain existed into the keychain', async () => {
    mkdirSync(join(home, 'profile'), { mode: 0o700 });
    writeFileSync(
      join(home, 'profile', 'secrets.json'),
      JSON.stringify({ version: 1, secrets: { 'legacy.token': 'from-file' } }),
      { mode: 0o600 },
    );
    const report = await inSecretService({ IGTG_SECRETS: 'keychain' });
    expect(report).toMatchObject({ backend: 'keychain', migrated: 'from-file' });
  });
});

describe.skipIf(process.platform !== 'linux')('no Secret Service reachable', () => {
  it('uses the file backend, says so once, and keeps the file 0600', async () => {
    const fileResult = await execa(process.execPath, ['--input-type=module', '-e', FILE_ONLY_SCRIPT], {
      env: baseEnv({ DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(home, 'run', 'no-such-bus')}` }),
      extendEnv: true,
      reject: false,
      timeout: 60_000,
    });
    expect(fileResult.stderr).toBe('');
    const report = JSON.parse(fileResult.stdout) as { backend: string; notices: string[]; got: string };
    const file = join(home, 'profile', 'secrets.json');
    expect(report).toEqual({
      backend: 'file',
      notices: [expect.stringMatching(/^no OS keychain reachable \(.+\); secrets are kept in /)],
      got: 'session-value',
    });
    expect(report.notices[0]).toContain(`secrets are kept in ${file} (mode 0600)`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, 'profile')).mode & 0o777).toBe(0o700);
  });
});

const FILE_ONLY_SCRIPT = `
const { openSecretStore } = await import(process.env.IGTG_MODULE);
const notices = [];
const store = await openSecretStore({ service: 'igtg', profile: 'p1', file: process.env.SECRETS_FILE, env: process.env, notice: (m) => notices.push(m) });
await store.set('instagram.session', 'session-value');
process.stdout.write(JSON.stringify({ backend: store.backend, notices, got: await store.get('instagram.session') }));
`;

// Which backend openSecretStore picks. The real keychain is covered by test/integration/keychain.test.ts.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IgtgError, UsageError } from '../../src/core/errors.js';
import { sessionBusConceivable } from '../../src/secrets/keychain-probe.js';
import { openSecretStore, secretsMode, type SecretStoreOptions } from '../../src/secrets/secret-store.js';

let root: string;
let notices: string[];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'igtg-select-'));
  notices = [];
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

/** An environment without any way to reach a session bus. */
function noBusEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const name of ['DBUS_SESSION_BUS_ADDRESS', 'XDG_RUNTIME_DIR', 'DISPLAY', 'IGTG_SECRETS']) {
    if (!(name in extra)) delete env[name];
  }
  return env;
}

function options(env: NodeJS.ProcessEnv): SecretStoreOptions {
  return {
    service: 'igtg-test',
    profile: 'default',
    file: join(root, 'profile', 'secrets.json'),
    env,
    notice: (message) => notices.push(message),
    probeTimeoutMs: 1500,
  };
}

describe('secretsMode', () => {
  it('reads IGTG_SECRETS', () => {
    expect(secretsMode({})).toBe('auto');
    expect(secretsMode({ IGTG_SECRETS: 'File' })).toBe('file');
    expect(secretsMode({ IGTG_SECRETS: 'keychain' })).toBe('keychain');
    expect(() => secretsMode({ IGTG_SECRETS: 'vault' })).toThrow(UsageError);
  });
});

describe('sessionBusConceivable', () => {
  it('needs a bus address, a runtime bus socket or an X11 display', () => {
    expect(sessionBusConceivable({})).toBe(false);
    expect(sessionBusConceivable({ XDG_RUNTIME_DIR: root })).toBe(false);
    expect(sessionBusConceivable({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/x' })).toBe(true);
    expect(sessionBusConceivable({ DISPLAY: ':0' })).toBe(true);
  });
});

describe.skipIf(process.platform !== 'linux')('openSecretStore without a keychain', () => {
  it('IGTG_SECRETS=file uses the file quietly', async () => {
    const store = await openSecretStore(options(noBusEnv({ IGTG_SECRETS: 'file' })));
    expect(store.backend).toBe('file');
    expect(notices).toEqual([]);
  });

  it('falls back to the file with one notice when there is no bus', async () => {
    const store = await openSecretStore(options(noBusEnv()));
    expect(store.backend).toBe('file');
    expect(notices).toEqual([
      `no OS keychain reachable (no D-Bus session bus); secrets are kept in ${join(root, 'profile', 'secrets.json')} (mode 0600)`,
    ]);
    await store.set('telegram.token', 'secret-token');
    expect(statSync(join(root, 'profile', 'secrets.json')).mode & 0o777).toBe(0o600);
  });

  it('falls back when the bus address leads nowhere', async () => {
    const env = noBusEnv({ DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(root, 'no-bus')}` });
    const store = await openSecretStore(options(env));
    expect(store.backend).toBe('file');
    expect(notices).toHaveLength(1);
  });

  describe('with a bus that never answers', () => {
    let server: Server;
    let socket: string;
    const connections = new Set<Socket>();

    beforeEach(async () => {
      socket = join(root, 'silent-bus');
      // Accepts connections and never says a word, like a wedged D-Bus daemon.
      server = createServer((connection) => connections.add(connection));
      await new Promise<void>((resolve) => server.listen(socket, resolve));
    });

    afterEach(async () => {
      for (const connection of connections) connection.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('gives up on the keychain and uses the file', async () => {
      const store = await openSecretStore({
        ...options(noBusEnv({ DBUS_SESSION_BUS_ADDRESS: `unix:path=${socket}` })),
        probeTimeoutMs: 500,
      });
      expect(store.backend).toBe('file');
      expect(notices).toHaveLength(1);
    });
  });

  it('IGTG_SECRETS=keychain fails with one line instead of falling back', async () => {
    const error = await openSecretStore(options(noBusEnv({ IGTG_SECRETS: 'keychain' }))).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(IgtgError);
    expect((error as Error).message).toBe(
      'IGTG_SECRETS=keychain, but no OS keychain is reachable (no D-Bus session bus)',
    );
    expect(notices).toEqual([]);
  });
});

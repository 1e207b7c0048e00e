// Builds the Instagram client of a profile from its settings, environment and secrets: the
// adapter (loaded lazily: instagram-private-api is heavy), the request gate, the session keeper.
import { DEFAULT_INSTAGRAM_APP_VERSION, DEFAULT_INSTAGRAM_VERSION_CODE } from '../config/settings-schema.js';
import { IgtgError } from '../core/errors.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { InstagramClient } from './client.js';
import { parseDevice } from './device.js';
import { NotLoggedInError } from './errors.js';
import { RequestGate, pacingFromConfig, type PacingOptions } from './pacing.js';
import { pendingLoginState } from './pending-login-age.js';
import { InstagramSecrets } from './secret-names.js';
import { SessionKeeper } from './session-keeper.js';

export interface InstagramDeps {
  env: NodeJS.ProcessEnv;
  /** The profile's settings; `entry` tells a value the file holds but that is not valid. */
  settings: { get(key: string): unknown; entry?(key: string): { invalid: boolean }; readonly path?: string };
  secrets: SecretStore;
  /** --proxy, which wins over the instagram.proxy setting. */
  proxy?: string | null;
  pacing?: Partial<PacingOptions>;
}

export interface InstagramConnection {
  client: InstagramClient;
  gate: RequestGate;
  keeper: SessionKeeper;
  apiUrl: string;
  /** Waits for session saves still on their way to the SecretStore. */
  close(): Promise<void>;
}

function setting<T>(settings: InstagramDeps['settings'], key: string, fallback: T): T {
  try {
    const value = settings.get(key);
    return value === undefined || value === null || value === '' ? fallback : (value as T);
  } catch {
    return fallback;
  }
}

/**
 * --proxy, else the instagram.proxy setting. A proxy the config file names but that is not valid
 * stops the connection: going to Instagram directly instead would give away the address the owner
 * meant to hide (other invalid settings just fall back to their defaults).
 */
function proxyOf(deps: InstagramDeps): string | null {
  if (deps.proxy) return deps.proxy;
  if (deps.settings.entry?.('instagram.proxy').invalid) {
    throw new IgtgError(
      `config file ${deps.settings.path ?? ''}: instagram.proxy is not a valid proxy URL, and igtg does not connect without the proxy you set; fix it with igtg config set instagram.proxy URL (or unset it)`,
    );
  }
  return setting<string | null>(deps.settings, 'instagram.proxy', null);
}

export async function connectInstagram(deps: InstagramDeps): Promise<InstagramConnection> {
  const proxy = proxyOf(deps);
  const { PrivateApiClient } = await import('./adapter/private-api-client.js');
  const { DEFAULT_API_URL, normalizeApiUrl } = await import('./adapter/configure.js');
  const apiUrl = normalizeApiUrl(deps.env.IGTG_INSTAGRAM_API_URL?.trim() || DEFAULT_API_URL);
  const pacing = pacingFromConfig(deps.env, {
    pauseMinMs: setting(deps.settings, 'sync.pause_min_ms', 1000),
    pauseMaxMs: setting(deps.settings, 'sync.pause_max_ms', 3000),
  });
  const gate = new RequestGate({ ...pacing, ...deps.pacing });
  const keeper = new SessionKeeper(deps.secrets);
  const device = parseDevice(await deps.secrets.get(InstagramSecrets.device));
  const client = new PrivateApiClient({
    apiUrl,
    proxy,
    appVersion: setting(deps.settings, 'instagram.app_version', DEFAULT_INSTAGRAM_APP_VERSION),
    versionCode: setting(deps.settings, 'instagram.version_code', DEFAULT_INSTAGRAM_VERSION_CODE),
    userAgent: setting<string | null>(deps.settings, 'instagram.user_agent', null),
    deviceString: setting<string | null>(deps.settings, 'instagram.device', null),
    timeoutMs: 60_000,
    gate,
    device,
    onDeviceCreated: (created) => deps.secrets.set(InstagramSecrets.device, JSON.stringify(created)),
    onSessionChanged: keeper.save,
    onAnswered: keeper.markAccepted,
  });
  return {
    client,
    gate,
    keeper,
    apiUrl,
    close: async () => {
      await client.settled();
      await keeper.flush();
    },
  };
}

/**
 * The client of a logged-in profile: the stored session restored. A login_required is retried
 * once after reloading the stored session (another igtg process may have refreshed it); the
 * password is never used here.
 */
export async function connectLoggedIn(deps: InstagramDeps): Promise<InstagramConnection> {
  const connection = await connectInstagram(deps);
  const stored = await connection.keeper.resume();
  if (!stored) {
    const pending = pendingLoginState(await deps.secrets.get(InstagramSecrets.pendingLogin), Date.now());
    throw new NotLoggedInError(pending === 'waiting');
  }
  await connection.client.resumeSession(stored);
  connection.gate.onLoginRequired = async () => {
    const latest = await connection.keeper.resume();
    if (!latest) return false;
    await connection.client.resumeSession(latest);
    return true;
  };
  connection.gate.onSessionRefused = () => connection.keeper.markRefused();
  return connection;
}

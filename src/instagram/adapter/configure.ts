// Builds an IgApiClient that presents igtg's device and app version, sends every request to
// the configured API URL (IGTG_INSTAGRAM_API_URL) through the RequestGate, optionally via a proxy,
// with certificate checks on and a timeout.
import { UsageError } from '../../core/errors.js';
import { parseHttpUrl } from '../../core/http-url.js';
import type { RequestGate } from '../pacing.js';
import type { DeviceIdentity } from '../device.js';
import { IgApiClientClass, type IgApiClient } from './library.js';
import { toInstagramError } from './library-errors.js';

export interface ClientConfig {
  apiUrl: string;
  proxy: string | null;
  appVersion: string;
  versionCode: string;
  userAgent: string | null;
  /** A device string from the settings; overrides the generated device's. */
  deviceString: string | null;
  timeoutMs: number;
  gate: RequestGate;
  /** Told after each API request Instagram answered (media downloads do not count). */
  onAnswered?: () => void;
}

export const DEFAULT_API_URL = 'https://i.instagram.com';

/** The API base as the library wants it: scheme://host[:port]/ (a path prefix is kept). */
export function normalizeApiUrl(raw: string): string {
  const url = parseHttpUrl('IGTG_INSTAGRAM_API_URL', raw);
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/*$/, '/');
}

function checkProxy(proxy: string): string {
  let url: URL;
  try {
    url = new URL(proxy);
  } catch {
    throw new UsageError('the Instagram proxy is not a URL (expected http://host:port)');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`the Instagram adapter supports http:// and https:// proxies, not ${url.protocol}//`);
  }
  return proxy;
}

type SendOptions = Record<string, unknown> & { headers?: Record<string, unknown> };
type Send = (options: SendOptions, onlyCheckHttpStatus?: boolean) => Promise<unknown>;

export function applyDevice(ig: IgApiClient, device: DeviceIdentity, config: Pick<ClientConfig, 'deviceString'>): void {
  const state = ig.state as unknown as Record<string, unknown>;
  state.deviceString = config.deviceString ?? device.deviceString;
  state.deviceId = device.deviceId;
  state.uuid = device.uuid;
  state.phoneId = device.phoneId;
  state.adid = device.adid;
  state.build = device.build;
}

/** Re-applies what the settings decide (after a session restore replaced the state's fields). */
export function applyAppIdentity(ig: IgApiClient, config: ClientConfig): void {
  const state = ig.state as unknown as Record<string, unknown> & { constants: Record<string, unknown> };
  state.constants = {
    ...state.constants,
    APP_VERSION: config.appVersion,
    APP_VERSION_CODE: config.versionCode,
    HOST: config.apiUrl,
  };
  if (config.deviceString) state.deviceString = config.deviceString;
  if (config.userAgent) {
    const userAgent = config.userAgent;
    Object.defineProperty(ig.state, 'appUserAgent', { get: () => userAgent, configurable: true, enumerable: false });
  }
  if (config.proxy) (ig.state as { proxyUrl?: string }).proxyUrl = checkProxy(config.proxy);
}

export function createConfiguredClient(config: ClientConfig): IgApiClient {
  const ig = new IgApiClientClass();
  applyAppIdentity(ig, config);
  const host = new URL(config.apiUrl).host;
  const request = ig.request as unknown as { send: Send };
  const original = request.send.bind(ig.request);
  request.send = (options, onlyCheckHttpStatus) =>
    config.gate.run(
      async () => {
        const answer = await original(
          {
            ...options,
            baseUrl: config.apiUrl,
            timeout: config.timeoutMs,
            strictSSL: true,
            // One kept-alive connection instead of a new one per request: faster, and gentler.
            forever: true,
            headers: { ...options.headers, Host: host, Connection: 'keep-alive' },
          },
          onlyCheckHttpStatus,
        );
        config.onAnswered?.();
        return answer;
      },
      (error) => toInstagramError(error, config.apiUrl),
    );
  return ig;
}

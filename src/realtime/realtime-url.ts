// IGTG_INSTAGRAM_REALTIME_URL: where the realtime (MQTT over TLS) connection goes. Default is
// Instagram's own edge host on port 443; tests and gateways point it elsewhere. TLS is always on.
import { UsageError } from '../core/errors.js';

export interface RealtimeTarget {
  host: string;
  port: number;
}

export const DEFAULT_REALTIME_HOST = 'edge-mqtt.facebook.com';
export const DEFAULT_REALTIME_PORT = 443;
export const REALTIME_URL_ENV = 'IGTG_INSTAGRAM_REALTIME_URL';

/** `mqtts://host[:port]` (also `ssl://`, `tls://`); empty or undefined → Instagram's edge host. */
export function parseRealtimeUrl(raw: string | undefined | null): RealtimeTarget {
  const text = raw?.trim();
  if (!text) return { host: DEFAULT_REALTIME_HOST, port: DEFAULT_REALTIME_PORT };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${REALTIME_URL_ENV}: "${text.slice(0, 80)}" is not a URL (expected mqtts://host:port)`);
  }
  if (!['mqtts:', 'ssl:', 'tls:'].includes(url.protocol)) {
    throw new UsageError(`${REALTIME_URL_ENV} must be an mqtts:// URL (the connection is always TLS)`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) throw new UsageError(`${REALTIME_URL_ENV}: no host in "${text.slice(0, 80)}"`);
  const port = url.port ? Number(url.port) : DEFAULT_REALTIME_PORT;
  return { host, port };
}

export function realtimeTargetFromEnv(env: NodeJS.ProcessEnv): RealtimeTarget {
  return parseRealtimeUrl(env[REALTIME_URL_ENV]);
}

// The serialized session igtg keeps in the SecretStore: the library's state (cookies,
// authorization, device fields) without its constants (the settings decide those), plus who the
// viewer is. A fingerprint of the parts Instagram changes tells when it must be saved again.
import { IgtgError } from '../../core/errors.js';
import type { Viewer } from '../map-thread.js';
import type { IgApiClient } from './library.js';

interface SessionEnvelope {
  version: 1;
  state: Record<string, unknown>;
  viewer: Viewer;
}

export async function encodeSession(ig: IgApiClient, viewer: Viewer): Promise<string> {
  const state = (await ig.state.serialize()) as Record<string, unknown>;
  delete state.constants;
  delete state.proxyUrl;
  const envelope: SessionEnvelope = { version: 1, state, viewer };
  return JSON.stringify(envelope);
}

export class SessionFormatError extends IgtgError {
  constructor() {
    super('the saved Instagram session cannot be read; run `igtg login` again');
    this.name = 'SessionFormatError';
  }
}

export async function decodeSession(ig: IgApiClient, serialized: string): Promise<Viewer> {
  let envelope: SessionEnvelope;
  try {
    envelope = JSON.parse(serialized) as SessionEnvelope;
  } catch {
    throw new SessionFormatError();
  }
  if (envelope?.version !== 1 || !envelope.state || typeof envelope.state !== 'object') throw new SessionFormatError();
  const state = { ...envelope.state };
  delete state.constants;
  try {
    await ig.state.deserialize(state);
  } catch {
    // A damaged part of the state (e.g. its cookie list, stored as JSON text) is as unreadable.
    throw new SessionFormatError();
  }
  return envelope.viewer ?? { id: null, name: null };
}

/**
 * Which login a serialized session is: its sessionid cookie (or, for a token session, its
 * authorization); the whole text when neither can be read. Cookie refreshes keep it; a new login
 * changes it.
 */
export function sessionIdentity(serialized: string): string {
  try {
    const state = (JSON.parse(serialized) as SessionEnvelope).state as Record<string, unknown>;
    const jar = typeof state.cookies === 'string' ? JSON.parse(state.cookies) : state.cookies;
    const cookies = (jar as { cookies?: Array<{ key?: unknown; value?: unknown }> } | undefined)?.cookies ?? [];
    const sessionid = cookies.find((cookie) => cookie.key === 'sessionid')?.value;
    if (typeof sessionid === 'string' && sessionid) return `sessionid:${sessionid}`;
    if (typeof state.authorization === 'string' && state.authorization) return `authorization:${state.authorization}`;
  } catch {
    // Not readable: compared as a whole.
  }
  return serialized;
}

/** Cookie names, values and expiry plus the authorization header: what a login or refresh changes. */
export async function sessionFingerprint(ig: IgApiClient): Promise<string> {
  const jar = (await ig.state.serializeCookieJar()) as { cookies?: Array<Record<string, unknown>> };
  const cookies = (jar.cookies ?? [])
    .map(
      (cookie) =>
        `${String(cookie.key)}=${String(cookie.value)};${String(cookie.domain)};${String(cookie.expires ?? '')}`,
    )
    .sort();
  const authorization = (ig.state as unknown as { authorization?: string }).authorization ?? '';
  return `${cookies.join('|')}#${authorization}`;
}

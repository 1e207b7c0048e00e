// How the bridge's Instagram port reports Instagram's failures: which ones wait without using up a
// message's attempts (outages, a session waiting for the owner), which are final, which are waits.
import { describe, expect, it } from 'vitest';
import { ClientInstagramPort } from '../../src/bridge/adapters/instagram-port.js';
import type { InstagramClient } from '../../src/instagram/client.js';
import { InstagramError, type InstagramErrorKind } from '../../src/instagram/errors.js';

function portFailingWith(kind: InstagramErrorKind): ClientInstagramPort {
  const client = {
    sendText: () => Promise.reject(new InstagramError(kind, `instagram said ${kind}`)),
  } as unknown as InstagramClient;
  return new ClientInstagramPort(client, () => Promise.resolve({ requests: 0, addedMessageIds: [] }));
}

describe('ClientInstagramPort failures', () => {
  it.each<[InstagramErrorKind, Record<string, unknown>]>([
    ['network', { transient: true, permanent: false, retryAfterMs: null }],
    ['server_error', { transient: true, permanent: false, retryAfterMs: null }],
    ['challenge_required', { transient: true, permanent: false }],
    ['two_factor_required', { transient: true, permanent: false }],
    ['login_required', { transient: true, permanent: false }],
    ['rate_limited', { transient: false, retryAfterMs: 5 * 60_000 }],
    ['rejected', { transient: false, permanent: true }],
    ['feedback_required', { transient: false, permanent: true }],
  ])('%s', async (kind, expected) => {
    await expect(portFailingWith(kind).sendText('t1', 'hi', 'cc')).rejects.toMatchObject({
      name: 'DeliveryError',
      ...expected,
    });
  });

  it('reports a session that needs the owner as such, and its sends as waits', async () => {
    const port = portFailingWith('login_required');
    await expect(port.sendText('t1', 'a', 'cc1')).rejects.toMatchObject({ transient: true });
    await expect(port.sendText('t1', 'b', 'cc2')).rejects.toMatchObject({ transient: true });
    expect(port.sessionState()).toBe('logged_out');
  });
});

// How the bridge's Instagram port reports Instagram's failures: which ones wait without using up a
// message's attempts (outages, a session waiting for the owner), which are final, which are waits.
import { describe, expect, it } from 'vitest';
import { ClientInstagramPort } from '../../src/bridge/adapters/instagram-port.js';
import { BridgeInstagram } from '../../src/bridge/adapters/open-instagram.js';
import { silentLog } from '../../src/bridge/core/bridge.js';
import { statusText } from '../../src/bridge/core/commands/status.js';
import { ACTION_BLOCK_PAUSE_MS, ActionBlockedError } from '../../src/bridge/core/instagram-pause.js';
import { memoryOptions } from '../../src/bridge/core/options.js';
import type { InstagramConnection } from '../../src/instagram/connect.js';
import type { InstagramClient } from '../../src/instagram/client.js';
import { InstagramError, type InstagramErrorKind } from '../../src/instagram/errors.js';
import { ManualClock, tempStore } from './bridge-fakes.js';

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
    ['feedback_required', { transient: false, permanent: false, retryAfterMs: ACTION_BLOCK_PAUSE_MS }],
  ])('%s', async (kind, expected) => {
    await expect(portFailingWith(kind).sendText('t1', 'hi', 'cc')).rejects.toMatchObject({
      name: 'DeliveryError',
      ...expected,
    });
  });

  it('reports an action block as such: it pauses every send, not only this one', async () => {
    await expect(portFailingWith('feedback_required').sendText('t1', 'hi', 'cc')).rejects.toBeInstanceOf(
      ActionBlockedError,
    );
  });

  it('reports a session that needs the owner as such, and its sends as waits', async () => {
    const port = portFailingWith('login_required');
    await expect(port.sendText('t1', 'a', 'cc1')).rejects.toMatchObject({ transient: true });
    await expect(port.sendText('t1', 'b', 'cc2')).rejects.toMatchObject({ transient: true });
    expect(port.sessionState()).toBe('logged_out');
  });
});

describe('BridgeInstagram session state', () => {
  it('is unknown until the stored session was opened, and logged out only when there is none', async () => {
    const { store, cleanup } = await tempStore();
    try {
      let opened!: (connection: InstagramConnection | null) => void;
      const open = () => new Promise<InstagramConnection | null>((resolve) => (opened = resolve));
      const instagram = new BridgeInstagram(open, store, silentLog);
      const clock = new ManualClock();
      const status = () =>
        statusText({
          store,
          instagram,
          clock,
          options: memoryOptions(),
          controls: { startedAt: clock.now(), requestSync: () => undefined },
        });

      expect(instagram.sessionState()).toBe('unknown');
      expect(await status()).not.toContain('logged out');
      const poll = instagram.poll();
      expect(instagram.sessionState()).toBe('unknown');
      opened(null);
      await expect(poll).rejects.toThrow('not logged in');
      expect(instagram.sessionState()).toBe('logged_out');
      expect(await status()).toContain('Instagram: logged out');
    } finally {
      await cleanup();
    }
  });
});

// A refusal noted for the stored session ends when Instagram answers on that session again.
import { describe, expect, it } from 'vitest';
import { InstagramSecrets } from '../../src/instagram/secret-names.js';
import { SessionKeeper, sessionDigest } from '../../src/instagram/session-keeper.js';
import { MemorySecrets } from '../fakes/instagram/memory-secrets.js';

async function refusedKeeper(session: string): Promise<{ keeper: SessionKeeper; secrets: MemorySecrets }> {
  const secrets = new MemorySecrets();
  await secrets.set(InstagramSecrets.session, session);
  const keeper = new SessionKeeper(secrets);
  await keeper.resume();
  await keeper.markRefused();
  expect(secrets.values.get(InstagramSecrets.sessionRefused)).toBe(sessionDigest(session));
  return { keeper, secrets };
}

describe('SessionKeeper.markAccepted', () => {
  it('clears the refusal of the session that just worked', async () => {
    const { keeper, secrets } = await refusedKeeper('s0');
    keeper.markAccepted();
    await keeper.flush();
    expect(secrets.values.has(InstagramSecrets.sessionRefused)).toBe(false);
  });

  it('leaves a refusal noted for another session', async () => {
    const secrets = new MemorySecrets();
    await secrets.set(InstagramSecrets.session, 'new login');
    await secrets.set(InstagramSecrets.sessionRefused, sessionDigest('old login'));
    const keeper = new SessionKeeper(secrets);
    await keeper.resume();
    keeper.markAccepted();
    await keeper.flush();
    expect(secrets.values.get(InstagramSecrets.sessionRefused)).toBe(sessionDigest('old login'));
  });

  it('checks once per resume or refusal, not on every answer', async () => {
    const { keeper, secrets } = await refusedKeeper('s0');
    keeper.markAccepted();
    await keeper.flush();
    await keeper.markRefused();
    keeper.markAccepted();
    keeper.markAccepted();
    await keeper.flush();
    expect(secrets.values.has(InstagramSecrets.sessionRefused)).toBe(false);
    await secrets.set(InstagramSecrets.sessionRefused, sessionDigest('s0'));
    keeper.markAccepted(); // already checked since the last refusal
    await keeper.flush();
    expect(secrets.values.get(InstagramSecrets.sessionRefused)).toBe(sessionDigest('s0'));
  });
});

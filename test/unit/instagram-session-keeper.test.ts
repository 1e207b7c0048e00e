import { describe, expect, it } from 'vitest';
import { InstagramSecrets } from '../../src/instagram/secret-names.js';
import { SessionKeeper } from '../../src/instagram/session-keeper.js';

function memorySecrets(initial: string | null) {
  const values = new Map<string, string>();
  if (initial !== null) values.set(InstagramSecrets.session, initial);
  return {
    values,
    get: async (name: string) => values.get(name) ?? null,
    set: async (name: string, value: string) => void values.set(name, value),
    delete: async (name: string) => void values.delete(name),
  };
}

describe('SessionKeeper', () => {
  it('saves the refreshed session of the one it resumed, in order', async () => {
    const secrets = memorySecrets('s0');
    const keeper = new SessionKeeper(secrets);
    expect(await keeper.resume()).toBe('s0');
    keeper.save('s1');
    keeper.save('s2');
    await keeper.flush();
    expect(secrets.values.get(InstagramSecrets.session)).toBe('s2');
  });

  it('never brings back a session logged out while it ran', async () => {
    const secrets = memorySecrets('s0');
    const keeper = new SessionKeeper(secrets);
    await keeper.resume();
    await secrets.delete(InstagramSecrets.session); // igtg logout
    keeper.save('s1');
    keeper.save('s2');
    await keeper.flush();
    expect(secrets.values.has(InstagramSecrets.session)).toBe(false);
  });

  it('never writes over a newer login, but runs on it once it resumes it', async () => {
    const secrets = memorySecrets('old');
    const keeper = new SessionKeeper(secrets);
    await keeper.resume();
    await secrets.set(InstagramSecrets.session, 'new login');
    keeper.save('old refreshed');
    await keeper.flush();
    expect(secrets.values.get(InstagramSecrets.session)).toBe('new login');
    expect(await keeper.resume()).toBe('new login');
    keeper.save('new refreshed');
    await keeper.flush();
    expect(secrets.values.get(InstagramSecrets.session)).toBe('new refreshed');
  });

  it('saves a fresh login whatever was stored, and load() changes nothing', async () => {
    const secrets = memorySecrets('someone else');
    const keeper = new SessionKeeper(secrets);
    expect(await keeper.load()).toBe('someone else');
    keeper.save('logged in');
    await keeper.flush();
    expect(secrets.values.get(InstagramSecrets.session)).toBe('logged in');
  });
});

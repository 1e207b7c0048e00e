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

  it('keeps saving when another process refreshed the cookies of the same login', async () => {
    const session = (sessionid: string, rur: string) =>
      JSON.stringify({
        version: 1,
        state: {
          cookies: JSON.stringify({
            cookies: [
              { key: 'sessionid', value: sessionid },
              { key: 'rur', value: rur },
            ],
          }),
        },
        viewer: { id: '1', name: 'alex' },
      });
    const secrets = memorySecrets(session('A', 'r0'));
    const keeper = new SessionKeeper(secrets);
    await keeper.resume();
    await secrets.set(InstagramSecrets.session, session('A', 'r1')); // a cron sync's refresh
    keeper.save(session('A', 'r2'));
    await keeper.flush();
    expect(secrets.values.get(InstagramSecrets.session)).toBe(session('A', 'r2'));
    await secrets.set(InstagramSecrets.session, session('B', 'r0')); // a new login
    keeper.save(session('A', 'r3'));
    await keeper.flush();
    expect(secrets.values.get(InstagramSecrets.session)).toBe(session('B', 'r0'));
  });

  it('saves nothing after a reload finds the session logged out', async () => {
    const secrets = memorySecrets('s0');
    const keeper = new SessionKeeper(secrets);
    await keeper.resume();
    await secrets.delete(InstagramSecrets.session);
    expect(await keeper.resume()).toBeNull(); // the gate's reload on login_required
    keeper.save('s0 with the refused response cookies');
    await keeper.flush();
    expect(secrets.values.has(InstagramSecrets.session)).toBe(false);
  });

  it('checks and writes in one step where the store can', async () => {
    const secrets = { ...memorySecrets('s0'), setIf: undefined as unknown };
    const calls: string[] = [];
    secrets.setIf = async (name: string, value: string, accept: (current: string | null) => boolean) => {
      calls.push('setIf');
      if (!accept(secrets.values.get(name) ?? null)) return false;
      secrets.values.set(name, value);
      return true;
    };
    const keeper = new SessionKeeper(secrets as never);
    await keeper.resume();
    keeper.save('s1');
    await keeper.flush();
    expect(calls).toEqual(['setIf']);
    expect(secrets.values.get(InstagramSecrets.session)).toBe('s1');
  });
});

import { describe, expect, it } from 'vitest';
import { KnownUsers } from '../../src/bridge/adapters/known-users.js';
import { silentLog } from '../../src/bridge/core/bridge.js';
import type { User } from '../../src/core/model.js';
import type { Store } from '../../src/store/store.js';

const stranger = { emoji: '😂', actor: '2000000009', actorId: '2000000009', at: 0 };

describe('KnownUsers', () => {
  it('reads every user again for an unknown id at most once a minute, and finds one stored since', async () => {
    const users: User[] = [];
    let reads = 0;
    const store = {
      listUsers: async () => {
        reads += 1;
        return [...users];
      },
    } as unknown as Store;
    let now = 0;
    const known = new KnownUsers(store, silentLog, () => now);
    for (let i = 0; i < 5; i += 1) expect(await known.namedReaction(stranger)).toEqual(stranger);
    expect(reads).toBe(1);
    users.push({ id: '2000000009', username: 'late.comer', fullName: 'Late Comer', profilePicUrl: null });
    now += 61_000;
    expect((await known.namedReaction(stranger)).actor).toBe('late.comer');
    expect(reads).toBe(2);
    await known.namedReaction(stranger);
    expect(reads).toBe(2);
  });
});

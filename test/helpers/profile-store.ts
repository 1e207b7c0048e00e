// The SQLite store of an IGTG_HOME's default profile, opened in the test process.
import { join } from 'node:path';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';

/** Opens the store (creating it if needed), runs `action` on it and always closes it. */
export async function withProfileStore<T>(home: string, action: (store: Store) => Promise<T>): Promise<T> {
  const store = await openSqliteStore(join(home, 'profiles', 'default', 'igtg.db'));
  try {
    return await action(store);
  } finally {
    await store.close();
  }
}

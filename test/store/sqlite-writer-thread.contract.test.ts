// The same contract with every write() on the store's writer thread (what `igtg import` uses):
// rows packed across the thread boundary, errors carried back, writes in order.
import { storeContract } from './contract.js';
import { tempSqliteStore } from './temp-sqlite-store.js';

storeContract('sqlite, writer thread', () => tempSqliteStore('igtg-store-wt-', { writerThread: true }));

import { storeContract } from './contract.js';
import { tempSqliteStore } from './temp-sqlite-store.js';

storeContract('sqlite', () => tempSqliteStore('igtg-store-'));

// The one behaviour every Store adapter must have. Adapter tests call storeContract with a function
// that opens a fresh, empty store; nothing here knows which engine is underneath.
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { mergeContract } from './contract-merge.js';
import { miscContract } from './contract-misc.js';
import { outboxContract } from './contract-outbox.js';
import { readContract } from './contract-reads.js';
import { searchContract } from './contract-search.js';
import { writeContract } from './contract-writes.js';
import { withStore } from './fixtures.js';

export function storeContract(name: string, open: () => Promise<{ store: Store; cleanup: () => Promise<void> }>): void {
  describe(`Store contract: ${name}`, () => {
    it(
      'opens empty and describes itself',
      withStore(open, async (store) => {
        expect(['sqlite', 'mongodb']).toContain(store.kind);
        expect(store.location.length).toBeGreaterThan(0);
        expect(await store.counts()).toEqual({ threads: 0, messages: 0, users: 0 });
        expect(await store.listThreads()).toEqual([]);
        expect(await store.outboxStats()).toEqual({ pending: 0, deadLettered: 0 });
      }),
    );
    writeContract(open);
    readContract(open);
    searchContract(open);
    outboxContract(open);
    miscContract(open);
    mergeContract(open);
  });
}

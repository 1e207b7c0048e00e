// A Bridge on a temp SQLite store with in-memory ports and a manual clock.
import { Bridge, type BridgeDeps } from '../../src/bridge/core/bridge.js';
import { memoryOptions, type BridgeOptions } from '../../src/bridge/core/options.js';
import type { Store } from '../../src/store/store.js';
import { ManualClock, MemoryInstagram, MemoryTelegram, OWNER, seededRandom, tempStore } from './bridge-fakes.js';

export interface Harness {
  store: Store;
  clock: ManualClock;
  instagram: MemoryInstagram;
  telegram: MemoryTelegram;
  options: ReturnType<typeof memoryOptions>;
  bridge: Bridge;
  /** Poll, then deliver everything due (advancing the clock past any backoff `rounds` times). */
  cycle(rounds?: number): Promise<void>;
  cleanup(): Promise<void>;
}

export async function harness(
  initial: Partial<BridgeOptions> = {},
  deps: Partial<Pick<BridgeDeps, 'botId' | 'loginCommand'>> & { store?: Store } = {},
): Promise<Harness> {
  const temp = deps.store ? { store: deps.store, cleanup: async () => undefined } : await tempStore();
  const { store, cleanup } = temp;
  const clock = new ManualClock();
  const instagram = new MemoryInstagram(store);
  const telegram = new MemoryTelegram();
  const options = memoryOptions({ ownerId: OWNER, ...initial });
  const bridge = new Bridge({
    store,
    instagram,
    telegram,
    options,
    clock,
    random: seededRandom(),
    botId: deps.botId,
    loginCommand: deps.loginCommand,
  });
  await bridge.initialise();
  return {
    store,
    clock,
    instagram,
    telegram,
    options,
    bridge,
    async cycle(rounds = 1) {
      await bridge.pollOnce();
      for (let i = 0; i < rounds; i++) {
        await bridge.deliverOnce();
        clock.advance(1000);
      }
    },
    cleanup,
  };
}

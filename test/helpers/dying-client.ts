// An Instagram client that dies (like kill -9) once it has made a number of calls: for tests of
// syncs that resume where an interrupted one stopped.
import type { InstagramClient } from '../../src/instagram/client.js';

export function dyingAfter(client: InstagramClient, calls: number): InstagramClient {
  let left = calls;
  return new Proxy(client, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (left-- <= 0) throw new Error('killed');
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

// The one place igtg loads instagram_mqtt (CommonJS: default import, then destructure). Like
// instagram-private-api it logs through `debug` (`ig:mqtt:*` prints whole messages, `mqtt:*`
// every packet); igtg switches those loggers off for good as soon as the library is loaded.
import { createRequire } from 'node:module';
import mqttModule from 'instagram_mqtt';

export type { IgApiClientRealtime, RealtimeClient } from 'instagram_mqtt';

/**
 * `withRealtime(ig)` only keeps `ig` when it is an IgApiClientExt (otherwise it silently returns a
 * new, empty client), and defines `ig.realtime` once per client ("Cannot redefine property").
 */
export const { IgApiClientExt, withRealtime } = mqttModule;

function silence(moduleName: string, from: string): void {
  try {
    const fromModule = createRequire(from);
    const debug = fromModule(moduleName) as { disable(): string };
    debug.disable();
  } catch {
    // Nothing resolvable there: nothing can log through it either.
  }
}

function silenceLibraryDebug(): void {
  const require = createRequire(import.meta.url);
  for (const library of ['instagram_mqtt', 'mqtts', 'instagram-private-api']) {
    try {
      silence('debug', require.resolve(library));
    } catch {
      // mqtts may only be resolvable from instagram_mqtt's folder.
      try {
        silence('debug', createRequire(require.resolve('instagram_mqtt')).resolve(library));
      } catch {
        // not installed: nothing to silence
      }
    }
  }
}

silenceLibraryDebug();

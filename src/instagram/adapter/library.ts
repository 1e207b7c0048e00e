// The one place igtg loads instagram-private-api (CommonJS: default import, then destructure).
// The library logs whole requests and responses (cookies, message text) through `debug` when
// DEBUG=ig:* is set; igtg switches that logger off for good as soon as the library is loaded.
import { createRequire } from 'node:module';
import igModule from 'instagram-private-api';

export type { IgApiClient } from 'instagram-private-api';

export const {
  IgApiClient: IgApiClientClass,
  IgResponseError,
  IgNetworkError,
  IgLoginTwoFactorRequiredError,
  IgCheckpointError,
  IgChallengeWrongCodeError,
} = igModule;

function silenceLibraryDebug(): void {
  try {
    const require = createRequire(import.meta.url);
    const fromLibrary = createRequire(require.resolve('instagram-private-api'));
    const debug = fromLibrary('debug') as { disable(): string };
    debug.disable();
  } catch {
    // No `debug` where the library resolves it: then nothing can log either.
  }
}

silenceLibraryDebug();

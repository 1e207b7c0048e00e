// Time as igtg sees it (the bridge, the Telegram pacer, their tests). Injected everywhere so unit
// tests run on a manual clock.
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or early when the signal aborts (never rejects). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(done, Math.max(0, ms));
      function done(): void {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};

/** Returns a number in [0, 1); injected so tests are deterministic. */
export type Random = () => number;

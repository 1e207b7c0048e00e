// Delay before the next realtime connect after `failures` failures in a row: exponential from
// `baseMs`, capped at `maxMs`, with "equal jitter" (half fixed, half random) so many clients
// never retry in lockstep.
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  random?: () => number;
}

export function backoffDelay(failures: number, options: BackoffOptions): number {
  if (failures <= 0) return 0;
  const random = options.random ?? Math.random;
  const exponent = Math.min(failures - 1, 30);
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

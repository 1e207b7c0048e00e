// How long to wait before the next delivery attempt: exponential with full jitter, capped, and never
// shorter than a wait the server asked for (Telegram's retry_after).
import type { Random } from '../../core/clock.js';

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 2_000, maxMs: 15 * 60_000 };

/** Delay after the `attempt`-th failure (1-based). */
export function backoffDelay(
  attempt: number,
  random: Random,
  retryAfterMs: number | null = null,
  options = DEFAULT_BACKOFF,
): number {
  const exp = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  // Half fixed, half jitter: spreads retries without ever retrying immediately.
  const delay = Math.round(exp / 2 + (random() * exp) / 2);
  return retryAfterMs !== null ? Math.max(delay, retryAfterMs) : delay;
}

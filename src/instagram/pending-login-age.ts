// A login begun with a password waits (in the secret store) for its two-factor or challenge code
// this long; after that `igtg login --code` refuses it, so nothing may offer it either.
import type { PendingLogin } from './client.js';

const PENDING_MAX_AGE_MS = 60 * 60_000;

export type PendingLoginState = 'none' | 'waiting' | 'expired';

/** What a stored pending login (its secret's text, or null) amounts to at `now`. */
export function pendingLoginState(text: string | null, now: number): PendingLoginState {
  if (text === null) return 'none';
  let pending: Partial<PendingLogin>;
  try {
    pending = JSON.parse(text) as Partial<PendingLogin>;
  } catch {
    return 'none';
  }
  if (pending === null || typeof pending !== 'object' || pending.version !== 1) return 'none';
  return typeof pending.createdAt === 'number' && now - pending.createdAt <= PENDING_MAX_AGE_MS ? 'waiting' : 'expired';
}

// client_context for sends to Instagram: an "offline threading id" as Instagram's apps make them
// (milliseconds shifted left 22 bits, plus 22 random bits), as a decimal string.
import type { Random } from '../../core/clock.js';

export function newClientContext(now: number, random: Random): string {
  const rand = BigInt(Math.floor(random() * 0x400000));
  return ((BigInt(now) << 22n) | rand).toString();
}

// Reading the loose values of Instagram's JSON: timestamps in microseconds (int or string), ids
// that may be numbers or strings, and fields that may be missing.
import type { EpochMs } from '../core/model.js';

/**
 * Instagram timestamp → epoch ms. The private API uses microseconds (16 digits, int or string);
 * milliseconds and seconds are recognised by magnitude so a changed field never lands in 1970.
 */
export function igTimeToMs(value: unknown): EpochMs | null {
  let digits: string;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) digits = Math.trunc(value).toString();
  else if (typeof value === 'string' && /^\d{1,20}$/.test(value.trim())) digits = value.trim();
  else if (typeof value === 'bigint' && value > 0n) digits = value.toString();
  else return null;
  const big = BigInt(digits);
  if (big === 0n) return null;
  if (digits.length >= 15) return Number(big / 1000n); // microseconds
  if (digits.length >= 12) return Number(big); // milliseconds
  return Number(big) * 1000; // seconds
}

/** An id as a string (pks arrive as numbers, thread ids as strings). */
export function idString(value: unknown): string | null {
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(Math.trunc(value));
  if (typeof value === 'bigint') return value.toString();
  return null;
}

export function str(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

export function num(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value)) return Number(value);
  return null;
}

export type Json = Record<string, unknown>;

export function obj(value: unknown): Json | null {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null;
}

export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

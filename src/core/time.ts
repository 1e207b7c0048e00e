import { UsageError } from './errors.js';
import type { EpochMs } from './model.js';

/** `2024-03-01T12:34:56.789Z`: the one time format of every machine-readable output. */
export function toIso(ms: EpochMs): string {
  return new Date(ms).toISOString();
}

const RELATIVE = /^(\d+)\s*(s|m|h|d|w|y)$/i;
/** The furthest a JavaScript Date reaches either side of 1970 (ms). */
const MAX_DATE_MS = 8.64e15;
const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
  y: 365 * 86_400_000,
};

/**
 * V8's Date.parse rolls impossible fields over (2024-02-30T00:00 is 1 March, T24:00 the next day):
 * the date must exist and the time be below 24:00.
 */
function isCalendarDateTime(value: string): boolean {
  const [, y, m, d, hour] = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):/.exec(value)!.map(Number) as number[];
  const day = new Date(Date.UTC(y!, m! - 1, d!));
  return day.getUTCMonth() === m! - 1 && day.getUTCDate() === d! && hour! < 24;
}

/**
 * Parses a user-given date: an ISO date or date-time (a bare date is local midnight), epoch
 * milliseconds, or a relative age such as `7d`, `12h`, `30m` counted back from `now`.
 */
export function parseDateInput(input: string, optionName: string, now: EpochMs = Date.now()): EpochMs {
  const value = input.trim();
  const relative = RELATIVE.exec(value);
  if (relative) {
    const unit = UNIT_MS[relative[2]!.toLowerCase()]!;
    const ms = now - Number(relative[1]) * unit;
    if (Math.abs(ms) <= MAX_DATE_MS) return ms;
    throw new UsageError(`${optionName}: "${input}" is further back than any date can be`);
  }
  if (/^\d{12,14}$/.test(value)) return Number(value);
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split('-').map(Number) as [number, number, number];
    const local = new Date(y, m - 1, d);
    if (local.getFullYear() === y && local.getMonth() === m - 1 && local.getDate() === d) return local.getTime();
  } else if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(value)) {
    const parsed = Date.parse(value.replace(' ', 'T'));
    if (!Number.isNaN(parsed) && isCalendarDateTime(value)) return parsed;
  }
  throw new UsageError(
    `${optionName}: cannot read "${input}" as a date (use 2024-03-01, 2024-03-01T12:00, or 7d/12h/30m)`,
  );
}

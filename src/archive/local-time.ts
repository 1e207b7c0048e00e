// Wall-clock times without a zone (HTML archives) → epoch ms, for an IANA zone, with Intl only.
import { UsageError } from '../core/errors.js';

export interface WallTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let cached = formatters.get(zone);
  if (!cached) {
    cached = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(zone, cached);
  }
  return cached;
}

/** The zone name as Intl knows it; a UsageError for an unknown zone. */
export function checkTimeZone(zone: string, optionName = '--timezone'): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    throw new UsageError(`${optionName}: unknown time zone "${zone}" (use an IANA name such as Europe/Berlin or UTC)`);
  }
}

const HOUR_MS = 3_600_000;
/** Per zone: hour (since the epoch) → the offset all through it, or null when it changes within it. */
const hourOffsets = new Map<string, Map<number, number | null>>();
/** Hours kept per zone: an archive spans a few years (~9,000 hours a year). */
const MAX_CACHED_HOURS = 200_000;

/**
 * The zone's offset from UTC at `instant`, in ms (positive east of Greenwich). Asking Intl costs
 * ~20 µs, three or four times per HTML message: the offset is kept per hour, for the hours whose
 * first and last second have the same one (every hour but those of a change, read exactly).
 */
export function zoneOffsetMs(instant: number, zone: string): number {
  let hours = hourOffsets.get(zone);
  if (!hours || hours.size >= MAX_CACHED_HOURS) hourOffsets.set(zone, (hours = new Map()));
  const hour = Math.floor(instant / HOUR_MS);
  let offset = hours.get(hour);
  if (offset === undefined) {
    const first = exactZoneOffsetMs(hour * HOUR_MS, zone);
    offset = first === exactZoneOffsetMs(hour * HOUR_MS + HOUR_MS - 1000, zone) ? first : null;
    hours.set(hour, offset);
  }
  return offset ?? exactZoneOffsetMs(instant, zone);
}

/** zoneOffsetMs asked of Intl every time. */
export function exactZoneOffsetMs(instant: number, zone: string): number {
  const parts: Record<string, string> = {};
  for (const part of formatter(zone).formatToParts(new Date(instant))) parts[part.type] = part.value;
  let year = Number(parts.year);
  if (parts.era === 'BC' || parts.era === 'B') year = 1 - year;
  const asUtc = Date.UTC(
    year,
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant at which clocks in `zone` showed `wall`. In a DST gap (a time that never existed)
 * the result is the same wall time read with the offset before the jump; in an overlap (a time
 * that happened twice) it is the earlier instant.
 */
export function wallTimeToEpoch(wall: WallTime, zone: string): number {
  const naive = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  const before = zoneOffsetMs(naive - 86_400_000, zone);
  const after = zoneOffsetMs(naive + 86_400_000, zone);
  // Try both offsets seen around that day; keep those that map back to the same wall time.
  const candidates = [naive - before, naive - after].filter(
    (instant) => naive - instant === zoneOffsetMs(instant, zone),
  );
  if (candidates.length > 0) return Math.min(...candidates);
  return naive - before;
}

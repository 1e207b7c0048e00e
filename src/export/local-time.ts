// Times for people: the exporting computer's time zone and locale (machine formats use toIso).
import type { EpochMs } from '../core/model.js';

const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full' });

function pad(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/** A number that changes exactly when the local calendar day changes. */
export function localDayKey(ms: EpochMs): number {
  const date = new Date(ms);
  return date.getFullYear() * 10_000 + (date.getMonth() + 1) * 100 + date.getDate();
}

/** `Monday, 4 March 2024` in the system locale. */
export function localDayLabel(ms: EpochMs): string {
  return dayFormat.format(ms);
}

/** `14:03` */
export function localTime(ms: EpochMs): string {
  const date = new Date(ms);
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** `2024-03-04 14:03:22` */
export function localDateTime(ms: EpochMs): string {
  const date = new Date(ms);
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

/**
 * The IANA name of the system time zone, e.g. `Europe/Zurich`; where it has none (a POSIX TZ such
 * as `UTC+3`, a mistyped one, an empty one), the offset the local times above were written in.
 */
export function localZoneName(at: EpochMs = Date.now()): string {
  const name = Intl.DateTimeFormat().resolvedOptions().timeZone as string | undefined;
  if (name && name !== 'Etc/Unknown') return name;
  const offset = -new Date(at).getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  return `UTC${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
}

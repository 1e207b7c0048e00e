// Times for people: the machine's local zone (TZ), a fixed readable layout independent of locale.
import type { EpochMs } from '../../core/model.js';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const pad = (value: number) => String(value).padStart(2, '0');

/** `2024-03-01` in local time. */
export function localDate(ms: EpochMs): string {
  const date = new Date(ms);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** `13:34` in local time. */
export function localTime(ms: EpochMs): string {
  const date = new Date(ms);
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** `2024-03-01 13:34` in local time. */
export function localDateTime(ms: EpochMs): string {
  return `${localDate(ms)} ${localTime(ms)}`;
}

/** `Friday 2024-03-01`: the heading of a day in `igtg show`. */
export function localDayHeading(ms: EpochMs): string {
  return `${WEEKDAYS[new Date(ms).getDay()]} ${localDate(ms)}`;
}

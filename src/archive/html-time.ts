// The times of an HTML archive page are written in the account's language, without a zone:
//   "Jun 14, 2024 11:09 am", "14. Juni 2024, 23:09", "14 de junio de 2024, 11:09 p. m.",
//   "14 июня 2024 г., 23:09", "2024年6月14日 午後11:09", "2024년 6월 14일 오후 11:09", "14.06.2024, 23:09".
// Month names come from Intl (Node ships full ICU) for the languages Instagram offers, so no
// hand-kept tables; a name two languages give different months is not trusted.
import type { WallTime } from './local-time.js';

const LANGUAGES = [
  // Croatian is left out: its month names are Polish and Czech ones for other months (listopad).
  'en',
  'fr',
  'de',
  'es',
  'it',
  'pt',
  'nl',
  'sv',
  'da',
  'nb',
  'fi',
  'pl',
  'cs',
  'sk',
  'hu',
  'ro',
  'sr-Latn',
  'tr',
  'el',
  'ru',
  'uk',
  'bg',
  'id',
  'ms',
  'tl',
  'vi',
  'ca',
];

/** Lower case, no accents, no trailing dot: "Juni" → "juni", "févr." → "fevr". */
function fold(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\.$/, '');
}

let monthNames: Map<string, number> | null = null;

function months(): Map<string, number> {
  if (monthNames) return monthNames;
  const found = new Map<string, number>();
  const ambiguous = new Set<string>();
  const add = (name: string, month: number) => {
    const key = fold(name);
    if (!/^\p{L}+$/u.test(key)) return;
    const known = found.get(key);
    if (known !== undefined && known !== month) ambiguous.add(key);
    else found.set(key, month);
  };
  for (const language of LANGUAGES) {
    const styles = ['long', 'short'] as const;
    for (let month = 1; month <= 12; month++) {
      const date = Date.UTC(2024, month - 1, 15);
      for (const style of styles) {
        // Alone ("Juni", "июнь") and inside a date (the genitive "июня", "czerwca").
        add(new Intl.DateTimeFormat(language, { month: style, timeZone: 'UTC' }).format(date), month);
        const parts = new Intl.DateTimeFormat(language, { day: 'numeric', month: style, timeZone: 'UTC' });
        for (const part of parts.formatToParts(date)) if (part.type === 'month') add(part.value, month);
      }
    }
  }
  for (const key of ambiguous) found.delete(key);
  monthNames = found;
  return found;
}

const TIME = /(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?/;
const AFTERNOON = /\b(?:pm|p\s*\.\s*m\.?)|μ\.\s*μ\.|午後|下午|오후/i;
const MORNING = /\b(?:am|a\s*\.\s*m\.?)|π\.\s*μ\.|午前|上午|오전/i;

interface Day {
  year: number;
  month: number;
  day: number;
}

function validDay(year: number, month: number, day: number): Day | null {
  if (month < 1 || month > 12 || day < 1 || year < 2000 || year > 2200) return null;
  // The month's own length: Date.UTC would roll 31 February over into March.
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
  return { year, month, day };
}

/** How a page writes all-number dates ("06/07/2024"): day or month first. */
export type NumericDateOrder = 'day-first' | 'month-first';

const NUMERIC_DATE = /(\d{1,2})([./-])(\d{1,2})[./-](\d{4})/;

/**
 * One order for a whole page, so that its dates cannot switch order from line to line: the order
 * its unambiguous dates show (a first number above 12 is a day, a second one is a day too), else
 * month first for US style (slashes with am/pm), else day first. Null when the page has no
 * all-number dates, or contradicts itself.
 */
export function numericDateOrder(texts: readonly string[]): NumericDateOrder | null {
  let dayFirst = false;
  let monthFirst = false;
  let usStyle = false;
  let seen = false;
  for (const text of texts) {
    const numeric = NUMERIC_DATE.exec(text);
    if (!numeric) continue;
    seen = true;
    if (Number(numeric[1]) > 12) dayFirst = true;
    if (Number(numeric[3]) > 12) monthFirst = true;
    if (numeric[2] === '/' && (AFTERNOON.test(text) || MORNING.test(text))) usStyle = true;
  }
  if (!seen || (dayFirst && monthFirst)) return null;
  if (dayFirst) return 'day-first';
  if (monthFirst) return 'month-first';
  return usStyle ? 'month-first' : 'day-first';
}

/** The date part, with the time already cut out. */
function readDay(text: string, order: NumericDateOrder | null): Day | null {
  const cjk = /(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?/.exec(text);
  if (cjk) return validDay(Number(cjk[1]), Number(cjk[2]), Number(cjk[3]));
  const iso = /(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})/.exec(text);
  if (iso) return validDay(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const numeric = NUMERIC_DATE.exec(text);
  if (numeric) {
    const [first, second, year] = [Number(numeric[1]), Number(numeric[3]), Number(numeric[4])];
    if (order === 'month-first') return validDay(year, first, second);
    if (order === 'day-first') return validDay(year, second, first);
    // A line alone: day-first unless it can't be.
    return second > 12 ? validDay(year, first, second) : validDay(year, second, first);
  }
  let month: number | null = null;
  let year: number | null = null;
  let day: number | null = null;
  for (const token of text.match(/\p{L}+\.?|\d+/gu) ?? []) {
    if (/^\d+$/.test(token)) {
      if (token.length === 4 && year === null) year = Number(token);
      else if (token.length <= 2 && day === null) day = Number(token);
      else return null;
    } else {
      const named = months().get(fold(token));
      if (named === undefined) continue; // "de", "um", "at", "г", …
      if (month !== null) return null;
      month = named;
    }
  }
  return month !== null && year !== null && day !== null ? validDay(year, month, day) : null;
}

/**
 * A page's time → wall-clock time, or null when it is not a time igtg can read with certainty.
 * `order` is the page's numericDateOrder(); without it an all-number date is read day-first unless
 * it cannot be.
 */
export function parseHtmlTime(text: string, order: NumericDateOrder | null = null): WallTime | null {
  const clean = text.replace(/[\s\u202f\u00a0]+/g, ' ').trim();
  // The time is the last h:mm on the line (a numeric date uses dots too: "14.06.2024, 23:09").
  const times = [...clean.matchAll(new RegExp(TIME.source, 'g'))].filter((match) => {
    const end = match.index + match[0].length;
    return !/\d[./-]$/.test(clean.slice(0, match.index)) && !/^[./-]?\d/.test(clean.slice(end));
  });
  const time = times.at(-1);
  if (!time) return null;
  const before = clean.slice(0, time.index);
  const after = clean.slice(time.index + time[0].length);
  const day = readDay(before + ' ' + after.replace(AFTERNOON, ' ').replace(MORNING, ' '), order);
  if (!day) return null;

  let hour = Number(time[1]);
  const minute = Number(time[2]);
  const second = time[3] ? Number(time[3]) : 0;
  const markers = `${before.slice(-6)} ${after}`;
  const half = AFTERNOON.test(markers) ? 'pm' : MORNING.test(markers) ? 'am' : null;
  if (half) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (half === 'pm' ? 12 : 0);
  } else if (hour > 23) {
    return null;
  }
  if (minute > 59 || second > 59) return null;
  return { ...day, hour, minute, second };
}

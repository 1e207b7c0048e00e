// The kinds of value a setting can hold. Each kind knows how to read a value typed on the command
// line (`igtg config set KEY VALUE`) and checks stored values with a zod schema.
import { z } from 'zod';

export interface SettingDef<T = unknown, D extends T | undefined = T | undefined> {
  /** Short type shown by `config list --json`, e.g. "integer", "boolean", "duration (s)". */
  readonly type: string;
  /** What a valid value looks like, for error messages. */
  readonly expected: string;
  readonly schema: z.ZodType<T>;
  readonly default: D;
  readonly description: string;
  /** True when the value may hold credentials (a URL with a password): shown and reported redacted. */
  readonly sensitive: boolean;
  /** Turns what the user typed into a candidate value; the schema then checks it. */
  fromString(raw: string): unknown;
  /** Turns the typed value into the value stored (e.g. a relative path into an absolute one). */
  normalize?(value: T): T;
}

interface Common<D> {
  default?: D;
  description: string;
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/** Reads "1500", "1.5s", "500ms", "2m", "1h" as a number of `unit` (ms or s); NaN when unreadable. */
export function parseDuration(raw: string, unit: 'ms' | 's'): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(raw);
  if (!match) return Number.NaN;
  const amount = Number(match[1]);
  const suffix = (match[2] ?? '').toLowerCase();
  if (!suffix) return amount;
  const factor = DURATION_UNITS[suffix];
  if (factor === undefined) return Number.NaN;
  return (amount * factor) / (unit === 'ms' ? 1 : 1000);
}

function parseInteger(raw: string): number {
  const text = raw.trim().replace(/_/g, '');
  return /^[-+]?\d+$/.test(text) ? Number(text) : Number.NaN;
}

export function integerSetting<D extends number | undefined = undefined>(
  options: Common<D> & { min: number; max: number },
): SettingDef<number, D> {
  const { min, max } = options;
  return {
    type: 'integer',
    expected: `a whole number from ${min} to ${max}`,
    schema: z.number().int().min(min).max(max),
    default: options.default as D,
    description: options.description,
    sensitive: false,
    fromString: parseInteger,
  };
}

/** A whole number of milliseconds or seconds; also accepts "1.5s", "500ms", "2m", "1h". */
export function durationSetting<D extends number | undefined = undefined>(
  options: Common<D> & { unit: 'ms' | 's'; min: number; max: number },
): SettingDef<number, D> {
  const { unit, min, max } = options;
  const name = unit === 'ms' ? 'milliseconds' : 'seconds';
  return {
    type: `duration (${unit})`,
    expected: `a whole number of ${name} from ${min} to ${max}, or a duration such as ${unit === 'ms' ? '1500, 1.5s' : '90, 2m'}`,
    schema: z.number().int().min(min).max(max),
    default: options.default as D,
    description: options.description,
    sensitive: false,
    fromString: (raw) => parseDuration(raw, unit),
  };
}

const TRUE_WORDS = new Set(['true', 'on', 'yes', '1']);
const FALSE_WORDS = new Set(['false', 'off', 'no', '0']);

export function booleanSetting<D extends boolean | undefined = undefined>(options: Common<D>): SettingDef<boolean, D> {
  return {
    type: 'boolean',
    expected: 'true or false (also on/off, yes/no)',
    schema: z.boolean(),
    default: options.default as D,
    description: options.description,
    sensitive: false,
    fromString: (raw) => {
      const word = raw.trim().toLowerCase();
      if (TRUE_WORDS.has(word)) return true;
      if (FALSE_WORDS.has(word)) return false;
      return raw;
    },
  };
}

export function enumSetting<
  const V extends readonly [string, ...string[]],
  D extends V[number] | undefined = undefined,
>(options: Common<D> & { values: V }): SettingDef<V[number], D> {
  return {
    type: `one of ${options.values.join('|')}`,
    expected: `one of ${options.values.join(', ')}`,
    schema: z.enum(options.values) as unknown as z.ZodType<V[number]>,
    default: options.default as D,
    description: options.description,
    sensitive: false,
    fromString: (raw) => raw.trim().toLowerCase(),
  };
}

export function stringSetting<D extends string | undefined = undefined>(
  options: Common<D> & {
    expected: string;
    /** Returns true when the (trimmed) value is acceptable. */
    check?: (value: string) => boolean;
    sensitive?: boolean;
    normalize?: (value: string) => string;
  },
): SettingDef<string, D> {
  const check = options.check ?? (() => true);
  return {
    type: 'string',
    expected: options.expected,
    schema: z
      .string()
      .min(1)
      .refine((value) => check(value)),
    default: options.default as D,
    description: options.description,
    sensitive: options.sensitive ?? false,
    fromString: (raw) => raw.trim(),
    normalize: options.normalize,
  };
}

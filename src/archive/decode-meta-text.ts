// Meta writes each string's UTF-8 bytes as separate \u00XX code points ("ZoÃ« MÃ¼ller" for
// "Zoë Müller"). The repair (see shared/formats/ig-export-mojibake-fix.md) turns the code points
// back into bytes and decodes them as UTF-8 — but only when that is unambiguous:
//   * every code point is below U+0100 (anything above cannot have come from a byte), and
//   * the bytes are valid UTF-8 (a fatal decoder; a genuine Latin-1 "Zoë" or "ÿ" is not).
// Otherwise the text is returned untouched, so already-correct text is never damaged and the
// repair is idempotent: decodeMetaText(decodeMetaText(x)) === decodeMetaText(x).

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\u0000-\u007f]/;
// eslint-disable-next-line no-control-regex
const ABOVE_LATIN1 = /[^\u0000-\u00ff]/;

/** Set when a repair met text above U+00FF, which Meta's writer never produces (see decodeMetaDeep). */
let sawCorrectText = false;

function repair(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  if (ABOVE_LATIN1.test(text)) {
    sawCorrectText = true;
    return text;
  }
  try {
    return utf8.decode(Buffer.from(text, 'latin1'));
  } catch {
    return text;
  }
}

// Names, reactions and actors repeat on almost every message: short results are remembered.
const SHORT = 48;
const MAX_CACHED = 20_000;
const cache = new Map<string, string>();

export function decodeMetaText(text: string): string {
  if (text.length > SHORT) return repair(text);
  let fixed = cache.get(text);
  if (fixed === undefined) {
    fixed = repair(text);
    // Text above U+00FF is not remembered: each time it passes, repair() notes it again.
    if (sawCorrectText && fixed === text) return fixed;
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(text, fixed);
  }
  return fixed;
}

export class NestingTooDeepError extends Error {
  constructor(readonly maxDepth: number) {
    super(`nested deeper than ${maxDepth} levels`);
    this.name = 'NestingTooDeepError';
  }
}

/**
 * Repairs every string value of a parsed JSON value in place (object keys are Meta's ASCII field
 * names and stay as they are) and returns it. Throws NestingTooDeepError beyond `maxDepth`.
 * Returns whether the value held text above U+00FF, which Meta's writer (every byte its own
 * \u00XX) never writes: such a file was saved correctly by something else, and its other strings
 * must not be "repaired" either (a French "OÙ\u00a0?" reads as valid UTF-8 bytes).
 */
export function decodeMetaDeep<T>(value: T, maxDepth: number, repair = true): { value: T; correctText: boolean } {
  sawCorrectText = false;
  walk(value as unknown, 0, maxDepth, repair);
  return { value, correctText: repair && sawCorrectText };
}

function walk(value: unknown, depth: number, maxDepth: number, repair: boolean): void {
  if (value === null || typeof value !== 'object') return;
  if (depth >= maxDepth) throw new NestingTooDeepError(maxDepth);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const item: unknown = value[i];
      if (typeof item === 'string') {
        if (repair) value[i] = decodeMetaText(item);
      } else if (item !== null && typeof item === 'object') {
        walk(item, depth + 1, maxDepth, repair);
      }
    }
    return;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const item = record[key];
    if (typeof item === 'string') {
      if (repair) record[key] = decodeMetaText(item);
    } else if (item !== null && typeof item === 'object') {
      walk(item, depth + 1, maxDepth, repair);
    }
  }
}

/** Meta's bug, reproduced: UTF-8 bytes as code points. Used by generators and tests. */
export function encodeMetaText(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

/** `JSON.stringify` the way Meta's (Python, ensure_ascii) writer does: every non-ASCII as \u00xx. */
export function stringifyMetaJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A copy of a JSON-like value with every string run through encodeMetaText. */
export function encodeMetaDeep<T>(value: T): T {
  if (typeof value === 'string') return encodeMetaText(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => encodeMetaDeep(item)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = encodeMetaDeep(item);
    return out as T;
  }
  return value;
}

// Reads a browser's Instagram cookies from what people can copy out of a browser: a JSON array of
// cookie objects (cookie-editor extensions), a JSON object of name → value, a "copy as cURL"
// command, or a plain "name=value; name=value" cookie header.
import { UsageError } from '../core/errors.js';
import type { BrowserCookies } from './client.js';

const WANTED = ['sessionid', 'csrftoken', 'ds_user_id', 'mid', 'ig_did'] as const;

function fromPairs(pairs: Iterable<[string, string]>): Partial<BrowserCookies> {
  const found: Partial<Record<(typeof WANTED)[number], string>> = {};
  for (const [rawName, rawValue] of pairs) {
    const name = rawName.trim();
    const value = rawValue.trim().replace(/^"(.*)"$/, '$1');
    if ((WANTED as readonly string[]).includes(name) && value) found[name as (typeof WANTED)[number]] = value;
  }
  return found;
}

function headerPairs(header: string): Array<[string, string]> {
  return header
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part.includes('='))
    .map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at), part.slice(at + 1)];
    });
}

function jsonPairs(data: unknown): Array<[string, string]> {
  if (Array.isArray(data)) {
    return data
      .filter((entry): entry is { name: unknown; value: unknown } => Boolean(entry) && typeof entry === 'object')
      .filter((entry) => typeof entry.name === 'string' && typeof entry.value === 'string')
      .map((entry) => [entry.name as string, entry.value as string]);
  }
  if (data && typeof data === 'object') {
    const record = data as Record<string, unknown>;
    if (Array.isArray(record.cookies)) return jsonPairs(record.cookies);
    return Object.entries(record).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
  }
  return [];
}

/** Cookie headers of a curl command line: -H 'cookie: …', -b '…', --cookie '…'. */
function curlPairs(text: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  const quoted = String.raw`(?:'([^']*)'|"((?:[^"\\]|\\.)*)"|\$'((?:[^'\\]|\\.)*)')`;
  const header = new RegExp(String.raw`(?:-H|--header)\s+${quoted}`, 'g');
  for (const match of text.matchAll(header)) {
    const value = match[1] ?? match[2] ?? match[3] ?? '';
    const colon = value.indexOf(':');
    if (colon > 0 && value.slice(0, colon).trim().toLowerCase() === 'cookie')
      pairs.push(...headerPairs(value.slice(colon + 1)));
  }
  const cookieFlag = new RegExp(String.raw`(?:-b|--cookie)\s+${quoted}`, 'g');
  for (const match of text.matchAll(cookieFlag)) pairs.push(...headerPairs(match[1] ?? match[2] ?? match[3] ?? ''));
  return pairs;
}

/** The user id is the first part of the sessionid cookie ("12345%3Aabc%3A27"). */
export function userIdFromSessionId(sessionid: string): string | null {
  let decoded = sessionid;
  try {
    decoded = decodeURIComponent(sessionid);
  } catch {
    // keep it as it is
  }
  const match = /^(\d{3,20}):/.exec(decoded);
  return match ? match[1]! : null;
}

export function parseBrowserCookies(text: string): BrowserCookies {
  const trimmed = text.trim();
  let found: Partial<BrowserCookies> = {};
  if (/^[[{]/.test(trimmed)) {
    try {
      found = fromPairs(jsonPairs(JSON.parse(trimmed)));
    } catch {
      // The parser's message would quote the file (cookies included): not shown.
      throw new UsageError('the cookies file looks like JSON but cannot be read; export the cookies again');
    }
  } else if (/^curl\s/i.test(trimmed)) {
    found = fromPairs(curlPairs(trimmed));
  } else {
    found = fromPairs(headerPairs(trimmed.replace(/^cookie:\s*/i, '')));
  }
  if (!found.sessionid) {
    throw new UsageError(
      'no sessionid cookie found; export the cookies of instagram.com while logged in (JSON or "copy as cURL")',
    );
  }
  return sessionCookies(found.sessionid, found);
}

export function sessionCookies(sessionid: string, others: Partial<BrowserCookies> = {}): BrowserCookies {
  const value = sessionid.trim();
  if (!/^[A-Za-z0-9%:._-]{8,512}$/.test(value))
    throw new UsageError('that does not look like an Instagram sessionid cookie');
  const cookies: BrowserCookies = { ...others, sessionid: value };
  cookies.ds_user_id ??= userIdFromSessionId(value) ?? undefined;
  if (cookies.ds_user_id === undefined) delete cookies.ds_user_id;
  return cookies;
}

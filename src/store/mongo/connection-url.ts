// What igtg reads from a MongoDB connection string itself; the driver parses the rest.
import { urlUserinfo } from '../../core/url-userinfo.js';

export const DEFAULT_DATABASE = 'igtg';

const AUTHORITY = /^mongodb(?:\+srv)?:\/\/([^/?]*)/i;

/** The database named in the URL path (`mongodb://host/NAME?...`), or null when there is none. */
export function databaseFromUrl(url: string): string | null {
  const authority = AUTHORITY.exec(url);
  if (!authority) return null;
  const rest = url.slice(authority[0].length);
  const path = /^\/([^?]*)/.exec(rest)?.[1];
  if (!path) return null;
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** The entries of the URL's host list (`a:1,b:2` → two), as written; null for a non-MongoDB URL. */
export function urlHosts(url: string): string[] | null {
  const authority = AUTHORITY.exec(url)?.[1];
  if (authority === undefined) return null;
  return authority.slice(authority.lastIndexOf('@') + 1).split(',');
}

/** True when the URL's query string sets `name` (option names are case-insensitive). */
export function hasUrlOption(url: string, name: string): boolean {
  const query = url.split('?')[1];
  if (!query) return false;
  return query.split('&').some((pair) => pair.split('=')[0]?.toLowerCase() === name.toLowerCase());
}

/** The password in the URL, raw and percent-decoded, so it can be scrubbed from driver messages. */
export function urlPasswords(url: string): string[] {
  const raw = urlUserinfo(url)?.password;
  if (!raw) return [];
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // keep the raw form only
  }
  return [...new Set([raw, decoded])];
}

// Base-URL settings (IGTG_INSTAGRAM_API_URL, IGTG_TELEGRAM_API_URL): a value that is no http(s) URL
// is a usage error, not a server to wait for.
import { UsageError } from './errors.js';

export function parseHttpUrl(setting: string, raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`${setting}: "${raw.slice(0, 80)}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${setting} must be an http:// or https:// URL`);
  }
  return url;
}

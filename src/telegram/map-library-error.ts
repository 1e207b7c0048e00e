// node-telegram-bot-api's errors → igtg's TelegramError classes. The only place besides the
// adapter that knows the library's error types.
import { NetworkError, ParseError, TelegramApiError, TimeoutError } from 'node-telegram-bot-api';
import { classifyApiFailure, networkFailure, TelegramError } from './errors.js';

/**
 * Classifies a failure of `method`. An abort requested through the caller's signal is returned
 * unchanged (it is not a Telegram failure); anything unknown too (a bug, reported as such).
 */
export function mapLibraryError(method: string, error: unknown, token: string, signal?: AbortSignal): unknown {
  if (error instanceof TelegramError) return error;
  if (signal?.aborted) return error;
  if (error instanceof TelegramApiError) {
    return classifyApiFailure({
      method,
      errorCode: error.errorCode,
      // A server may answer {"ok":false} alone.
      description: redact(error.description ?? `error ${error.errorCode}`, token),
      parameters: error.parameters ?? null,
    });
  }
  if (error instanceof TimeoutError) return networkFailure(method, 'request timed out');
  if (error instanceof ParseError) return networkFailure(method, 'unreadable response from the Bot API server');
  if (error instanceof NetworkError)
    return networkFailure(method, redact(`network error (${causeCode(error)})`, token));
  return error;
}

/** The innermost cause's code (ECONNREFUSED, UND_ERR_SOCKET…) or message; never a URL. */
function causeCode(error: Error): string {
  let current: unknown = error.cause;
  let last = 'unknown';
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    last = typeof code === 'string' ? code : current.message;
    current = current.cause;
  }
  return last.replace(/https?:\/\/\S+/g, '<url>');
}

export function redact(text: string, token: string): string {
  return token ? text.split(token).join('<token>') : text;
}

// instagram-private-api errors → igtg's InstagramError classes. Only the status, Instagram's JSON
// body and a network error code are looked at; request options (which hold cookies) never are.
import { InstagramError, classifyResponse, networkError } from '../errors.js';
import { IgNetworkError, IgResponseError } from './library.js';

interface ResponseLike {
  statusCode?: number;
  body?: unknown;
}

function networkCode(error: unknown): string | null {
  const candidate = error as { cause?: { code?: unknown }; error?: { code?: unknown }; code?: unknown };
  for (const code of [candidate.cause?.code, candidate.error?.code, candidate.code]) {
    if (typeof code === 'string') return code;
  }
  return null;
}

export function toInstagramError(error: unknown, apiUrl: string): InstagramError {
  if (error instanceof InstagramError) return error;
  if (error instanceof IgResponseError) {
    const response = (error as unknown as { response?: ResponseLike }).response ?? {};
    return classifyResponse(response.statusCode ?? 0, response.body);
  }
  if (error instanceof IgNetworkError) return networkError(apiUrl, networkCode(error));
  const response = (error as { response?: ResponseLike } | null)?.response;
  if (response && typeof response.statusCode === 'number') return classifyResponse(response.statusCode, response.body);
  const code = networkCode(error);
  if (code) return networkError(apiUrl, code);
  return new InstagramError(
    'rejected',
    `unexpected answer from Instagram (${error instanceof Error ? error.name : 'error'})`,
    {
      cause: error,
    },
  );
}

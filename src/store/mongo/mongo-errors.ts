// Driver errors become one-line StoreErrors that never carry the connection password.
import { MongoError } from 'mongodb';
import { StoreError, errorMessage } from '../../core/errors.js';
import { redactUrl } from '../open-store.js';
import { urlPasswords } from './connection-url.js';

/** The driver's message on one line, with the URL redacted and any password replaced by `***`. */
export function scrubMessage(message: string, url: string): string {
  let text = message.split(url).join(redactUrl(url));
  for (const secret of urlPasswords(url)) text = text.split(secret).join('***');
  return text.replace(/\s+/g, ' ').trim();
}

export function openError(error: unknown, url: string): StoreError {
  const location = redactUrl(url);
  return new StoreError(`cannot open the MongoDB store at ${location}: ${scrubMessage(errorMessage(error), url)}`, {
    cause: error,
  });
}

/** Wraps driver failures (network, timeouts, server refusals) met while using an open store. */
export function operationError(error: unknown, url: string): unknown {
  if (!(error instanceof MongoError)) return error;
  const location = redactUrl(url);
  return new StoreError(`MongoDB store at ${location}: ${scrubMessage(error.message, url)}`, { cause: error });
}

export const DUPLICATE_KEY = 11000;

export function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoError && error.code === DUPLICATE_KEY;
}

// Turns SQLite failures into one-line StoreErrors a user can act on. Anything not listed here is a
// bug (a constraint we did not expect, a bad statement) and keeps its original error.
import Database from 'better-sqlite3';
import { StoreError, errorMessage } from '../../core/errors.js';

export function notIgtgDatabase(file: string, detail?: string): StoreError {
  return new StoreError(`the store at ${file} is not a valid igtg database${detail ? ` (${detail})` : ''}`);
}

export function storeErrorFor(file: string, error: unknown): StoreError | null {
  if (error instanceof StoreError) return error;
  if (!(error instanceof Database.SqliteError)) return null;
  const code = error.code;
  const options = { cause: error };
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StoreError(
      `the store at ${file} is locked by another igtg process; try again when it has finished`,
      options,
    );
  }
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new StoreError(`the store at ${file} is not a valid igtg database (${error.message})`, options);
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH') {
    return new StoreError(`the store at ${file} cannot be written (${error.message})`, options);
  }
  if (code === 'SQLITE_FULL') return new StoreError(`the disk holding the store at ${file} is full`, options);
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR')) {
    return new StoreError(`the store at ${file} cannot be read (${error.message})`, options);
  }
  return null;
}

/** Runs `action`, rethrowing SQLite failures the user can act on as StoreErrors. */
export function guarded<T>(file: string, action: () => T): T {
  try {
    return action();
  } catch (error) {
    throw storeErrorFor(file, error) ?? error;
  }
}

export function describeOpenFailure(file: string, error: unknown): StoreError {
  return (
    storeErrorFor(file, error) ??
    new StoreError(`cannot open the store at ${file}: ${errorMessage(error)}`, { cause: error })
  );
}

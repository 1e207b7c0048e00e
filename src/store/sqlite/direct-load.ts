// The first import into an empty store is written straight into the file. In WAL mode every page
// is written twice (to the WAL, then again at the checkpoint when the import commits); SQLite's
// rollback journal keeps no copy of the pages added past the end of the file, so a load into an
// empty store writes each page once and rolls back by cutting the file to its old length. For a
// million messages that is ~1.5 s less (the commit no longer copies a WAL as big as the store).
// The price: while it runs, other processes cannot read the store (which is empty anyway); they
// wait, then say it is locked. Switching out of WAL needs the store to itself, so with another
// connection open (a bridge, a search) the import goes through the WAL as every write does.
import type { Database } from 'better-sqlite3';

const IS_EMPTY = 'SELECT NOT EXISTS (SELECT 1 FROM messages) AND NOT EXISTS (SELECT 1 FROM threads) AS empty';

/**
 * Switches a store that holds nothing to the rollback journal for a load; false (and nothing
 * changed) when it holds something or another connection has it open. Never waits for a lock.
 */
export function startDirectLoad(db: Database, busyTimeoutMs: number): boolean {
  if (!(db.prepare(IS_EMPTY).get() as { empty: number }).empty) return false;
  db.pragma('busy_timeout = 0');
  try {
    return db.pragma('journal_mode = DELETE', { simple: true }) === 'delete';
  } catch {
    // SQLITE_BUSY: another connection holds the store open.
    return false;
  } finally {
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  }
}

/**
 * The pragmas of a connection writing a direct load. FULL makes the rollback journal as safe
 * against a power cut as the WAL is at NORMAL (it syncs the journal before the store is changed).
 */
export function directLoadPragmas(db: Database): void {
  db.pragma('synchronous = FULL');
}

/**
 * Back to WAL once the load's connections are done. Best effort: if another process is already
 * waiting for the store, its own open switches it back (every igtg open sets WAL).
 */
export function endDirectLoad(db: Database): void {
  try {
    db.pragma('journal_mode = WAL');
  } catch {
    // Busy: see above.
  }
}

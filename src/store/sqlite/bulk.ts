// One transaction for a bulk writer (Store.beginBulk). The batches written inside it become
// savepoints: better-sqlite3 turns a transaction started inside an open one into a savepoint.
import { StoreError } from '../../core/errors.js';
import type { Connection } from './connection.js';
import type { BulkStep } from './writer-protocol.js';

/** Connections in a bulk transaction, from its begin to its commit or rollback step. */
const inBulk = new WeakSet<Connection>();

/**
 * Refuses a write meant for a bulk transaction that SQLite has already rolled back (it does so on
 * some failures, a full disk): on its own, the write would commit by itself. An import keeps
 * writes in flight, so more may come after the one that failed.
 */
export function checkBulkIntact(conn: Connection): void {
  if (inBulk.has(conn) && !conn.db.inTransaction) {
    throw new StoreError('the import was undone by an earlier failed write; nothing of it was saved');
  }
}

export function bulkStep(conn: Connection, step: BulkStep): void {
  if (step === 'begin') {
    // The pragma is a no-op inside a transaction, so it is set for the whole of it here: every
    // message's thread key is read in the write itself (write-batch.ts), and bulk writes merge no
    // threads, so the per-row foreign key lookup could never fail.
    conn.db.pragma('foreign_keys = OFF');
    try {
      conn.db.exec('BEGIN IMMEDIATE');
      inBulk.add(conn);
    } catch (error) {
      conn.db.pragma('foreign_keys = ON');
      throw error;
    }
    return;
  }
  inBulk.delete(conn);
  try {
    // Some failures (a full disk) have rolled the transaction back already.
    if (step === 'commit') conn.db.exec('COMMIT');
    else if (conn.db.inTransaction) conn.db.exec('ROLLBACK');
  } finally {
    if (!conn.db.inTransaction) conn.db.pragma('foreign_keys = ON');
  }
}

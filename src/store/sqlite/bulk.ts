// One transaction for a bulk writer (Store.beginBulk). The batches written inside it become
// savepoints: better-sqlite3 turns a transaction started inside an open one into a savepoint.
import type { Connection } from './connection.js';
import type { BulkStep } from './writer-protocol.js';

export function bulkStep(conn: Connection, step: BulkStep): void {
  if (step === 'begin') {
    // The pragma is a no-op inside a transaction, so it is set for the whole of it here: every
    // message's thread key is read in the write itself (write-batch.ts), and bulk writes merge no
    // threads, so the per-row foreign key lookup could never fail.
    conn.db.pragma('foreign_keys = OFF');
    try {
      conn.db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      conn.db.pragma('foreign_keys = ON');
      throw error;
    }
    return;
  }
  try {
    // Some failures (a full disk) have rolled the transaction back already.
    if (step === 'commit') conn.db.exec('COMMIT');
    else if (conn.db.inTransaction) conn.db.exec('ROLLBACK');
  } finally {
    if (!conn.db.inTransaction) conn.db.pragma('foreign_keys = ON');
  }
}

// Key/value metadata, sync state and the audit log.
import type { AuditEntry, SyncState } from '../store.js';
import type { Connection } from './connection.js';
import { type SyncStateRow, rowToSyncState } from './thread-rows.js';
import { sqlLimit } from './message-queries.js';
import { UPSERT_META } from './write-batch.js';

export function getMeta(conn: Connection, key: string): string | null {
  const row = conn.statement('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row ? row.value : null;
}

export function setMeta(conn: Connection, key: string, value: string | null): void {
  if (value === null) conn.statement('DELETE FROM meta WHERE key = ?').run(key);
  else conn.statement(UPSERT_META).run(key, value);
}

export function getSyncState(conn: Connection, key: string): SyncState | null {
  const row = conn.statement('SELECT * FROM sync_state WHERE key = ?').get(key);
  return row ? rowToSyncState(row as SyncStateRow) : null;
}

export function audit(conn: Connection, entry: AuditEntry): void {
  conn
    .statement('INSERT INTO audit (at, actor, action, detail) VALUES (@at, @actor, @action, @detail)')
    .run({ ...entry, detail: entry.detail ?? null });
}

export function listAudit(conn: Connection, limit: number): AuditEntry[] {
  const rows = conn
    .statement('SELECT at, actor, action, detail FROM audit ORDER BY at DESC, id DESC LIMIT ?')
    .all(sqlLimit(limit));
  return rows as AuditEntry[];
}

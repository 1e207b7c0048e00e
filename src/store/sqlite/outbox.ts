// The outbox: deliveries in both bridge directions, in order per lane, with leases and dead letters.
// Acked entries are kept (done = 1) so their dedupe key keeps a re-enqueue from delivering twice.
import { StoreError } from '../../core/errors.js';
import type { EpochMs } from '../../core/model.js';
import type { OutboxDirection, OutboxEntry, OutboxEntryInput, OutboxStats } from '../store.js';
import type { Connection } from './connection.js';

const COLUMNS =
  'id, direction, dedupe_key, lane, payload, client_context, attempts, next_attempt_at, last_error, dead_lettered, created_at, lease_until';

interface OutboxRow {
  id: number;
  direction: OutboxDirection;
  dedupe_key: string;
  lane: string;
  payload: string;
  client_context: string | null;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  dead_lettered: number;
  created_at: number;
  lease_until: number | null;
}

function rowToEntry(row: OutboxRow): OutboxEntry {
  return {
    id: row.id,
    direction: row.direction,
    dedupeKey: row.dedupe_key,
    lane: row.lane,
    payload: JSON.parse(row.payload) as unknown,
    clientContext: row.client_context,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    deadLettered: row.dead_lettered === 1,
    createdAt: row.created_at,
    leaseUntil: row.lease_until,
  };
}

function entryById(conn: Connection, id: number): OutboxEntry | null {
  const row = conn.statement(`SELECT ${COLUMNS} FROM outbox WHERE id = ?`).get(id);
  return row ? rowToEntry(row as OutboxRow) : null;
}

export function enqueue(conn: Connection, entry: OutboxEntryInput, now: EpochMs): OutboxEntry {
  return conn.db
    .transaction(() => {
      const existing = conn.statement(`SELECT ${COLUMNS} FROM outbox WHERE dedupe_key = ?`).get(entry.dedupeKey);
      if (existing) return rowToEntry(existing as OutboxRow);
      const { lastInsertRowid } = conn
        .statement(
          `INSERT INTO outbox (direction, dedupe_key, lane, payload, client_context, next_attempt_at, created_at)
         VALUES (@direction, @dedupeKey, @lane, @payload, @clientContext, @now, @now)`,
        )
        .run({
          direction: entry.direction,
          dedupeKey: entry.dedupeKey,
          lane: entry.lane,
          payload: JSON.stringify(entry.payload ?? null),
          clientContext: entry.clientContext ?? null,
          now,
        });
      return entryById(conn, Number(lastInsertRowid))!;
      // IMMEDIATE: a read that turns into a write cannot wait for another process's write lock (SQLite
      // skips the busy handler then) and would fail at once instead of waiting busy_timeout.
    })
    .immediate();
}

// The head of each lane is its oldest open entry; a lane whose head is not due (or is leased)
// delivers nothing, so entries of one lane never overtake each other.
const CLAIMABLE = `
SELECT ${COLUMNS} FROM outbox
WHERE id IN (SELECT min(id) FROM outbox WHERE direction = @direction AND done = 0 AND dead_lettered = 0 GROUP BY lane)
  AND next_attempt_at <= @now AND (lease_until IS NULL OR lease_until <= @now)
ORDER BY id
LIMIT @limit`;

export function claimDue(
  conn: Connection,
  direction: OutboxDirection,
  now: EpochMs,
  limit: number,
  leaseMs: number,
): OutboxEntry[] {
  if (!(limit > 0)) return [];
  return conn.db
    .transaction(() => {
      const rows = conn.statement(CLAIMABLE).all({ direction, now, limit: Math.floor(limit) }) as OutboxRow[];
      const leaseUntil = now + leaseMs;
      const lease = conn.statement('UPDATE outbox SET lease_until = ? WHERE id = ?');
      return rows.map((row) => {
        lease.run(leaseUntil, row.id);
        return rowToEntry({ ...row, lease_until: leaseUntil });
      });
    })
    .immediate();
}

export function ack(conn: Connection, id: number): void {
  conn.statement('UPDATE outbox SET done = 1, lease_until = NULL WHERE id = ?').run(id);
}

export function fail(
  conn: Connection,
  id: number,
  error: string,
  nextAttemptAt: EpochMs,
  maxAttempts: number,
): OutboxEntry {
  return conn.db
    .transaction(() => {
      const { changes } = conn
        .statement(
          `UPDATE outbox SET attempts = attempts + 1, last_error = @error, next_attempt_at = @nextAttemptAt, lease_until = NULL,
           dead_lettered = CASE WHEN attempts + 1 >= @maxAttempts THEN 1 ELSE dead_lettered END
         WHERE id = @id`,
        )
        .run({ id, error, nextAttemptAt, maxAttempts });
      if (changes === 0) throw new StoreError(`outbox entry ${id} does not exist`);
      return entryById(conn, id)!;
    })
    .immediate();
}

export function postpone(conn: Connection, id: number, error: string, nextAttemptAt: EpochMs): OutboxEntry {
  return conn.db
    .transaction(() => {
      const { changes } = conn
        .statement('UPDATE outbox SET last_error = ?, next_attempt_at = ?, lease_until = NULL WHERE id = ?')
        .run(error, nextAttemptAt, id);
      if (changes === 0) throw new StoreError(`outbox entry ${id} does not exist`);
      return entryById(conn, id)!;
    })
    .immediate();
}

export function wakeOutbox(conn: Connection, direction: OutboxDirection, now: EpochMs): number {
  return conn
    .statement(
      `UPDATE outbox SET next_attempt_at = ?
       WHERE direction = ? AND done = 0 AND dead_lettered = 0 AND next_attempt_at > ?
         AND (lease_until IS NULL OR lease_until <= ?)`,
    )
    .run(now, direction, now, now).changes;
}

export function releaseLeases(conn: Connection, now: EpochMs): number {
  return conn.statement('UPDATE outbox SET lease_until = NULL WHERE done = 0 AND lease_until > ?').run(now).changes;
}

export function listDeadLetters(conn: Connection): OutboxEntry[] {
  const rows = conn.statement(`SELECT ${COLUMNS} FROM outbox WHERE dead_lettered = 1 ORDER BY id`).all();
  return (rows as OutboxRow[]).map(rowToEntry);
}

export function retryDeadLetters(conn: Connection, now: EpochMs): number {
  return conn
    .statement(
      'UPDATE outbox SET dead_lettered = 0, attempts = 0, next_attempt_at = ?, lease_until = NULL WHERE dead_lettered = 1',
    )
    .run(now).changes;
}

export function outboxStats(conn: Connection): OutboxStats {
  const row = conn
    .statement(
      `SELECT (SELECT count(*) FROM outbox WHERE done = 0 AND dead_lettered = 0) AS pending,
              (SELECT count(*) FROM outbox WHERE dead_lettered = 1) AS deadLettered`,
    )
    .get() as OutboxStats;
  return { pending: row.pending, deadLettered: row.deadLettered };
}

// The open database with a cache of prepared statements, shared by the adapter's modules.
import type { Database, Statement } from 'better-sqlite3';

export class Connection {
  private readonly statements = new Map<string, Statement>();

  constructor(
    readonly db: Database,
    readonly file: string,
    readonly busyTimeoutMs: number,
  ) {}

  statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

/** Booleans go to SQLite as 0/1. */
export function bit(value: boolean): number {
  return value ? 1 : 0;
}

export function parseJson<T>(text: string | null, fallback: T): T {
  return text === null ? fallback : (JSON.parse(text) as T);
}

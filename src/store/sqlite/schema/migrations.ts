// Versioned schema: PRAGMA user_version holds the applied version and each migration runs in its
// own IMMEDIATE transaction, so two processes opening a fresh file cannot both apply it.
import type { Database } from 'better-sqlite3';
import { StoreError } from '../../../core/errors.js';
import { notIgtgDatabase } from '../errors.js';
import { V1_INITIAL } from './v1-initial.js';
import { addTimeKeys } from './v2-time-keys.js';

/** PRAGMA application_id of every igtg database: "igtg" in ASCII. */
export const APPLICATION_ID = 0x69677467;

interface Migration {
  version: number;
  up: (db: Database) => void;
}

const MIGRATIONS: Migration[] = [
  { version: 1, up: (db) => db.exec(V1_INITIAL) },
  { version: 2, up: addTimeKeys },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

function pragmaNumber(db: Database, name: string): number {
  return Number(db.pragma(name, { simple: true }));
}

/** Refuses files that are SQLite but not ours, or written by a newer igtg. */
export function checkIdentity(db: Database, file: string): void {
  const applicationId = pragmaNumber(db, 'application_id');
  const version = pragmaNumber(db, 'user_version');
  if (applicationId === 0) {
    const tables = db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number };
    if (version !== 0 || tables.n > 0) throw notIgtgDatabase(file, 'it belongs to another application');
    return;
  }
  if (applicationId !== APPLICATION_ID) throw notIgtgDatabase(file, 'it belongs to another application');
  if (version > SCHEMA_VERSION) {
    throw new StoreError(
      `the store at ${file} was written by a newer igtg (schema ${version}, this igtg knows ${SCHEMA_VERSION}); upgrade igtg`,
    );
  }
}

/** Told before a file written by an earlier igtg is upgraded (which may take a while). */
export type UpgradeListener = (fromVersion: number, toVersion: number) => void;

/** Applies what is missing; `onUpgrade` hears of it first when the file already held a schema. */
export function migrate(db: Database, onUpgrade?: UpgradeListener): void {
  const current = pragmaNumber(db, 'user_version');
  if (current > 0 && current < SCHEMA_VERSION) onUpgrade?.(current, SCHEMA_VERSION);
  for (const migration of MIGRATIONS) {
    if (pragmaNumber(db, 'user_version') >= migration.version) continue;
    db.transaction(() => {
      if (pragmaNumber(db, 'user_version') >= migration.version) return;
      migration.up(db);
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}

// Opens the SQLite file privately (folder 0700, files 0600) with the pragmas every connection needs.
import { accessSync, chmodSync, closeSync, constants, existsSync, openSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from '../../core/errors.js';
import { SCHEMA_VERSION, checkIdentity, migrate, type UpgradeListener } from './schema/migrations.js';
import { describeOpenFailure } from './errors.js';
import { directLoadPragmas } from './direct-load.js';
import { makeDirSync } from '../../core/make-dir.js';

export interface OpenOptions {
  /** How long to wait for another process's write lock before giving up (ms). */
  busyTimeoutMs?: number;
  onUpgrade?: UpgradeListener;
  /**
   * write() runs on a thread of its own (writer-thread.ts) so the caller can prepare the next
   * batch meanwhile; for imports. Ignored for an in-memory database, which a thread cannot share.
   */
  writerThread?: boolean;
  /**
   * For commands that only read: a store this process may not write (read-only media, another
   * user's copy) is opened read-only instead of failing, provided its schema is current.
   */
  readOnlyIfNeeded?: boolean;
  /**
   * For imports, with `writerThread`: a store that holds nothing yet is loaded without the WAL
   * (direct-load.ts), when no other connection has it open.
   */
  directLoad?: boolean;
  /** Internal: the writer thread's connection joins the direct load its store started. */
  joinDirectLoad?: boolean;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

function createPrivately(file: string): void {
  const dir = dirname(file);
  if (!existsSync(dir)) makeDirSync(dir, 0o700);
  // Creating the (empty, hence valid) file ourselves means it never exists with a wider mode.
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
}

/** The files SQLite keeps beside a WAL store while connections have it open. */
function sidecarsOf(file: string): string[] {
  return [`${file}-wal`, `${file}-shm`];
}

/** Takes group and other access away; an owner who made a file stricter (0400) keeps it so. */
function tightenModes(file: string): void {
  for (const path of [file, ...sidecarsOf(file)]) {
    try {
      const mode = statSync(path).mode & 0o777;
      if (mode & 0o077) chmodSync(path, mode & 0o700);
    } catch {
      // -wal/-shm exist only while a connection has them open; a missing one needs nothing.
    }
  }
}

function applyPragmas(db: Database.Database, busyTimeoutMs: number, joinDirectLoad: boolean): void {
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  if (joinDirectLoad) {
    directLoadPragmas(db);
  } else {
    db.pragma('journal_mode = WAL');
    // NORMAL is durable across process crashes in WAL mode; only a power loss can drop the last commit.
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
  // 8 MB: a 1M-message import runs as fast as with 32 MB and peaks ~40 MB lower; search reads are
  // memory-mapped (search.ts) and barely use the cache.
  db.pragma('cache_size = -8000');
}

function canCreateIn(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** False when this process could not write the file, or create the -wal and -shm files beside it. */
function canWrite(file: string): boolean {
  try {
    accessSync(file, constants.W_OK);
  } catch {
    return false;
  }
  return canCreateIn(dirname(file));
}

function openReadOnly(file: string, busyTimeoutMs: number): Database.Database {
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs });
  try {
    // Reading a WAL database takes its -shm file: one that is missing must be created beside it.
    if (!existsSync(`${file}-shm`) && !canCreateIn(dirname(file))) {
      throw new StoreError(
        `the store at ${file} is read-only here, and SQLite must create ${basename(file)}-shm beside it even to read it: ` +
          'give this user write access to its folder, or copy the store somewhere writable',
      );
    }
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    checkIdentity(db, file);
    const version = Number(db.pragma('user_version', { simple: true }));
    if (version < SCHEMA_VERSION) {
      throw new StoreError(
        `the store at ${file} cannot be written here, and it needs an upgrade (schema ${version} to ${SCHEMA_VERSION}) first: open it once with write access`,
      );
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * A read-only open of a store made read-only (chmod 400) leaves its -wal and -shm with that mode
 * (SQLite gives them the store's): once the store is writable again, they would still refuse every
 * write. This user's own are given back the store's write access.
 */
function unlockSidecars(file: string): void {
  const uid = process.getuid?.();
  for (const path of sidecarsOf(file)) {
    try {
      const info = statSync(path);
      if (info.uid === uid && (info.mode & 0o200) === 0) chmodSync(path, (info.mode & 0o700) | 0o600);
    } catch {
      // Missing (no connection has it), or not ours to change: SQLite says what it meets.
    }
  }
}

/**
 * A -journal left beside the store by an import stopped part-way (direct-load.ts) must be rolled
 * back before the store can be read, and that deletes it: SQLite's own errors for a folder this
 * user cannot write are "disk I/O error" or the -shm one of openReadOnly.
 */
function checkLeftJournal(file: string): void {
  const journal = `${file}-journal`;
  let size: number;
  try {
    size = statSync(journal).size;
  } catch {
    return;
  }
  if (size === 0 || (canWrite(file) && canCreateIn(dirname(file)))) return;
  throw new StoreError(
    `the store at ${file} holds an import that was stopped part-way (${basename(journal)} beside it), and undoing it ` +
      'needs write access to the store and its folder: give this user that access, then run any igtg command',
  );
}

/** Opens (creating if needed) and migrates the igtg database at `file`. Throws StoreError on failure. */
export function openDatabase(file: string, options: OpenOptions = {}): Database.Database {
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  checkLeftJournal(file);
  if (options.readOnlyIfNeeded && existsSync(file) && !canWrite(file)) {
    try {
      return openReadOnly(file, busyTimeoutMs);
    } catch (error) {
      throw describeOpenFailure(file, error);
    }
  }
  let db: Database.Database | null = null;
  try {
    createPrivately(file);
    if (canWrite(file)) unlockSidecars(file);
    db = new Database(file, { timeout: busyTimeoutMs });
    applyPragmas(db, busyTimeoutMs, options.joinDirectLoad === true);
    checkIdentity(db, file);
    migrate(db, options.onUpgrade);
    tightenModes(file);
    return db;
  } catch (error) {
    db?.close();
    throw describeOpenFailure(file, error);
  }
}

/** A second, read-only connection for long reads (streams) so the main one stays usable meanwhile. */
export function openReader(file: string, busyTimeoutMs: number): Database.Database {
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs });
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  return db;
}

// Picks the store a profile uses: IGTG_DB, then the `db` setting, then the SQLite file in the
// profile's data folder. Adapters are imported lazily so `igtg --help` never loads a driver.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { StoreMissingError, UsageError } from '../core/errors.js';
import type { UpgradeListener } from './sqlite/schema/migrations.js';
import type { Store } from './store.js';
import { urlUserinfo } from '../core/url-userinfo.js';

export type StoreTarget = { kind: 'sqlite'; file: string } | { kind: 'mongodb'; url: string };

/** The path after `sqlite:` or `sqlite://` (`sqlite://rel.db` is relative too); null without the prefix. */
function sqlitePath(value: string): string | null {
  return /^sqlite:/i.test(value) ? value.replace(/^sqlite:(\/\/)?/i, '') : null;
}

export function resolveStoreTarget(configured: string | null | undefined, defaultFile: string): StoreTarget {
  const value = configured?.trim();
  if (!value) return { kind: 'sqlite', file: defaultFile };
  if (/^mongodb(\+srv)?:\/\//i.test(value)) return { kind: 'mongodb', url: value };
  const path = sqlitePath(value);
  if (path !== null) {
    if (!path) throw new UsageError('IGTG_DB: "sqlite:" needs a file path, e.g. sqlite:/path/to/igtg.db');
    return { kind: 'sqlite', file: resolve(path) };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw new UsageError(
      `IGTG_DB: unsupported store URL scheme in "${redactUrl(value)}" (use mongodb://, mongodb+srv:// or a file path)`,
    );
  }
  return { kind: 'sqlite', file: resolve(value) };
}

/**
 * A store setting that names the same store from any folder: a relative file path (plain, or after
 * `sqlite:` / `sqlite://`) made absolute from `cwd`; URLs as they are.
 */
export function absoluteStoreTarget(value: string, cwd: string = process.cwd()): string {
  const path = sqlitePath(value);
  if (path !== null) return `sqlite:${resolve(cwd, path)}`;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value;
  return resolve(cwd, value);
}

/** A URL fit for messages and `igtg status`: the password is never shown. */
export function redactUrl(url: string): string {
  const parts = urlUserinfo(url);
  if (!parts) return url;
  return `${parts.scheme}${parts.user ? `${parts.user}:***` : '***'}@${parts.rest}`;
}

export interface OpenStoreOptions {
  /** Told before an embedded (SQLite) store written by an earlier igtg is upgraded. */
  onUpgrade?: UpgradeListener;
  /** SQLite: writes run on a thread of their own while the caller prepares the next (imports). */
  writerThread?: boolean;
  /** SQLite, with writerThread: an empty store is loaded without the WAL (sqlite/direct-load.ts). */
  directLoad?: boolean;
  /**
   * For commands that only read: an embedded store that does not exist is an error instead of
   * being created, so a mistyped profile or path never shows (or exports) an empty store.
   */
  mustExist?: boolean;
  /** SQLite: a store this process may not write is opened read-only (for commands that only read). */
  readOnlyIfNeeded?: boolean;
  /** SQLite: how long a write waits for another process's write (an import) to end; 5 s by default. */
  busyTimeoutMs?: number;
}

export async function openStore(target: StoreTarget, options: OpenStoreOptions = {}): Promise<Store> {
  if (target.kind === 'sqlite') {
    // A 0-byte file is what an open that failed at once leaves: no store either.
    if (
      options.mustExist &&
      target.file !== ':memory:' &&
      !(existsSync(target.file) && statSync(target.file).size > 0)
    ) {
      throw new StoreMissingError(target.file);
    }
    const { openSqliteStore } = await import('./sqlite/sqlite-store.js');
    return openSqliteStore(target.file, {
      onUpgrade: options.onUpgrade,
      writerThread: options.writerThread,
      directLoad: options.directLoad,
      readOnlyIfNeeded: options.readOnlyIfNeeded,
      busyTimeoutMs: options.busyTimeoutMs,
    });
  }
  const { openMongoStore } = await import('./mongo/mongo-store.js');
  return openMongoStore(target.url, { mustExist: options.mustExist });
}

// Where an export goes: stdout, a file, or a folder, resolved to one canonical absolute path so
// the lock and the `--since last` state of a target do not depend on how it was spelled.
import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';
import { isFileFormat, type ExportFormat } from './types.js';

export type ExportTarget = { kind: 'stdout' } | { kind: 'file'; path: string } | { kind: 'folder'; path: string };

const DEFAULT_OUT: Record<ExportFormat, string> = {
  html: 'igtg-export-html',
  md: 'igtg-export-md',
  json: 'igtg-export.json',
  jsonl: 'igtg-export.jsonl',
  csv: 'igtg-export.csv',
};

/** The path with every existing part's links resolved (the part that does not exist yet as written). */
export function canonicalPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(canonicalPath(parent), basename(path));
  }
}

export function resolveExportTarget(format: ExportFormat, out: string | null | undefined, cwd: string): ExportTarget {
  if (out === '-') {
    if (!isFileFormat(format)) throw new UsageError(`--out -: ${format} is a folder of files; give a folder path`);
    return { kind: 'stdout' };
  }
  if (out !== null && out !== undefined && out.trim() === '') {
    // An unset variable in a cron line (`-o "$OUT"`) must not export into the working folder.
    throw new UsageError('--out is empty: give a file or folder path, or - for stdout');
  }
  const value = out ?? DEFAULT_OUT[format];
  const path = canonicalPath(resolve(cwd, value));
  if (!isFileFormat(format)) return { kind: 'folder', path };
  // `-o backups/` or a folder that exists: the file goes into it, under its default name (as `cp`).
  if (/[\\/]$/.test(value) || isFolder(path)) return { kind: 'file', path: join(path, DEFAULT_OUT[format]) };
  return { kind: 'file', path };
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The key of a target for its lock and its `--since last` state. */
export function targetKey(target: ExportTarget): string {
  return target.kind === 'stdout' ? '-' : target.path;
}

export function describeTarget(target: ExportTarget): string {
  return target.kind === 'stdout' ? 'stdout' : target.path;
}

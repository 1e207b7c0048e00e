// What `--since last` compares against: for each output target, the store sequence number read
// when the last successful export to it began. Kept in the store's metadata, so it travels with
// the data it describes. Written only after the export was committed.
import type { Store } from '../store/store.js';
import { targetKey, type ExportTarget } from './export-target.js';
import type { ExportFormat } from './types.js';

/** A file target as that export left it. */
export interface FileIdentity {
  size: number;
  mtimeMs: number;
}

export interface ExportState {
  /** `storeSeq()` when that export began: later exports take messages stored at or after it. */
  seq: number;
  /** When that export finished (ISO). */
  at: string;
  format: ExportFormat;
  /** csv: written with --excel (a grown file keeps one dialect). */
  excel?: boolean;
  /** A file target, as the export left it (jsonl and csv files grow only while they are unchanged). */
  file?: FileIdentity;
}

export function exportStateKey(targetKey: string): string {
  return `export.last:${targetKey}`;
}

export async function readExportState(store: Store, targetKey: string): Promise<ExportState | null> {
  const raw = await store.getMeta(exportStateKey(targetKey));
  if (!raw) return null;
  try {
    const state = JSON.parse(raw) as Partial<ExportState>;
    return typeof state.seq === 'number' ? (state as ExportState) : null;
  } catch {
    return null;
  }
}

export async function writeExportState(store: Store, targetKey: string, state: ExportState): Promise<void> {
  await store.setMeta(exportStateKey(targetKey), JSON.stringify(state));
}

/** Forgets the mark: the next `--since last` run to the target exports everything. */
export async function clearExportState(store: Store, targetKey: string): Promise<void> {
  await store.setMeta(exportStateKey(targetKey), '');
}

/**
 * The state a `--since last` run reads and writes: one per target, and per format on stdout and
 * per thread selection, so runs that export different things never take each other's messages.
 */
export function sinceLastKey(
  target: ExportTarget,
  format: ExportFormat,
  threadIds: readonly string[] | undefined,
): string {
  let key = targetKey(target);
  if (target.kind === 'stdout') key += `|${format}`;
  if (threadIds?.length) key += `|threads:${[...new Set(threadIds)].sort().join(',')}`;
  return key;
}

/**
 * The state under `key`; before a run has written one, the state an older version kept for the
 * whole target (`legacyKey`), if it was of the same format.
 */
export async function readSinceLastState(
  store: Store,
  key: string,
  legacyKey: string,
  format: ExportFormat,
): Promise<ExportState | null> {
  const state = await readExportState(store, key);
  if (state || key === legacyKey) return state;
  const legacy = await readExportState(store, legacyKey);
  return legacy?.format === format ? legacy : null;
}

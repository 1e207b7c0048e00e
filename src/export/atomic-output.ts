// Writes an export so that readers only ever see a complete one. A file is written under a
// temporary name beside the target and renamed over it; a folder is written as a temporary folder
// beside the target and swapped in (target -> .old, temp -> target, then .old removed). A run that
// is killed leaves the previous export in place plus hidden `.NAME.igtg-tmp-PID-…` leftovers, which
// the next run to the same target removes (or, if killed mid-swap, uses to restore the target).
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, type Stats } from 'node:fs';
import { open, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../core/errors.js';
import { makeDir } from '../core/make-dir.js';
import { isProcessAlive } from '../core/process-alive.js';

/** The file igtg writes into every folder export; only folders holding it are ever replaced. */
export const EXPORT_MARKER = '.igtg-export';

const LEFTOVER = /^\.(.+)\.igtg-(tmp|old)-(\d+)-[0-9a-f]+$/;

export interface AtomicOutput {
  /** Where the writer writes: a temporary file or folder beside the target. */
  readonly path: string;
  /** Puts the written output in place of the target. */
  commit(): Promise<void>;
  /** Removes the temporary output; the target is left as it was. */
  discard(): Promise<void>;
}

async function statOrNull(path: string): Promise<Stats | null> {
  try {
    return await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function isAlive(pid: number): boolean {
  return pid === process.pid || isProcessAlive(pid);
}

function siblingName(target: string, kind: 'tmp' | 'old'): string {
  return join(dirname(target), `.${basename(target)}.igtg-${kind}-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** Leftovers of runs that died; restores the target if a run died between the two renames of a swap. */
export async function recoverLeftovers(target: string): Promise<void> {
  const dir = dirname(target);
  const name = basename(target);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const dead = names
    .map((entry) => ({ entry, match: LEFTOVER.exec(entry) }))
    .filter(({ match }) => match && match[1] === name && !isAlive(Number(match[3])));
  for (const { entry, match } of dead) {
    const path = join(dir, entry);
    if (match![2] === 'old' && !(await statOrNull(target))) await rename(path, target);
    else await rm(path, { recursive: true, force: true });
  }
}

/**
 * How every file format's output begins (json-writer, jsonl-writer, csv-writer: a test keeps this
 * in step), after the BOM of `--excel`. A file that begins otherwise is not an igtg export.
 */
export const FILE_EXPORT_STARTS = ['{"threads":[', '{"message_id":', 'message_id,thread_id,'];
const BOM = '\uFEFF';

/**
 * Checks that the target may be written (and later replaced) by a file export: it does not exist,
 * is empty, or is an earlier igtg export. Anything else is refused, so a mistyped `--out` (under
 * cron, say) never replaces someone's file.
 */
export async function checkFileTarget(target: string): Promise<void> {
  const current = await statOrNull(target);
  if (!current) return;
  if (!current.isFile()) throw new UsageError(`--out: ${target} exists and is not a file`);
  if (current.size === 0) return;
  const head = await readHead(target, 64);
  const text = head.startsWith(BOM) ? head.slice(BOM.length) : head;
  if (!FILE_EXPORT_STARTS.some((start) => text.startsWith(start))) {
    throw new UsageError(`--out: ${target} is a file that igtg did not export; remove it or give another file`);
  }
}

async function readHead(path: string, bytes: number): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

/**
 * Checks that the target may be replaced by a folder export: it does not exist, is empty, or is an
 * earlier igtg export (holds the marker). Anything else is refused, so no one's folder is replaced.
 */
export async function checkFolderTarget(target: string): Promise<void> {
  const current = await statOrNull(target);
  if (!current) return;
  if (!current.isDirectory()) throw new UsageError(`--out: ${target} exists and is not a folder`);
  // The swap renames the target, which a mount point (a USB stick's root) refuses after all the work.
  const parent = await stat(dirname(target));
  if (parent.dev !== current.dev) {
    throw new UsageError(`--out: ${target} is a mount point, which an export cannot replace; give a folder inside it`);
  }
  const entries = await readdir(target);
  if (entries.length > 0 && !entries.includes(EXPORT_MARKER)) {
    throw new UsageError(`--out: ${target} is a folder that igtg did not export into; give a new or empty folder`);
  }
}

type Phase = 'writing' | 'swapping' | 'done';

/**
 * Runs `cleanup` (removing a temporary output) when the process is interrupted, then exits as the
 * signal would, before anything records the run as done. Returns the function that removes the guard.
 */
export function guardSignals(cleanup: () => void): () => void {
  const signals: Array<[NodeJS.Signals, number]> = [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ];
  const handlers = signals.map(([signal, code]) => {
    const handler = () => {
      cleanup();
      process.exit(code);
    };
    process.once(signal, handler);
    return [signal, handler] as const;
  });
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}

// Folders an export creates on its way to the target are private, as the export is (0600).
const NEW_FOLDER_MODE = 0o700;

export async function openAtomicFile(target: string): Promise<AtomicOutput> {
  await makeDir(dirname(target), NEW_FOLDER_MODE);
  const temp = siblingName(target, 'tmp');
  let phase: Phase = 'writing';
  const unguard = guardSignals(() => {
    if (phase === 'writing') rmSync(temp, { force: true });
  });
  return {
    path: temp,
    async commit() {
      renameSync(temp, target);
      phase = 'done';
      unguard();
    },
    async discard() {
      phase = 'done';
      unguard();
      await rm(temp, { force: true });
    },
  };
}

export async function openAtomicFolder(target: string, marker: string): Promise<AtomicOutput> {
  await makeDir(dirname(target), NEW_FOLDER_MODE);
  const temp = siblingName(target, 'tmp');
  mkdirSync(temp, { mode: 0o700 });
  await writeFile(join(temp, EXPORT_MARKER), marker, { mode: 0o600 });
  let phase: Phase = 'writing';
  let old: string | null = null;
  const unguard = guardSignals(() => {
    if (phase === 'swapping' && old) {
      // Interrupted between the renames: put the previous export back.
      try {
        renameSync(old, target);
      } catch {
        // The next run restores it from the .old folder.
      }
    }
    if (phase !== 'done') rmSync(temp, { recursive: true, force: true });
  });
  return {
    path: temp,
    async commit() {
      phase = 'swapping';
      // Both renames run without yielding, so no signal handler runs in between.
      if (await statOrNull(target)) {
        old = siblingName(target, 'old');
        renameSync(target, old);
      }
      try {
        renameSync(temp, target);
      } catch (error) {
        if (old) renameSync(old, target);
        throw error;
      }
      phase = 'done';
      unguard();
      if (old) await rm(old, { recursive: true, force: true });
    },
    async discard() {
      phase = 'done';
      unguard();
      await rm(temp, { recursive: true, force: true });
    },
  };
}

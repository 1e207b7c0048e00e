// One export run: resolve what to export, take the target's lock, stream the messages through the
// format's writer into a temporary output, put it in place, and only then record the state that
// `--since last` reads. Any failure leaves the previous export and state untouched.
import { copyFile, stat } from 'node:fs/promises';
import { sep } from 'node:path';
import type { Writable } from 'node:stream';
import { IgtgError, UsageError, errorMessage } from '../core/errors.js';
import type { EpochMs, Message, Thread } from '../core/model.js';
import { parseDateInput, toIso } from '../core/time.js';
import type { MessageStreamOptions, Store } from '../store/store.js';
import {
  checkFileTarget,
  checkFolderTarget,
  guardSignals,
  openAtomicFile,
  openAtomicFolder,
  recoverLeftovers,
  type AtomicOutput,
} from './atomic-output.js';
import { createCsvWriter } from './csv-writer.js';
import { acquireExportLock, type ExportLock } from './export-lock.js';
import {
  clearExportState,
  readSinceLastState,
  sinceLastKey,
  writeExportState,
  type ExportState,
  type FileIdentity,
} from './export-state.js';
import { canonicalPath, describeTarget, resolveExportTarget, targetKey, type ExportTarget } from './export-target.js';
import { createHtmlWriter } from './html/html-writer.js';
import { createJsonWriter } from './json-writer.js';
import { createJsonlWriter } from './jsonl-writer.js';
import { createMarkdownWriter } from './markdown/markdown-writer.js';
import { openFileSink, streamSink, type TextSink } from './text-sink.js';
import type { ExportFormat, ExportSummary, ExportWriter } from './types.js';

export interface ExportRequest {
  format: ExportFormat;
  /** `--out`: a path, `-` for stdout, or null for the default name in the current folder. */
  out: string | null;
  /** Only these threads (resolved from `--thread`); all when undefined. */
  threadIds?: string[];
  /** `--since`: a date or `last`. */
  since: string | null;
  until: string | null;
  excel: boolean;
  /** How long to wait for another export to the same target before giving up. */
  waitMs: number;
}

export interface ExportEnvironment {
  store: Store;
  mediaDir: string;
  stateDir: string;
  cwd: string;
  stdout: Writable;
  now?: () => EpochMs;
  /** A notice for the person running the export (stderr). */
  notice?: (text: string) => void;
  /** Called every few thousand messages with the running count. */
  progress?: (messages: number) => void;
  /** igtg's own folders and files (profile folders, the store file): never an export target. */
  ownPaths?: { folders: string[]; files: string[] };
}

/**
 * Formats whose `--since last` file target grows: the new messages are added after what it holds
 * (in a copy put in place whole), so a nightly job keeps everything. The others hold just the new ones.
 */
const APPENDED: readonly ExportFormat[] = ['jsonl', 'csv'];

interface Selection {
  threadIds: string[] | undefined;
  since: EpochMs | undefined;
  until: EpochMs | undefined;
  sinceLast: boolean;
}

function parseSelection(request: ExportRequest, now: EpochMs): Omit<Selection, 'threadIds'> {
  const sinceLast = request.since?.trim().toLowerCase() === 'last';
  const since = request.since && !sinceLast ? parseDateInput(request.since, '--since', now) : undefined;
  const until = request.until ? parseDateInput(request.until, '--until', now) : undefined;
  if (since !== undefined && until !== undefined && since >= until) {
    throw new UsageError('--since must be earlier than --until');
  }
  if (sinceLast && until !== undefined) {
    // The mark would move past messages the cutoff left out, and no later run would export them.
    throw new UsageError(
      '--since last cannot be combined with --until: what the cutoff leaves out would never be exported',
    );
  }
  return { since, until, sinceLast };
}

function describeSelection(selection: Selection, previous: ExportState | null): string | null {
  const parts: string[] = [];
  if (previous) parts.push(`only messages stored since the export of ${previous.at}`);
  if (selection.since !== undefined) parts.push(`sent from ${toIso(selection.since)}`);
  if (selection.until !== undefined) parts.push(`sent before ${toIso(selection.until)}`);
  if (selection.threadIds) parts.push(`${selection.threadIds.length} selected thread(s)`);
  return parts.length > 0 ? `This export holds ${parts.join(', ')}.` : null;
}

/** `appending`: the output starts as a copy of the file target, and the export is added after it. */
async function openOutput(
  format: ExportFormat,
  target: ExportTarget,
  appending: boolean,
): Promise<{ output: AtomicOutput | null; sink: (TextSink & { discard?(): Promise<void> }) | null }> {
  if (target.kind === 'stdout') return { output: null, sink: null };
  if (target.kind === 'file') {
    const output = await openAtomicFile(target.path);
    try {
      if (appending) await copyFile(target.path, output.path);
      return { output, sink: await openFileSink(output.path, { append: appending }) };
    } catch (error) {
      await output.discard();
      throw error;
    }
  }
  const marker = `${JSON.stringify({ format, tool: 'igtg export' })}\n`;
  return { output: await openAtomicFolder(target.path, marker), sink: null };
}

function createWriter(
  format: ExportFormat,
  request: ExportRequest,
  sink: TextSink | null,
  folder: string | null,
  env: ExportEnvironment,
  exportedAt: EpochMs,
  description: string | null,
  appending: boolean,
): ExportWriter {
  const lookupMessage = (threadId: string, messageId: string) => env.store.getMessage(threadId, messageId);
  switch (format) {
    case 'json':
      return createJsonWriter(sink!);
    case 'jsonl':
      return createJsonlWriter(sink!);
    case 'csv':
      return createCsvWriter(sink!, { excel: request.excel, header: !appending });
    case 'html':
      return createHtmlWriter({ dir: folder!, mediaDir: env.mediaDir, lookupMessage, exportedAt, description });
    case 'md':
      return createMarkdownWriter({ dir: folder!, mediaDir: env.mediaDir, lookupMessage, exportedAt, description });
  }
}

function fallbackThread(id: string): Thread {
  return {
    id,
    title: id,
    isGroup: false,
    isRequest: false,
    participants: [],
    lastActivityAt: null,
    source: 'api',
    archiveFolder: null,
  };
}

/** Feeds the stream to the writer thread by thread; returns the counts. */
async function pump(
  first: IteratorResult<Message>,
  iterator: AsyncIterator<Message>,
  writer: ExportWriter,
  store: Store,
  progress: ((messages: number) => void) | undefined,
): Promise<{ threads: number; messages: number }> {
  const seen = new Set<string>();
  let current: string | null = null;
  let messages = 0;
  for (let next = first; !next.done; next = await iterator.next()) {
    const message = next.value;
    if (message.threadId !== current) {
      if (seen.has(message.threadId)) throw new Error(`the store returned thread ${message.threadId} out of order`);
      if (current !== null) await writer.endThread();
      current = message.threadId;
      seen.add(current);
      await writer.beginThread((await store.getThread(current)) ?? fallbackThread(current));
    }
    await writer.message(message);
    messages += 1;
    if (progress && messages % 10_000 === 0) progress(messages);
    // Reading the store and writing to a file are synchronous: without a turn of the event loop now
    // and then, a SIGTERM would wait for the whole export (and then find its mark saved).
    if (messages % 1_000 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  if (current !== null) await writer.endThread();
  return { threads: seen.size, messages };
}

/** What a file target is after an export, kept with its mark: a grown file is added to only while it is unchanged. */
async function fileIdentity(path: string): Promise<FileIdentity | null> {
  try {
    const { size, mtimeMs } = await stat(path);
    return { size, mtimeMs };
  } catch {
    return null;
  }
}

function holdsExport(state: ExportState, format: ExportFormat, excel: boolean, file: FileIdentity | null): boolean {
  return (
    state.format === format &&
    (state.excel ?? false) === excel &&
    file !== null &&
    state.file?.size === file.size &&
    state.file.mtimeMs === file.mtimeMs
  );
}

/** An export into igtg's own data (the store file, a profile folder) would destroy or pollute it. */
function refuseOwnPath(path: string, own: { folders: string[]; files: string[] }): void {
  for (const folder of own.folders.map(canonicalPath)) {
    if (path === folder || path.startsWith(folder + sep)) {
      throw new UsageError(`--out: ${path} is inside igtg's own folder ${folder}; export somewhere else`);
    }
  }
  for (const file of own.files.map(canonicalPath)) {
    if ([file, `${file}-wal`, `${file}-shm`, `${file}-journal`].includes(path)) {
      throw new UsageError(`--out: ${path} is igtg's store; export somewhere else`);
    }
  }
}

/** A file-system failure on the target (not a folder, no space, no permission) is the user's to fix, not a bug. */
function asTargetError(error: unknown, out: string): unknown {
  const system = error as NodeJS.ErrnoException | null;
  if (error instanceof IgtgError || typeof system?.code !== 'string' || typeof system.syscall !== 'string')
    return error;
  return new IgtgError(`cannot export to ${out}: ${errorMessage(error)}`, undefined, { cause: error });
}

export async function runExport(request: ExportRequest, env: ExportEnvironment): Promise<ExportSummary> {
  const now = env.now ?? Date.now;
  const { format } = request;
  if (request.excel && format !== 'csv') throw new UsageError('--excel applies to --format csv only');
  const target = resolveExportTarget(format, request.out, env.cwd);
  const parsed = parseSelection(request, now());
  const selection: Selection = { ...parsed, threadIds: request.threadIds };
  if (target.kind !== 'stdout' && env.ownPaths) refuseOwnPath(target.path, env.ownPaths);
  const key = targetKey(target);
  const out = describeTarget(target);
  const summary = (threads: number, messages: number, files: number, nothingNew: boolean): ExportSummary => ({
    format,
    out: target.kind === 'stdout' ? '-' : target.path,
    threads,
    messages,
    files,
    nothing_new: nothingNew,
  });

  // Stdout has nothing to protect unless runs share its `--since last` state.
  let lock: ExportLock | null = null;
  if (target.kind !== 'stdout' || selection.sinceLast) {
    lock = await acquireExportLock(env.stateDir, key, {
      waitMs: request.waitMs,
      describe: out,
      onWait: () => env.notice?.(`waiting for another igtg export to ${out} to finish…`),
    });
  }
  let output: AtomicOutput | null = null;
  let fileSink: (TextSink & { discard?(): Promise<void> }) | null = null;
  let writer: ExportWriter | null = null;
  let iterator: AsyncIterator<Message> | null = null;
  let unguardStdout: (() => void) | null = null;
  try {
    if (target.kind !== 'stdout') {
      await recoverLeftovers(target.path);
      if (target.kind === 'file') await checkFileTarget(target.path);
      else await checkFolderTarget(target.path);
    }

    const stateKey = sinceLastKey(target, format, selection.threadIds);
    let previous = selection.sinceLast ? await readSinceLastState(env.store, stateKey, key, format) : null;
    const grows = target.kind === 'file' && APPENDED.includes(format);
    if (grows && previous && !holdsExport(previous, format, request.excel, await fileIdentity(target.path))) {
      // The file is not the one the mark describes (gone, rewritten by another selection or by hand,
      // another format or csv dialect): start it again whole.
      env.notice?.(`${out} does not hold the earlier export: exporting everything`);
      previous = null;
    } else if (selection.sinceLast && !previous) {
      env.notice?.(`no earlier export to ${out}: exporting everything`);
    }
    const appending = grows && previous !== null;
    const seq = await env.store.storeSeq();
    const startedAt = now();
    // A run cut by date holds part of the messages: the next --since last starts from nothing. On
    // stdout nothing holds what a run wrote: only --since last runs move (or touch) its mark.
    const dated = selection.since !== undefined || selection.until !== undefined;
    const saveState = async (file: FileIdentity | null) =>
      target.kind === 'stdout' && !selection.sinceLast
        ? undefined
        : dated
          ? clearExportState(env.store, stateKey)
          : writeExportState(env.store, stateKey, {
              seq,
              at: toIso(now()),
              format,
              excel: request.excel,
              ...(file ? { file } : {}),
            });
    if (previous && previous.seq === seq) return summary(0, 0, 0, true);

    const streamOptions: MessageStreamOptions = {};
    if (selection.threadIds) streamOptions.threadIds = selection.threadIds;
    if (selection.since !== undefined) streamOptions.since = selection.since;
    if (selection.until !== undefined) streamOptions.until = selection.until;
    if (previous) streamOptions.storedAfterSeq = previous.seq;
    iterator = env.store.streamMessages(streamOptions)[Symbol.asyncIterator]();
    const first = await iterator.next();
    if (first.done && previous) {
      // New rows exist, but none in this selection: nothing to write, and nothing to look at next time.
      await saveState(previous.file ?? null);
      return summary(0, 0, 0, true);
    }

    // stdout has no temporary output to remove, but an interrupted run must still end there,
    // before its mark is saved (a file target's output installs the same guard).
    if (target.kind === 'stdout') unguardStdout = guardSignals(() => undefined);
    const opened = await openOutput(format, target, appending);
    output = opened.output;
    fileSink = opened.sink;
    const sink = target.kind === 'stdout' ? streamSink(env.stdout) : opened.sink;
    writer = createWriter(
      format,
      request,
      sink,
      target.kind === 'folder' ? output!.path : null,
      env,
      startedAt,
      describeSelection(selection, previous),
      appending,
    );
    const counts = await pump(first, iterator, writer, env.store, env.progress);
    const files = await writer.finish();
    writer = null;
    fileSink = null;
    if (lock?.lost) throw new Error(`lost the export lock for ${out}: ${lock.lost.message}`);
    await output?.commit();
    output = null;
    await saveState(target.kind === 'file' ? await fileIdentity(target.path) : null);
    return summary(counts.threads, counts.messages, target.kind === 'stdout' ? 0 : files, false);
  } catch (error) {
    throw asTargetError(error, out);
  } finally {
    await writer?.abort();
    await fileSink?.discard?.();
    await output?.discard();
    await iterator?.return?.();
    await lock?.release();
    unguardStdout?.();
  }
}

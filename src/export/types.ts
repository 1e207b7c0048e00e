// Shapes shared by the export runner and the format writers.
import type { Message, Thread } from '../core/model.js';

export const EXPORT_FORMATS = ['html', 'md', 'json', 'jsonl', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Formats written as one file (or to stdout); the others are written as a folder. */
export const FILE_FORMATS: readonly ExportFormat[] = ['json', 'jsonl', 'csv'];

export function isFileFormat(format: ExportFormat): boolean {
  return FILE_FORMATS.includes(format);
}

/**
 * A format writer. The runner calls `beginThread`, then `message` for each of its messages in
 * time order, then `endThread`, for every thread in stream order; then `finish` once.
 * Writers keep at most one thread's bookkeeping (never its messages) in memory.
 */
export interface ExportWriter {
  beginThread(thread: Thread): Promise<void>;
  message(message: Message): Promise<void>;
  endThread(): Promise<void>;
  /** Completes the output and returns how many files it wrote. */
  finish(): Promise<number>;
  /** Releases open files after a failure; the runner discards the output afterwards. */
  abort(): Promise<void>;
}

/** Looks up a message outside the stream (the target of a reply); null when unknown. */
export type MessageLookup = (threadId: string, messageId: string) => Promise<Message | null>;

export interface ExportSummary {
  format: ExportFormat;
  /** Absolute path of the export, or `-` for stdout. */
  out: string;
  threads: number;
  messages: number;
  files: number;
  /** True when `--since last` found nothing stored since the previous export (nothing was written). */
  nothing_new: boolean;
}

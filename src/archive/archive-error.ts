// Errors about the archive itself. Each names the file (archive-relative) and what is wrong in
// one line, so `igtg import` can print it as is.
import { IgtgError } from '../core/errors.js';

/** One line: newlines and runs of spaces from nested messages are collapsed. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The archive as a whole cannot be read (not an archive, unsafe zip, missing path). */
export class ArchiveError extends IgtgError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(oneLine(message), undefined, options);
    this.name = 'ArchiveError';
  }
}

/** One file of the archive is bad; with --skip-bad its thread is skipped, otherwise the import stops. */
export class ArchiveFileError extends IgtgError {
  readonly file: string;
  readonly reason: string;
  constructor(file: string, reason: string, options?: { cause?: unknown }) {
    super(`${file}: ${oneLine(reason)}`, undefined, options);
    this.name = 'ArchiveFileError';
    this.file = file;
    this.reason = oneLine(reason);
  }
}

// Buffered text output with backpressure: writers append strings, the sink flushes them in chunks
// of about 64 KiB, so memory stays bounded however much is written.
import { once } from 'node:events';
import { open, type FileHandle } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { ExitCode, IgtgError } from '../core/errors.js';

const CHUNK_CHARS = 256 * 1024;

export interface TextSink {
  write(text: string): Promise<void>;
  /** Flushes what is buffered and closes the destination (a file is fsynced first). */
  close(): Promise<void>;
}

abstract class BufferedSink implements TextSink {
  private parts: string[] = [];
  private size = 0;

  async write(text: string): Promise<void> {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= CHUNK_CHARS) await this.flush();
  }

  protected async flush(): Promise<void> {
    if (this.size === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    await this.put(chunk);
  }

  protected abstract put(chunk: string): Promise<void>;
  abstract close(): Promise<void>;
}

class FileSink extends BufferedSink {
  /** The write in progress: one chunk is written while the next one is being built. */
  private pending: Promise<unknown> = Promise.resolve();

  constructor(private readonly handle: FileHandle) {
    super();
  }

  protected async put(chunk: string): Promise<void> {
    await this.pending;
    const data = Buffer.from(chunk, 'utf8');
    const writing = this.handle.write(data, 0, data.length, null);
    // Awaited by the next put or by close; until then a failure must not count as unhandled.
    writing.catch(() => undefined);
    this.pending = writing;
  }

  async close(): Promise<void> {
    try {
      await this.flush();
      await this.pending;
      await this.handle.sync();
    } finally {
      await this.handle.close();
    }
  }

  /** Closes without flushing (after a failure). */
  async discard(): Promise<void> {
    await this.pending.catch(() => undefined);
    await this.handle.close().catch(() => undefined);
  }
}

/**
 * A new file (truncated if present), readable by the user only: exports hold private messages.
 * `append` writes after what the file holds.
 */
export async function openFileSink(
  path: string,
  options: { append?: boolean } = {},
): Promise<TextSink & { discard(): Promise<void> }> {
  return new FileSink(await open(path, options.append ? 'a' : 'w', 0o600));
}

/** A closed pipe (`igtg export -o - | head`) is the reader's doing, not a bug: say so in one line. */
function explain(error: NodeJS.ErrnoException): Error {
  if (error.code !== 'EPIPE') return error;
  return new IgtgError('the export was cut short: its reader closed the pipe before the end', ExitCode.user, {
    cause: error,
  });
}

class StreamSink extends BufferedSink {
  private failure: Error | null = null;
  private readonly onError = (error: NodeJS.ErrnoException) => {
    this.failure ??= explain(error);
  };

  constructor(private readonly stream: Writable) {
    super();
    stream.on('error', this.onError);
  }

  protected async put(chunk: string): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.stream.write(chunk)) {
      // Wait for the reader; once() also settles (rejecting) when the stream fails, e.g. EPIPE on a
      // closed pipe, and removes both of its listeners either way.
      await once(this.stream, 'drain').catch(() => undefined);
    }
    if (this.failure) throw this.failure;
  }

  async close(): Promise<void> {
    await this.flush();
    // stdout is never ended (the process still writes to it); wait until it has taken everything.
    await new Promise<void>((resolve, reject) => {
      this.stream.write('', (error) => (error ? reject(explain(error)) : resolve()));
    });
    if (this.failure) throw this.failure;
    this.stream.off('error', this.onError);
  }
}

/** A sink on a stream the caller owns, such as stdout; closing flushes but does not end it. */
export function streamSink(stream: Writable): TextSink {
  return new StreamSink(stream);
}

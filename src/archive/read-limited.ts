// Reads a stream into memory, giving up as soon as it exceeds a bound (a zip entry may lie about
// its size; a file may grow while we read it).
import type { Readable } from 'node:stream';

export class TooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`larger than ${maxBytes} bytes`);
    this.name = 'TooLargeError';
  }
}

export async function readLimited(stream: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      const buffer = chunk as Buffer;
      total += buffer.length;
      if (total > maxBytes) throw new TooLargeError(maxBytes);
      chunks.push(buffer);
    }
  } finally {
    stream.destroy();
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
}

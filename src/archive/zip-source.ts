// A zip archive read in place with yauzl: the central directory is checked as a whole first
// (unsafe names, symbolic links, declared sizes, compression ratio, entry count), then entries
// are read on demand (message files inflated in one call, media streamed); an entry whose real
// size differs from the declared one fails.
import { closeSync, openSync, readSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { inflateRawSync } from 'node:zlib';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { ArchiveError } from './archive-error.js';
import { formatBytes, type ArchiveLimits } from './limits.js';
import { readLimited, TooLargeError } from './read-limited.js';
import { headOf, isSafeRelativePath, limited, type ArchiveSource } from './source.js';

const DEFLATE = 8;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

function isSymlink(entry: Entry): boolean {
  const madeBy = entry.versionMadeBy >>> 8;
  // Unix (3) and macOS (19) store the file mode in the high 16 bits of the external attributes.
  if (madeBy !== 3 && madeBy !== 19) return false;
  return ((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK;
}

/** True when the file starts as a zip does (a local file header), though its end could not be read. */
function startsLikeZip(file: string): boolean {
  let fd: number | null = null;
  try {
    fd = openSync(file, 'r');
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && head.readUInt32LE(0) === 0x04034b50;
  } catch {
    return false;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

function describeZipError(label: string, error: unknown, file?: string): ArchiveError {
  const message = error instanceof Error ? error.message : String(error);
  if (/end of central directory record signature not found|not a zip|invalid comment length/i.test(message)) {
    // The directory of a zip is at its end: a download cut short loses it first.
    if (file !== undefined && startsLikeZip(file)) {
      return new ArchiveError(
        `${label}: the zip file is cut short (an unfinished download or copy?); get it again, or unpack what you can and import the folder`,
        { cause: error },
      );
    }
    return new ArchiveError(`${label}: not a zip file or an Instagram archive folder`, { cause: error });
  }
  const unsafe = /^(absolute path|invalid relative path|invalid characters in fileName): (.*)$/s.exec(message);
  if (unsafe) {
    return new ArchiveError(`${label}: unsafe entry "${unsafe[2]}" (absolute or ".." path); nothing was imported`, {
      cause: error,
    });
  }
  return new ArchiveError(`${label}: cannot read the zip file: ${message}`, { cause: error });
}

export class ZipSource implements ArchiveSource {
  readonly kind = 'zip';
  private readonly names: string[];

  private constructor(
    readonly label: string,
    private readonly zip: ZipFile,
    private readonly entries: Map<string, Entry>,
  ) {
    this.names = [...entries.keys()];
  }

  static async open(file: string, label: string, limits: ArchiveLimits): Promise<ZipSource> {
    let zip: ZipFile;
    try {
      zip = await yauzl.openPromise(file, {
        lazyEntries: true,
        autoClose: false,
        decodeStrings: true,
        validateEntrySizes: true,
        strictFileNames: false,
      });
    } catch (error) {
      throw describeZipError(label, error, file);
    }
    try {
      if (zip.entryCount > limits.maxEntries) {
        throw new ArchiveError(`${label}: ${zip.entryCount} entries is more than the ${limits.maxEntries} allowed`);
      }
      const entries = await readCentralDirectory(zip, label, limits);
      return new ZipSource(label, zip, entries);
    } catch (error) {
      zip.close();
      throw error instanceof ArchiveError ? error : describeZipError(label, error, file);
    }
  }

  files(): readonly string[] {
    return this.names;
  }

  has(path: string): boolean {
    return this.entries.has(path);
  }

  async open(path: string, maxBytes: number): Promise<Readable> {
    const entry = this.entries.get(path);
    if (!entry) throw new Error(`no entry ${path}`);
    if (entry.uncompressedSize > maxBytes) throw new TooLargeError(maxBytes);
    if (entry.isEncrypted()) throw new Error('the entry is encrypted');
    const stream = await this.zip.openReadStreamPromise(entry);
    return limited(stream, maxBytes);
  }

  async readHead(path: string, bytes: number): Promise<Buffer> {
    const entry = this.entries.get(path);
    if (!entry) throw new Error(`no entry ${path}`);
    return headOf(await this.open(path, entry.uncompressedSize), bytes);
  }

  /**
   * A whole entry: its compressed bytes, then one inflate call bounded by `maxBytes` (a zip bomb
   * stops there), then the size its header declares is checked, as yauzl's streams do. About half
   * the time of inflating as a stream.
   */
  async read(path: string, maxBytes: number): Promise<Buffer> {
    const entry = this.entries.get(path);
    if (!entry) throw new Error(`no entry ${path}`);
    if (entry.uncompressedSize > maxBytes) throw new TooLargeError(maxBytes);
    if (entry.isEncrypted()) throw new Error('the entry is encrypted');
    if (entry.compressionMethod !== DEFLATE) return readLimited(await this.open(path, maxBytes), maxBytes);
    const raw = await this.zip.openReadStreamPromise(entry, { decodeFileData: false });
    const compressed = await readLimited(raw, entry.compressedSize);
    let data: Buffer;
    // Inflating stops one byte past the declared size: an entry lying about its size costs no more
    // memory than an honest one.
    const bound = Math.min(maxBytes, entry.uncompressedSize + 1);
    try {
      data = inflateRawSync(compressed, { maxOutputLength: bound });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE') throw error;
      if (bound === maxBytes) throw new TooLargeError(maxBytes);
      throw new Error(`it holds more bytes than the ${entry.uncompressedSize} the zip says`);
    }
    if (data.length !== entry.uncompressedSize) {
      throw new Error(`it holds ${data.length} bytes where the zip says ${entry.uncompressedSize}`);
    }
    return data;
  }

  async close(): Promise<void> {
    this.zip.close();
  }
}

function readCentralDirectory(zip: ZipFile, label: string, limits: ArchiveLimits): Promise<Map<string, Entry>> {
  return new Promise((resolve, reject) => {
    const entries = new Map<string, Entry>();
    let total = 0;
    /** Bytes of the entries that expand past the ratio bound. */
    let highRatio = 0;
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      reject(error instanceof ArchiveError ? error : describeZipError(label, error));
    };
    zip.on('error', fail);
    zip.on('end', () => {
      if (!failed) resolve(entries);
    });
    zip.on('entry', (entry: Entry) => {
      if (failed) return;
      const name = entry.fileName;
      if (!isSafeRelativePath(name.replace(/\/$/, ''))) {
        fail(new ArchiveError(`${label}: unsafe entry "${name}" (absolute or ".." path); nothing was imported`));
        return;
      }
      if (isSymlink(entry)) {
        fail(new ArchiveError(`${label}: entry "${name}" is a symbolic link; nothing was imported`));
        return;
      }
      const size = entry.uncompressedSize;
      if (size > limits.maxEntryBytes) {
        fail(
          new ArchiveError(
            `${label}: entry "${name}" declares ${formatBytes(size)}, more than the ${formatBytes(limits.maxEntryBytes)} allowed`,
          ),
        );
        return;
      }
      if (size > limits.ratioMinBytes && size / Math.max(1, entry.compressedSize) > limits.maxCompressionRatio) {
        fail(
          new ArchiveError(
            `${label}: entry "${name}" expands ${Math.round(size / Math.max(1, entry.compressedSize))}:1 (a zip bomb?); nothing was imported`,
          ),
        );
        return;
      }
      total += size;
      if (size / Math.max(1, entry.compressedSize) > limits.maxCompressionRatio) {
        highRatio += size;
        if (highRatio > limits.maxHighRatioBytes) {
          fail(
            new ArchiveError(
              `${label}: entries that expand over ${limits.maxCompressionRatio}:1 add up to more than ${formatBytes(limits.maxHighRatioBytes)} (a zip bomb?); nothing was imported`,
            ),
          );
          return;
        }
      }
      if (total > limits.maxTotalBytes) {
        fail(
          new ArchiveError(`${label}: entries add up to more than ${formatBytes(limits.maxTotalBytes)} (a zip bomb?)`),
        );
        return;
      }
      if (!name.endsWith('/') && !entries.has(name)) entries.set(name, entry);
      zip.readEntry();
    });
    zip.readEntry();
  });
}

// An unpacked archive folder. Only the messages part is walked (found by probing the places the
// known layouts put it), only regular files are exposed, and a symbolic link is followed only when
// it stays inside the folder the user gave — one pointing outside stops the import.
import { closeSync, constants, fstatSync, openSync, readdirSync, readSync, type Dirent } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { ArchiveError } from './archive-error.js';
import type { ArchiveLimits } from './limits.js';
import { TooLargeError } from './read-limited.js';
import { limited, type ArchiveSource, type UnreadableFolder } from './source.js';

const MESSAGE_BOXES = ['inbox', 'message_requests', 'archived_threads'];
const MAX_DEPTH = 12;

function inside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep));
}

/** Folders of the archive's own layout: one igtg may not open is named, not taken for no archive. */
const LAYOUT_FOLDERS = new Set(['messages', 'your_instagram_activity']);

async function isDir(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    (error: NodeJS.ErrnoException) => {
      const blocked = dirname(path);
      if (isDenied(error) && LAYOUT_FOLDERS.has(basename(blocked))) throw unreadableFolder(blocked, error);
      return false;
    },
  );
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

const isDenied = (error: unknown) => (error as NodeJS.ErrnoException).code === 'EACCES';

/** Why a folder could not be read: what to check, or the error's code. */
export function folderFailure(error: unknown): string {
  if (isDenied(error)) return 'permission denied (check its permissions)';
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}

export function unreadableFolder(path: string, error: unknown): ArchiveError {
  const hint = isDenied(error) ? `: ${folderFailure(error)}` : ` (${folderFailure(error)})`;
  return new ArchiveError(`cannot read the folder ${path}${hint}; nothing was imported`);
}

async function hasMessageBoxes(messagesDir: string): Promise<boolean> {
  for (const box of MESSAGE_BOXES) if (await isDir(join(messagesDir, box))) return true;
  return false;
}

interface Probe {
  /** The real folder that archive-relative paths are relative to. */
  root: string;
  /** Archive-relative folders to walk. */
  walk: string[];
  /** Archive-relative legacy messages.json files. */
  legacy: string[];
}

/** Where the messages are: the folder itself, `your_instagram_activity/`, one folder down, or the `messages` folder itself. */
async function probe(dir: string): Promise<Probe | null> {
  const prefixes = ['', 'your_instagram_activity/'];
  let children: Dirent[] = [];
  try {
    children = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    // Not "not an archive": the user can fix this one.
    if (isDenied(error)) throw unreadableFolder(dir, error);
  }
  const subdirs = children.filter((child) => child.isDirectory()).map((child) => child.name);
  if (subdirs.length <= 64) {
    for (const name of subdirs) {
      if (name === 'your_instagram_activity' || name === 'messages') continue;
      prefixes.push(`${name}/`, `${name}/your_instagram_activity/`);
    }
  }
  const walk: string[] = [];
  const legacy: string[] = [];
  for (const prefix of prefixes) {
    const messages = `${prefix}messages`;
    if (await hasMessageBoxes(join(dir, messages))) walk.push(messages);
    if (await isFile(join(dir, `${prefix}messages.json`))) legacy.push(`${prefix}messages.json`);
  }
  if (walk.length > 0 || legacy.length > 0) return { root: dir, walk, legacy };
  // The `messages` folder itself was given: expose it as `messages/…` of its parent.
  if (await hasMessageBoxes(dir)) {
    const parent = join(dir, '..');
    const name = relative(parent, dir);
    return { root: parent, walk: [name.split(sep).join('/')], legacy: [] };
  }
  return null;
}

export class FolderSource implements ArchiveSource {
  readonly kind = 'folder';
  private readonly paths = new Map<string, string>();
  private readonly unreadable: UnreadableFolder[] = [];
  private buffer = Buffer.alloc(0);

  private constructor(
    readonly label: string,
    private readonly root: string,
    private readonly boundary: string,
  ) {}

  static async open(dir: string, label: string, limits: ArchiveLimits): Promise<FolderSource | null> {
    const boundary = await realpath(dir);
    const found = await probe(boundary);
    if (!found) return null;
    const source = new FolderSource(label, found.root, boundary);
    for (const file of found.legacy) source.paths.set(file, await source.checkedReal(file));
    for (const folder of found.walk) {
      await source.checkedReal(folder);
      await source.walk(folder, limits);
    }
    return source;
  }

  /** The real path of an archive path reached by name (not by a walk), refused if it leads outside. */
  private async checkedReal(rel: string): Promise<string> {
    const real = await realpath(join(this.root, rel));
    if (!inside(this.boundary, real)) {
      throw new ArchiveError(
        `${this.label}: "${rel}" leads to a place outside the archive (a symbolic link); nothing was imported`,
      );
    }
    return real;
  }

  private async walk(start: string, limits: ArchiveLimits): Promise<void> {
    const stack: Array<{ rel: string; depth: number }> = [{ rel: start, depth: 0 }];
    while (stack.length > 0) {
      const { rel, depth } = stack.pop()!;
      // Synchronous: an archive has a folder per conversation, and each await on the thread pool
      // made the walk of 2,000 of them four times slower (~120 ms against ~30).
      let entries: Dirent[];
      try {
        entries = readdirSync(join(this.root, rel), { withFileTypes: true });
      } catch (error) {
        // The importer decides: it stops naming the folder, or --skip-bad lists it and goes on.
        this.unreadable.push({ path: rel, fullPath: join(this.root, rel), error });
        continue;
      }
      for (const entry of entries) {
        const childRel = `${rel}/${entry.name}`;
        const childPath = join(this.root, childRel);
        if (entry.isDirectory()) {
          if (depth + 1 <= MAX_DEPTH) stack.push({ rel: childRel, depth: depth + 1 });
        } else if (entry.isFile()) {
          this.add(childRel, childPath, limits);
        } else if (entry.isSymbolicLink()) {
          let target: string;
          try {
            target = await realpath(childPath);
          } catch {
            continue; // a dangling link: nothing to read
          }
          if (!inside(this.boundary, target)) {
            throw new ArchiveError(
              `${this.label}: "${childRel}" is a symbolic link to a place outside the archive; nothing was imported`,
            );
          }
          // Links to folders are not followed (no loops); links to files inside are read at their target.
          if (await isFile(target)) this.add(childRel, target, limits);
        }
        // FIFOs, sockets and devices are never exposed: reading one could block forever.
      }
    }
  }

  private add(rel: string, real: string, limits: ArchiveLimits): void {
    if (this.paths.size >= limits.maxEntries) {
      throw new ArchiveError(`${this.label}: more than ${limits.maxEntries} files under the messages folder`);
    }
    this.paths.set(rel, real);
  }

  files(): readonly string[] {
    return [...this.paths.keys()];
  }

  unreadableFolders(): readonly UnreadableFolder[] {
    return this.unreadable;
  }

  has(path: string): boolean {
    return this.paths.has(path);
  }

  /** Synchronous on purpose: one import reads thousands of files in turn, and nothing else waits. */
  async read(path: string, maxBytes: number): Promise<Buffer> {
    const real = this.paths.get(path);
    if (!real) throw new Error(`no file ${path}`);
    // O_NOFOLLOW: a file swapped for a link after the walk is refused rather than followed.
    const fd = openSync(real, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      const info = fstatSync(fd);
      if (!info.isFile()) throw new Error('not a regular file');
      if (info.size > maxBytes) throw new TooLargeError(maxBytes);
      const buffer = this.readBuffer(info.size);
      let offset = 0;
      while (offset < info.size) {
        const bytesRead = readSync(fd, buffer, offset, info.size - offset, offset);
        if (bytesRead === 0) break;
        offset += bytesRead;
      }
      return offset === info.size ? buffer : buffer.subarray(0, offset);
    } finally {
      closeSync(fd);
    }
  }

  async readHead(path: string, bytes: number): Promise<Buffer> {
    const real = this.paths.get(path);
    if (!real) throw new Error(`no file ${path}`);
    const fd = openSync(real, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      if (!fstatSync(fd).isFile()) throw new Error('not a regular file');
      const buffer = Buffer.allocUnsafe(bytes);
      const got = readSync(fd, buffer, 0, bytes, 0);
      return buffer.subarray(0, got);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * One buffer for every read (see ArchiveSource.read): thousands of multi-megabyte buffers, each
   * freed only when the garbage collector gets to it, left the process ~40 MB bigger.
   */
  private readBuffer(size: number): Buffer {
    if (this.buffer.length < size) this.buffer = Buffer.allocUnsafeSlow(Math.max(size, this.buffer.length * 2));
    return this.buffer.subarray(0, size);
  }

  async open(path: string, maxBytes: number): Promise<Readable> {
    const handle = await this.openFile(path, maxBytes);
    return limited(handle.createReadStream(), maxBytes);
  }

  private async openFile(path: string, maxBytes: number) {
    const real = this.paths.get(path);
    if (!real) throw new Error(`no file ${path}`);
    // O_NOFOLLOW: a file swapped for a link after the walk is refused rather than followed.
    const handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW);
    const info = await handle.stat();
    if (!info.isFile()) {
      await handle.close();
      throw new Error('not a regular file');
    }
    if (info.size > maxBytes) {
      await handle.close();
      throw new TooLargeError(maxBytes);
    }
    return handle;
  }

  async close(): Promise<void> {
    this.paths.clear();
    this.buffer = Buffer.alloc(0);
  }
}

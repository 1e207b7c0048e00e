// `mkdir -p`. Node's own recursive mkdir spins at 100% CPU forever where a folder exists but cannot
// hold the child asked for (procfs answers ENOENT, e.g. `--out /proc/x/y.json`): these stop there
// with that error instead. Folders created get `mode` (before the umask), as with Node's.
import { mkdirSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

function fsError(code: 'ENOTDIR' | 'EEXIST', message: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${message}, mkdir '${path}'`), { code, path, syscall: 'mkdir' });
}

/**
 * The folders of `path` that do not exist yet, outermost first. The path is walked up as written,
 * not normalised: `link/../new` is made where the system resolves it, as Node's mkdir does.
 */
function missingFolders(path: string, isFolder: (path: string) => boolean | null): string[] {
  const missing: string[] = [];
  let current = path;
  for (;;) {
    const found = isFolder(current);
    if (found === true) break;
    if (found === false) {
      throw current === path
        ? fsError('EEXIST', 'file already exists', path)
        : fsError('ENOTDIR', 'not a directory', path);
    }
    missing.push(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return missing.reverse();
}

/** True for a folder, false for anything else, null when nothing is there. */
function folderSync(path: string): boolean | null {
  try {
    return statSync(path).isDirectory();
  } catch (error) {
    if (code(error) === 'ENOENT') return null;
    throw error;
  }
}

export function makeDirSync(path: string, mode?: number): void {
  for (const folder of missingFolders(path, folderSync)) {
    try {
      mkdirSync(folder, { mode });
    } catch (error) {
      // Made meanwhile by someone else: fine if it is a folder.
      if (code(error) !== 'EEXIST' || folderSync(folder) !== true) throw error;
    }
  }
}

export async function makeDir(path: string, mode?: number): Promise<void> {
  // The walk up is synchronous (a few stat calls); the folders are made without blocking.
  for (const folder of missingFolders(path, folderSync)) {
    try {
      await mkdir(folder, { mode });
    } catch (error) {
      if (code(error) !== 'EEXIST' || folderSync(folder) !== true) throw error;
    }
  }
}

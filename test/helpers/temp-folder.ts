// A temporary folder for one test file: made when the file loads, removed after its tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** `fresh(name)` is a new path inside the folder on every call (nothing is created there). */
export function tempFolder(prefix: string): { root: string; fresh: (name: string) => string } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  let counter = 0;
  return { root, fresh: (name) => join(root, `${counter++}-${name}`) };
}

// Crash safety and clear failures of the SQLite store: a writer killed mid-transaction leaves a
// readable, consistent store holding only whole batches; corrupt and locked files say so in one line.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/core/errors.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { ROOT } from '../helpers/cli.js';
import { apiThread } from '../store/fixtures.js';

const BATCH = 2000;
let dir: string;
let file: string;
const children: ChildProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'igtg-crash-'));
  file = join(dir, 'igtg.db');
});

afterEach(() => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function spawnNode(args: string[]): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.push(child);
  return child;
}

/** Resolves with the lines read until `until` returns true for one of them. */
function readUntil(child: ChildProcess, until: (line: string) => boolean): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const lines: string[] = [];
    const reader = createInterface({ input: child.stdout! });
    reader.on('line', (line) => {
      lines.push(line);
      if (until(line)) {
        reader.close();
        resolve(lines);
      }
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`child exited (${code ?? signal}) before the expected line; saw ${lines.join(' | ')}`)),
    );
  });
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function expectConsistent(minimumBatches: number): Promise<void> {
  const store = await openSqliteStore(file);
  let counts;
  try {
    counts = await store.counts();
    const hits = await store.search({ text: 'lorem', limit: 5 });
    expect(hits.length).toBe(Math.min(5, counts.messages));
  } finally {
    await store.close();
  }
  const db = new Database(file, { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const stored = (db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
    expect(counts.messages).toBe(stored);
    expect(stored % BATCH).toBe(0);
    expect(stored / BATCH).toBeGreaterThanOrEqual(minimumBatches);
    const perBatch = db
      .prepare("SELECT substr(id, 1, instr(id, '-') - 1) AS batch, count(*) AS n FROM messages GROUP BY batch")
      .all() as {
      n: number;
    }[];
    expect(perBatch.every((row) => row.n === BATCH)).toBe(true);
    const indexed = (
      db.prepare("SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH 'lorem'").get() as { n: number }
    ).n;
    expect(indexed).toBe(stored);
  } finally {
    db.close();
  }
  const writable = new Database(file);
  try {
    expect(() =>
      writable.prepare("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')").run(),
    ).not.toThrow();
  } finally {
    writable.close();
  }
}

describe('SQLite store crash safety', () => {
  it('keeps only whole batches when the writer is killed inside a transaction', async () => {
    const child = spawnNode([join(ROOT, 'test/integration/store-crash-writer.ts'), file, String(BATCH), '3']);
    const lines = await readUntil(child, (line) => line === 'inside');
    expect(lines.filter((line) => line.startsWith('committed'))).toHaveLength(3);
    await killed(child);
    await expectConsistent(3);
    const store = await openSqliteStore(file);
    try {
      expect((await store.counts()).messages).toBe(3 * BATCH);
    } finally {
      await store.close();
    }
  });

  it('stays consistent when killed at an arbitrary point of a write loop', async () => {
    const child = spawnNode([join(ROOT, 'test/integration/store-crash-writer.ts'), file, String(BATCH)]);
    await readUntil(child, (line) => line === 'committed 2');
    await killed(child);
    await expectConsistent(3);
  });
});

describe('SQLite store failures', () => {
  it('refuses a file of random bytes with one clear line', async () => {
    writeFileSync(file, randomBytes(64 * 1024));
    const error = await openSqliteStore(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(new RegExp(`^the store at ${file} is not a valid igtg database`));
    expect((error as Error).message).not.toContain('\n');
  });

  it('reports a store whose pages were damaged as not valid', async () => {
    const store = await openSqliteStore(file);
    await store.write({ threads: [apiThread('t', { title: 'T' })] });
    await store.close();
    const bytes = readFileSync(file);
    writeFileSync(file, Buffer.concat([bytes.subarray(0, 4096), randomBytes(bytes.length - 4096)]));
    const failure = await (async () => {
      const damaged = await openSqliteStore(file);
      try {
        await damaged.counts();
        await damaged.listThreads();
      } finally {
        await damaged.close();
      }
    })().catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(StoreError);
    expect((failure as Error).message).toMatch(/is not a valid igtg database/);
  });

  it('refuses an SQLite file that belongs to another application', async () => {
    const other = new Database(file);
    other.exec('CREATE TABLE notes (body TEXT)');
    other.close();
    await expect(openSqliteStore(file)).rejects.toThrow(
      /is not a valid igtg database \(it belongs to another application\)/,
    );
  });

  it('says the store is locked when another process holds it exclusively', async () => {
    (await openSqliteStore(file)).close();
    const child = spawnNode(['-e', lockerScript(file, 'EXCLUSIVE')]);
    await readUntil(child, (line) => line === 'locked');
    const error = await openSqliteStore(file, { busyTimeoutMs: 100 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toBe(
      `the store at ${file} is locked by another igtg process; try again when it has finished`,
    );
  });

  it('reads while another process writes, and reports the lock on its own write', async () => {
    const store: Store = await openSqliteStore(file, { busyTimeoutMs: 100 });
    try {
      const child = spawnNode(['-e', lockerScript(file, 'NORMAL')]);
      await readUntil(child, (line) => line === 'locked');
      expect(await store.counts()).toEqual({ threads: 0, messages: 0, users: 0 });
      await expect(store.setMeta('k', 'v')).rejects.toThrow(/is locked by another igtg process/);
      await expect(store.write({ meta: { k: 'v' } })).rejects.toBeInstanceOf(StoreError);
    } finally {
      await store.close();
    }
  });
});

/** A node -e script that takes the write lock (and with EXCLUSIVE, every lock) and holds it until killed. */
function lockerScript(path: string, lockingMode: 'EXCLUSIVE' | 'NORMAL'): string {
  return `
    const Database = require(${JSON.stringify(join(ROOT, 'node_modules/better-sqlite3'))});
    const db = new Database(${JSON.stringify(path)});
    db.pragma('locking_mode = ${lockingMode}');
    db.exec("BEGIN IMMEDIATE; INSERT INTO meta (key, value) VALUES ('locker', 'x');");
    ${lockingMode === 'EXCLUSIVE' ? "db.exec('COMMIT; BEGIN IMMEDIATE;');" : ''}
    process.stdout.write('locked\\n');
    setInterval(() => {}, 1000);
  `;
}

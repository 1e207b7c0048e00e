// What the writer thread adds to the store contract: queued writes, failures that leave the
// thread usable, and close() waiting for every queued write.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/core/errors.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { message, thread } from './fixtures.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'igtg-writer-'));
  dirs.push(dir);
  return join(dir, 'igtg.db');
}

describe('SQLite store with a writer thread', () => {
  it('keeps the order of queued writes, and close() waits for them', async () => {
    const file = tempFile();
    const store = await openSqliteStore(file, { writerThread: true });
    const writes = [store.write({ threads: [thread('t1')] })];
    for (let i = 0; i < 20; i += 1) {
      writes.push(store.write({ messages: [message('t1', `m${i}`, { text: `batch ${i}` })] }));
    }
    // The last write renames a message the earlier ones wrote: it must land after them.
    writes.push(store.write({ messages: [message('t1', 'm0', { text: 'renamed' })] }));
    await store.close();
    const results = await Promise.all(writes);
    expect(results.slice(1, 21).map((result) => result.addedMessageIds)).toEqual(
      Array.from({ length: 20 }, (_, i) => [`m${i}`]),
    );

    const reopened = await openSqliteStore(file);
    expect((await reopened.counts()).messages).toBe(20);
    expect((await reopened.getMessage('t1', 'm0'))?.text).toBe('renamed');
    await reopened.close();
  });

  it('fails one write with a StoreError and goes on with the next', async () => {
    const store = await openSqliteStore(tempFile(), { writerThread: true });
    const failed = store.write({ messages: [message('nowhere', 'm1')] });
    await expect(failed).rejects.toBeInstanceOf(StoreError);
    await expect(failed).rejects.toThrow('cannot store message m1: its thread nowhere is not stored');
    await store.write({ threads: [thread('t1')], messages: [message('t1', 'm1')] });
    // Reads run on the caller's connection and see what the thread wrote.
    expect((await store.getMessage('t1', 'm1'))?.text).toBe('message m1');
    await store.close();
  });

  it('refuses a bad message before it reaches the thread', async () => {
    const store = await openSqliteStore(tempFile(), { writerThread: true });
    await expect(store.write({ messages: [message('t1', '')] })).rejects.toThrow(/it has no id/);
    await store.close();
  });

  for (const writerThread of [true, false]) {
    it(`writes messages packed by its messagePacker() (${writerThread ? 'writer thread' : 'same thread'})`, async () => {
      const store = await openSqliteStore(tempFile(), { writerThread });
      const packer = store.messagePacker!();
      packer.add(message('t1', 'm1', { text: 'first' }));
      packer.add(message('t1', 'm2', { text: 'second 🙂' }));
      const result = await store.write({ threads: [thread('t1')], packed: packer });
      expect(result.addedMessageIds).toEqual(['m1', 'm2']);
      expect((await store.getMessage('t1', 'm2'))?.text).toBe('second 🙂');
      expect((await store.search({ text: 'first' })).map((hit) => hit.message.id)).toEqual(['m1']);
      await store.close();
    });
  }

  it('stores text with lone surrogates as an unpacked write does, so writing it again changes nothing', async () => {
    const file = tempFile();
    const odd = message('t1', 'm1', { text: 'broken \ud83d emoji' });
    const plain = await openSqliteStore(file);
    await plain.write({ threads: [thread('t1')], messages: [odd] });
    const seq = await plain.storeSeq();
    await plain.close();

    const threaded = await openSqliteStore(file, { writerThread: true });
    const packer = threaded.messagePacker!();
    packer.add(odd);
    expect((await threaded.write({ packed: packer })).messagesAdded).toBe(0);
    expect(await threaded.storeSeq()).toBe(seq);
    await threaded.close();
  });
});

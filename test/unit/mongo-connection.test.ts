// Opening the MongoDB store: deployment detection, URL handling and failures without secrets.
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/core/errors.js';
import { DEFAULT_DATABASE, databaseFromUrl, hasUrlOption, urlPasswords } from '../../src/store/mongo/connection-url.js';
import { scrubMessage } from '../../src/store/mongo/mongo-errors.js';
import { OPEN_TIMEOUT_MS, clientOptions, openMongoStore } from '../../src/store/mongo/mongo-store.js';
import { supportsTransactions } from '../../src/store/mongo/topology.js';

describe('deployment detection from a hello reply', () => {
  it('uses transactions on replica sets and mongos, not on a standalone server', () => {
    expect(supportsTransactions({ isWritablePrimary: true, setName: 'rs0', hosts: ['a:27017'] })).toBe(true);
    expect(supportsTransactions({ isWritablePrimary: true, msg: 'isdbgrid' })).toBe(true);
    expect(supportsTransactions({ isWritablePrimary: true, maxWireVersion: 21 })).toBe(false);
    expect(supportsTransactions({ isWritablePrimary: true, setName: '' })).toBe(false);
    expect(supportsTransactions({ ismaster: true, msg: 'something else' })).toBe(false);
  });
});

describe('connection URL', () => {
  it('reads the database name from the path, else none', () => {
    expect(databaseFromUrl('mongodb://localhost:27017/mydb?retryWrites=true')).toBe('mydb');
    expect(databaseFromUrl('mongodb+srv://u:p@cluster.example.net/app')).toBe('app');
    expect(databaseFromUrl('mongodb://a:1,b:2,c:3/multi?replicaSet=rs0')).toBe('multi');
    expect(databaseFromUrl('mongodb://localhost:27017')).toBeNull();
    expect(databaseFromUrl('mongodb://localhost:27017/')).toBeNull();
    expect(databaseFromUrl('mongodb://localhost/?authSource=admin')).toBeNull();
    expect(DEFAULT_DATABASE).toBe('igtg');
  });

  it("keeps the app name given in the URL, and the driver's server selection timeout after opening", () => {
    expect(hasUrlOption('mongodb://h/?serverSelectionTimeoutMS=500', 'serverSelectionTimeoutMS')).toBe(true);
    expect(hasUrlOption('mongodb://h/?a=1&SERVERSELECTIONTIMEOUTMS=9', 'serverSelectionTimeoutMS')).toBe(true);
    expect(hasUrlOption('mongodb://h/db', 'serverSelectionTimeoutMS')).toBe(false);
    // A replica set's election (up to ~12 s) must not fail the bridge's operations.
    expect(clientOptions('mongodb://h/db')).toEqual({ appName: 'igtg' });
    expect(clientOptions('mongodb://h/db?serverSelectionTimeoutMS=500&appName=x')).toEqual({});
    expect(OPEN_TIMEOUT_MS).toBeLessThan(30_000);
  });

  it('finds the password, raw and decoded, and scrubs it from driver messages', () => {
    const url = 'mongodb://zoe:s%40cret:x@db.example.com:27017/igtg';
    expect(urlPasswords(url)).toEqual(['s%40cret:x', 's@cret:x']);
    expect(urlPasswords('mongodb://zoe@h/')).toEqual([]);
    expect(urlPasswords('mongodb://h/')).toEqual([]);
    // Typed without encoding: all of it, up to the last '@' before the host.
    expect(urlPasswords('mongodb://bob:hunter/2@h:1/x')).toEqual(['hunter/2']);
    expect(urlPasswords('mongodb://bob:p@ss@h:1/x')).toEqual(['p@ss']);
    const message = scrubMessage(`failed for ${url}\n password s@cret:x was wrong`, url);
    expect(message).not.toContain('s@cret');
    expect(message).not.toContain('s%40cret');
    expect(message).not.toContain('\n');
    expect(message).toContain('zoe:***@db.example.com');
  });
});

describe('openMongoStore', () => {
  it('rejects an unreachable server quickly with a StoreError that hides the password', async () => {
    const url = 'mongodb://zoe:supersecret@127.0.0.1:1/igtg?serverSelectionTimeoutMS=500';
    const error: unknown = await openMongoStore(url).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StoreError);
    const message = (error as StoreError).message;
    expect(message).not.toContain('supersecret');
    expect(message).toContain('zoe:***@127.0.0.1:1');
    expect(message).not.toContain('\n');
  });

  it('gives up opening after its own deadline when the URL sets no timeout, naming the reason', async () => {
    const url = 'mongodb://zoe:supersecret@127.0.0.1:1/igtg';
    const error: unknown = await openMongoStore(url, { openTimeoutMs: 1500 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StoreError);
    const message = (error as StoreError).message;
    expect(message).toMatch(/no server answered within 1\.5 s \(.*ECONNREFUSED/);
    expect(message).not.toContain('supersecret');
    expect(message).toContain('zoe:***@127.0.0.1:1');
  });

  it("refuses MongoDB's own databases as igtg's, before connecting", async () => {
    for (const name of ['admin', 'local', 'config', 'Admin']) {
      const error: unknown = await openMongoStore(`mongodb://zoe:supersecret@127.0.0.1:1/${name}?replicaSet=rs0`).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).message).toContain(`"${name}" is a MongoDB system database`);
      expect((error as StoreError).message).not.toContain('supersecret');
    }
  });

  it('refuses an empty entry in the host list before the driver fails where no one can catch it', async () => {
    for (const url of ['mongodb://alice:supersecret@127.0.0.1:1,/igtg', 'mongodb://alice:supersecret@h1,,h2/igtg']) {
      const error: unknown = await openMongoStore(url).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).message).toBe(
        `${url.replace('supersecret', '***')}: the host list has an empty entry (a stray comma?)`,
      );
    }
  });

  it('rejects a malformed URL with a StoreError that hides the password', async () => {
    for (const url of [
      'mongodb://zoe:supersecret@',
      'mongodb://zoe:supersecret@h:notaport/db',
      'mongodb://zoe:supersecret@h/db?unknownOption=1',
    ]) {
      const error: unknown = await openMongoStore(url).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).message).not.toContain('supersecret');
    }
  });
});

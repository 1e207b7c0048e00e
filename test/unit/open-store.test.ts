import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { redactUrl, resolveStoreTarget } from '../../src/store/open-store.js';

describe('resolveStoreTarget', () => {
  it('defaults to the profile file', () => {
    expect(resolveStoreTarget(undefined, '/data/igtg.db')).toEqual({ kind: 'sqlite', file: '/data/igtg.db' });
    expect(resolveStoreTarget('  ', '/data/igtg.db')).toEqual({ kind: 'sqlite', file: '/data/igtg.db' });
  });

  it('picks MongoDB for mongodb:// and mongodb+srv:// URLs', () => {
    expect(resolveStoreTarget('mongodb://h:27017/igtg', '/d')).toEqual({
      kind: 'mongodb',
      url: 'mongodb://h:27017/igtg',
    });
    expect(resolveStoreTarget('mongodb+srv://c.example.net/igtg', '/d').kind).toBe('mongodb');
  });

  it('picks an SQLite file for a path or sqlite: URL', () => {
    expect(resolveStoreTarget('/tmp/x.db', '/d')).toEqual({ kind: 'sqlite', file: '/tmp/x.db' });
    expect(resolveStoreTarget('sqlite:/tmp/y.db', '/d')).toEqual({ kind: 'sqlite', file: '/tmp/y.db' });
    expect(resolveStoreTarget('rel/z.db', '/d')).toEqual({ kind: 'sqlite', file: resolve('rel/z.db') });
  });

  it('rejects other schemes without showing the password', () => {
    expect(() => resolveStoreTarget('postgres://u:hunter2@h/db', '/d')).toThrow(UsageError);
    expect(() => resolveStoreTarget('postgres://u:hunter2@h/db', '/d')).not.toThrow(/hunter2/);
  });
});

describe('redactUrl', () => {
  it('hides the password and keeps the rest', () => {
    expect(redactUrl('mongodb://alice:s3cret@db.example:27017/igtg?tls=true')).toBe(
      'mongodb://alice:***@db.example:27017/igtg?tls=true',
    );
    expect(redactUrl('mongodb+srv://bob@c.example/x')).toBe('mongodb+srv://bob:***@c.example/x');
    expect(redactUrl('mongodb://db.example/igtg')).toBe('mongodb://db.example/igtg');
  });

  it('hides a password with unencoded @ or / in it, whole', () => {
    expect(redactUrl('http://me:hunter@2@proxy:8080')).toBe('http://me:***@proxy:8080');
    expect(redactUrl('mongodb://bob:p@ss@localhost:1/x')).toBe('mongodb://bob:***@localhost:1/x');
    expect(redactUrl('mongodb://bob:hunter/2@localhost:1/x')).toBe('mongodb://bob:***@localhost:1/x');
    expect(redactUrl('redis://bob:top/secret@host')).toBe('redis://bob:***@host');
    expect(redactUrl('mongodb://h/db?replicaSet=a@b')).toBe('mongodb://h/db?replicaSet=a@b');
  });

  it('hides a password with unencoded ? or # in it, and in URLs without //', () => {
    expect(redactUrl('mongodb://u:pa?ss@127.0.0.1:1/x')).toBe('mongodb://u:***@127.0.0.1:1/x');
    expect(redactUrl('http://u:pa#ss@proxy:1')).toBe('http://u:***@proxy:1');
    expect(redactUrl('mongodb://u:p@ss?wd@host/x?tls=true')).toBe('mongodb://u:***@host/x?tls=true');
    expect(redactUrl('http:user:secretpw@proxy.example:8080')).toBe('http:user:***@proxy.example:8080');
    expect(redactUrl('http:/user:secretpw@proxy.example:8080')).toBe('http:/user:***@proxy.example:8080');
    expect(redactUrl('http:\\\\user:secretpw@proxy.example')).toBe('http:\\\\user:***@proxy.example');
    // An '@' in the query of a URL with a password hides more than the password, never less.
    expect(redactUrl('mongodb://u:pw@host/db?appName=x@y')).not.toContain('pw');
  });
});

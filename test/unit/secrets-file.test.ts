import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IgtgError } from '../../src/core/errors.js';
import { FileSecretStore } from '../../src/secrets/file-secret-store.js';

let root: string;
let file: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'igtg-secrets-'));
  file = join(root, 'profiles', 'default', 'secrets.json');
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('FileSecretStore', () => {
  it('sets, gets, lists and deletes secrets', async () => {
    const store = new FileSecretStore(file);
    expect(store.backend).toBe('file');
    expect(await store.get('instagram.session')).toBeNull();
    await store.set('instagram.session', '{"cookies":"c"}');
    await store.set('telegram.token', '123:abc');
    expect(await new FileSecretStore(file).get('instagram.session')).toBe('{"cookies":"c"}');
    expect(await store.list()).toEqual(['instagram.session', 'telegram.token']);
    await store.delete('instagram.session');
    await store.delete('never.stored');
    expect(await store.get('instagram.session')).toBeNull();
    expect(await store.list()).toEqual(['telegram.token']);
  });

  it('says in one line when its folder cannot be made (a file in the way)', async () => {
    writeFileSync(join(root, 'profiles'), '');
    const error: unknown = await new FileSecretStore(file).set('telegram.token', 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IgtgError);
    expect((error as IgtgError).message).toMatch(/^secrets file .*secrets\.json cannot be changed: ENOTDIR/);
  });

  it('sets a secret only when its current value is accepted, under the lock', async () => {
    const store = new FileSecretStore(file);
    await store.set('instagram.session', 'old');
    expect(await store.setIf('instagram.session', 'mine', (current) => current === 'other')).toBe(false);
    expect(await store.get('instagram.session')).toBe('old');
    expect(await store.setIf('instagram.session', 'mine', (current) => current === 'old')).toBe(true);
    expect(await store.get('instagram.session')).toBe('mine');
  });

  it('closes a secrets file someone opened up before reading it', async () => {
    await new FileSecretStore(file).set('telegram.token', 'x');
    chmodSync(file, 0o644);
    expect(await new FileSecretStore(file).get('telegram.token')).toBe('x');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('creates the file 0600 in a 0700 folder', async () => {
    await new FileSecretStore(file).set('telegram.token', 'x');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(root, 'profiles', 'default')).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ version: 1, secrets: { 'telegram.token': 'x' } });
  });

  it('does not create the file to delete from it', async () => {
    await new FileSecretStore(file).delete('telegram.token');
    expect(existsSync(file)).toBe(false);
  });

  it('loses no write when two stores change the file at once', async () => {
    const a = new FileSecretStore(file);
    const b = new FileSecretStore(file);
    const names = Array.from({ length: 12 }, (_, index) => `name-${index}`);
    await Promise.all(names.map((name, index) => (index % 2 ? a : b).set(name, `value-${index}`)));
    expect(await a.list()).toEqual([...names].sort());
  });

  it('clear removes every secret and the file', async () => {
    const store = new FileSecretStore(file);
    await store.set('instagram.session', 's');
    await store.set('telegram.token', 't');
    expect(await store.clear()).toBe(2);
    expect(existsSync(file)).toBe(false);
    expect(await store.list()).toEqual([]);
    expect(await store.clear()).toBe(0);
  });

  it('reports a corrupt file without quoting it', async () => {
    const store = new FileSecretStore(file);
    await store.set('telegram.token', 'x');
    writeFileSync(file, '{"secrets": {"telegram.token": "123:SUPERSECRET"');
    const error = await store.get('telegram.token').catch((caught: unknown) => caught as Error);
    expect(error).toBeInstanceOf(IgtgError);
    expect((error as Error).message).toBe(`secrets file ${file} is not valid JSON; remove it and log in again`);
    writeFileSync(file, '["123:SUPERSECRET"]');
    await expect(store.list()).rejects.toThrow(/unknown format/);
  });

  it('refuses names that could collide in a keychain account', async () => {
    const store = new FileSecretStore(file);
    await expect(store.set('a:b', 'x')).rejects.toThrow(/invalid secret name/);
    await expect(store.get('')).rejects.toThrow(/invalid secret name/);
  });
});

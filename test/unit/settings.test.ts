import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { resolvePaths, type ProfilePaths } from '../../src/config/paths.js';
import { openSettings } from '../../src/config/settings.js';
import { ExitCode, IgtgError, UsageError } from '../../src/core/errors.js';

let home: string;
let paths: ProfilePaths;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'igtg-settings-'));
  paths = resolvePaths('default', { IGTG_HOME: home });
});

afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

function writeConfig(text: string): void {
  mkdirSync(paths.configDir, { recursive: true });
  writeFileSync(paths.configFile, text);
}

function thrown(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('openSettings', () => {
  it('answers defaults without creating the file', () => {
    const settings = openSettings(paths);
    expect(settings.path).toBe(paths.configFile);
    expect(settings.get('sync.pause_min_ms')).toBe(1000);
    expect(settings.get('bridge.realtime')).toBe(true);
    expect(settings.get('db')).toBeUndefined();
    expect(() => statSync(paths.configFile)).toThrow();
  });

  it('types values by key (checked by tsc)', () => {
    const settings = openSettings(paths);
    expectTypeOf(settings.get('sync.pause_min_ms')).toEqualTypeOf<number>();
    expectTypeOf(settings.get('bridge.realtime')).toEqualTypeOf<boolean>();
    expectTypeOf(settings.get('db')).toEqualTypeOf<string | undefined>();
    expectTypeOf(settings.get('telegram.owner_id')).toEqualTypeOf<number | undefined>();
  });

  it('stores, reads back and unsets values, in a 0600 file in a 0700 folder', () => {
    const settings = openSettings(paths);
    expect(settings.set('bridge.poll_interval', '2m')).toMatchObject({ value: 120, isSet: true });
    settings.set('bridge.mirror_own', 'on');
    expect(openSettings(paths).get('bridge.poll_interval')).toBe(120);
    expect(openSettings(paths).get('bridge.mirror_own')).toBe(true);
    expect(statSync(paths.configFile).mode & 0o777).toBe(0o600);
    expect(statSync(paths.configDir).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(paths.configFile, 'utf8'))).toEqual({
      'bridge.poll_interval': 120,
      'bridge.mirror_own': true,
    });
    expect(settings.unset('bridge.poll_interval')).toMatchObject({ value: 60, isSet: false });
    expect(openSettings(paths).get('bridge.poll_interval')).toBe(60);
  });

  it('lists every key with value, default, description and whether it is set', () => {
    const settings = openSettings(paths);
    settings.set('bridge.max_attempts', '3');
    const list = settings.list();
    expect(list).toHaveLength(15);
    expect(list.find((entry) => entry.key === 'bridge.max_attempts')).toMatchObject({
      value: 3,
      default: 8,
      isSet: true,
      invalid: false,
    });
    expect(list.find((entry) => entry.key === 'bridge.media')).toMatchObject({
      value: true,
      default: true,
      isSet: false,
    });
    expect(list.every((entry) => entry.description.length > 0)).toBe(true);
  });

  it('rejects an unknown key with a usage error and a did-you-mean hint', () => {
    const settings = openSettings(paths);
    const error = thrown(() => settings.set('bridge.pol_interval', '30'));
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(ExitCode.usage);
    expect(error.message).toContain('unknown setting "bridge.pol_interval"');
    expect(error.message).toContain('did you mean bridge.poll_interval?');
    expect(() => settings.get('nope')).toThrow(UsageError);
    expect(() => settings.unset('nope')).toThrow(UsageError);
  });

  it('rejects a bad value with one line naming the key and what is expected', () => {
    const settings = openSettings(paths);
    const error = thrown(() => settings.set('bridge.max_attempts', 'lots'));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toMatch(
      /^invalid value for bridge\.max_attempts: "lots" \(expected a whole number from 1 to 100\)$/,
    );
    expect(error.message).not.toContain('\n');
    expect(settings.get('bridge.max_attempts')).toBe(8);
  });

  it('never repeats a password from a rejected store URL', () => {
    const error = thrown(() => openSettings(paths).set('db', 'postgres://alice:s3cretpw@host/db'));
    expect(error.message).toContain('invalid value for db');
    expect(error.message).not.toContain('s3cretpw');
  });

  it('keeps a store path absolute', () => {
    const settings = openSettings(paths);
    expect(settings.set('db', 'data/igtg.db').value).toBe(resolve('data/igtg.db'));
    expect(settings.set('db', 'sqlite:rel.db').value).toBe(`sqlite:${resolve('rel.db')}`);
    expect(settings.set('db', 'sqlite://rel.db').value).toBe(`sqlite:${resolve('rel.db')}`);
    expect(settings.set('db', 'mongodb://h:27017/igtg').value).toBe('mongodb://h:27017/igtg');
  });

  it('ignores unknown keys and invalid stored values in the file', () => {
    writeConfig(JSON.stringify({ 'old.setting': 1, 'bridge.max_attempts': 'many', 'bridge.media': false }));
    const settings = openSettings(paths);
    expect(settings.get('bridge.max_attempts')).toBe(8);
    expect(settings.get('bridge.media')).toBe(false);
    expect(settings.entry('bridge.max_attempts')).toMatchObject({ invalid: true, isSet: false });
    settings.set('bridge.realtime', 'off');
    expect(JSON.parse(readFileSync(paths.configFile, 'utf8'))).toMatchObject({
      'old.setting': 1,
      'bridge.realtime': false,
    });
  });

  it('reports a corrupt file as one line naming it, without quoting its content', () => {
    writeConfig('{"db": "mongodb://u:hunter2@h/x", oops');
    const error = thrown(() => openSettings(paths));
    expect(error).toBeInstanceOf(IgtgError);
    expect(error.message).toBe(`config file ${paths.configFile} is not valid JSON; fix it or remove it`);
  });

  it.each(['[]', '42', '"str"', 'null'])('refuses a file holding %s, and never rewrites it', (content) => {
    writeConfig(content);
    const message = `config file ${paths.configFile} does not hold a JSON object; fix it or remove it`;
    const settings = openSettings(paths);
    expect(() => settings.get('bridge.media')).toThrow(message);
    expect(() => settings.list()).toThrow(message);
    expect(() => settings.set('bridge.media', 'off')).toThrow(message);
    expect(() => settings.unset('bridge.media')).toThrow(message);
    expect(readFileSync(paths.configFile, 'utf8')).toBe(content);
  });

  it('reports a file corrupted after opening the same way', () => {
    const settings = openSettings(paths);
    writeFileSync(paths.configFile, 'not json');
    expect(() => settings.get('bridge.media')).toThrow(`config file ${paths.configFile} is not valid JSON`);
  });

  it('tightens a config file readable by others', () => {
    writeConfig('{}');
    chmodSync(paths.configFile, 0o644);
    openSettings(paths);
    expect(statSync(paths.configFile).mode & 0o777).toBe(0o600);
  });
});

import { describe, expect, it } from 'vitest';
import { enumSetting, parseDuration } from '../../src/config/setting-types.js';
import { SETTINGS, SETTING_KEYS, settingDef } from '../../src/config/settings-schema.js';
import { suggest } from '../../src/config/suggest.js';

function parse(key: keyof typeof SETTINGS, raw: string) {
  const def = settingDef(key);
  return def.schema.safeParse(def.fromString(raw));
}

describe('settings registry', () => {
  it('has exactly the documented keys', () => {
    expect(SETTING_KEYS).toEqual([
      'db',
      'instagram.app_version',
      'instagram.version_code',
      'instagram.user_agent',
      'instagram.device',
      'instagram.proxy',
      'sync.pause_min_ms',
      'sync.pause_max_ms',
      'bridge.realtime',
      'bridge.poll_interval',
      'bridge.mirror_own',
      'bridge.media',
      'bridge.max_attempts',
      'telegram.owner_id',
      'telegram.forum_chat_id',
    ]);
  });

  it('has the documented defaults, each valid under its own schema', () => {
    expect(SETTINGS['sync.pause_min_ms'].default).toBe(1000);
    expect(SETTINGS['sync.pause_max_ms'].default).toBe(3000);
    expect(SETTINGS['bridge.realtime'].default).toBe(true);
    expect(SETTINGS['bridge.poll_interval'].default).toBe(60);
    expect(SETTINGS['bridge.mirror_own'].default).toBe(false);
    expect(SETTINGS['bridge.media'].default).toBe(true);
    expect(SETTINGS['bridge.max_attempts'].default).toBe(8);
    for (const key of [
      'db',
      'instagram.user_agent',
      'instagram.device',
      'instagram.proxy',
      'telegram.owner_id',
    ] as const) {
      expect(SETTINGS[key].default).toBeUndefined();
    }
    for (const key of SETTING_KEYS) {
      const def = settingDef(key);
      expect(def.description.length).toBeGreaterThan(10);
      if (def.default !== undefined) expect(def.schema.safeParse(def.default).success).toBe(true);
    }
  });

  it('reads booleans as true/false, on/off, yes/no', () => {
    for (const raw of ['true', 'ON', 'yes', '1']) expect(parse('bridge.media', raw)).toMatchObject({ data: true });
    for (const raw of ['false', 'off', 'No', '0']) expect(parse('bridge.media', raw)).toMatchObject({ data: false });
    expect(parse('bridge.media', 'maybe').success).toBe(false);
  });

  it('reads integers within their range only', () => {
    expect(parse('bridge.max_attempts', '12')).toMatchObject({ data: 12 });
    expect(parse('bridge.max_attempts', '0').success).toBe(false);
    expect(parse('bridge.max_attempts', '2.5').success).toBe(false);
    expect(parse('bridge.max_attempts', 'ten').success).toBe(false);
    expect(parse('telegram.owner_id', '123456789')).toMatchObject({ data: 123456789 });
    expect(parse('telegram.owner_id', '-5').success).toBe(false);
    expect(parse('telegram.forum_chat_id', '-1001234567890')).toMatchObject({ data: -1001234567890 });
    expect(parse('telegram.forum_chat_id', '42').success).toBe(false);
  });

  it('reads durations in the unit of the setting', () => {
    expect(parseDuration('1500', 'ms')).toBe(1500);
    expect(parseDuration('1.5s', 'ms')).toBe(1500);
    expect(parseDuration('250ms', 'ms')).toBe(250);
    expect(parseDuration('2m', 's')).toBe(120);
    expect(parseDuration('1h', 's')).toBe(3600);
    expect(parseDuration('5 parsecs', 's')).toBeNaN();
    expect(parse('bridge.poll_interval', '90s')).toMatchObject({ data: 90 });
    expect(parse('bridge.poll_interval', '1.5s').success).toBe(false);
    expect(parse('sync.pause_max_ms', '2s')).toMatchObject({ data: 2000 });
    expect(parse('sync.pause_max_ms', '-1').success).toBe(false);
  });

  it('reads enums case-insensitively', () => {
    const def = enumSetting({ values: ['private', 'forum'], default: 'private', description: 'where messages go' });
    expect(def.schema.safeParse(def.fromString('Forum'))).toMatchObject({ data: 'forum' });
    expect(def.schema.safeParse(def.fromString('group')).success).toBe(false);
  });

  it('checks the shape of Instagram identity settings', () => {
    expect(parse('instagram.app_version', '370.1.0.43.96').success).toBe(true);
    expect(parse('instagram.app_version', 'latest').success).toBe(false);
    expect(parse('instagram.version_code', '674675155').success).toBe(true);
    expect(parse('instagram.version_code', '12ab').success).toBe(false);
    expect(parse('instagram.device', '33/13; 420dpi; 1080x2400; samsung; SM-S911B; dm1q; qcom').success).toBe(true);
    expect(parse('instagram.device', 'Pixel 8').success).toBe(false);
    expect(parse('instagram.proxy', 'https://127.0.0.1:3128').success).toBe(true);
    expect(parse('instagram.proxy', 'socks5://127.0.0.1:1080').success).toBe(false);
    expect(parse('instagram.proxy', 'not a url').success).toBe(false);
    expect(parse('instagram.user_agent', 'Instagram 361.0.0.46.88 Android (...)').success).toBe(true);
    expect(parse('instagram.user_agent', 'two\nlines').success).toBe(false);
    // Pasted from a web page: curly quotes cannot go in an HTTP header.
    expect(parse('instagram.user_agent', 'Instagram 361.0 Android (Xiaomi; Mi Note “3”)').success).toBe(false);
  });

  it('accepts store locations igtg can open', () => {
    for (const raw of ['mongodb://u:p@h/db', 'mongodb+srv://h/db', 'sqlite:/tmp/a.db', '/tmp/a.db', 'rel/a.db']) {
      expect(parse('db', raw).success, raw).toBe(true);
    }
    expect(parse('db', 'postgres://h/db').success).toBe(false);
    expect(parse('db', '   ').success).toBe(false);
  });
});

describe('suggest', () => {
  it('proposes the closest key or the one with the same last part', () => {
    expect(suggest('bridge.pol_interval', SETTING_KEYS)).toBe('bridge.poll_interval');
    expect(suggest('poll_interval', SETTING_KEYS)).toBe('bridge.poll_interval');
    expect(suggest('poll-interval', SETTING_KEYS)).toBe('bridge.poll_interval');
    expect(suggest('instagram.app_versoin', SETTING_KEYS)).toBe('instagram.app_version');
    expect(suggest('completely.different', SETTING_KEYS)).toBeUndefined();
  });
});

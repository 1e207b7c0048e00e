// Every user setting igtg knows: its type, default and description. `igtg config` and the rest of
// igtg read this registry; a key not listed here does not exist.
import type { z } from 'zod';
import { absoluteStoreTarget, resolveStoreTarget } from '../store/open-store.js';
import { booleanSetting, durationSetting, integerSetting, stringSetting, type SettingDef } from './setting-types.js';

/** The app version and build igtg presents to Instagram unless told otherwise (Android app, 2025). */
export const DEFAULT_INSTAGRAM_APP_VERSION = '361.0.0.46.88';
export const DEFAULT_INSTAGRAM_VERSION_CODE = '674675155';

function isStoreTarget(value: string): boolean {
  try {
    resolveStoreTarget(value, 'unused');
    return true;
  } catch {
    return false;
  }
}

// The Instagram library's HTTP layer (request) speaks to http(s) proxies only.
const PROXY_SCHEMES = new Set(['http:', 'https:']);

function isProxyUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return PROXY_SCHEMES.has(url.protocol) && url.hostname !== '';
  } catch {
    return false;
  }
}

// "API/release; dpi; WxH; manufacturer[/brand]; model; device; cpu", as instagram-private-api builds it.
// Both end up in the User-Agent header, where only visible ASCII and spaces may go (Node refuses the
// request otherwise, which would look like a network failure): curly quotes pasted from a web page
// are refused here.
const DEVICE_STRING =
  /^\d+\/[\d.]+; \d+dpi; \d+x\d+; [\x20-\x3a\x3c-\x7e]+; [\x20-\x3a\x3c-\x7e]+; [\x20-\x3a\x3c-\x7e]+; [\x20-\x3a\x3c-\x7e]+$/;
const HEADER_TEXT = /^[\x20-\x7e]{1,512}$/;

export const SETTINGS = {
  db: stringSetting({
    description: "the store: a file path, sqlite:PATH or a mongodb:// URL (default: the profile's SQLite file)",
    expected: 'a file path, sqlite:PATH, or a mongodb:// or mongodb+srv:// URL',
    check: isStoreTarget,
    normalize: (value: string) => absoluteStoreTarget(value),
    sensitive: true,
  }),
  'instagram.app_version': stringSetting({
    default: DEFAULT_INSTAGRAM_APP_VERSION,
    description: 'Instagram app version presented to Instagram',
    expected: 'a version such as 361.0.0.46.88',
    check: (value) => /^\d+(\.\d+){2,4}$/.test(value),
  }),
  'instagram.version_code': stringSetting({
    default: DEFAULT_INSTAGRAM_VERSION_CODE,
    description: 'Instagram app version code (build number) matching instagram.app_version',
    expected: 'a build number such as 674675155',
    check: (value) => /^\d{6,12}$/.test(value),
  }),
  'instagram.user_agent': stringSetting({
    description: 'full User-Agent override (default: built from the app version and device)',
    expected: 'a User-Agent string on one line, in plain ASCII',
    check: (value) => HEADER_TEXT.test(value),
  }),
  'instagram.device': stringSetting({
    description: 'Android device profile presented to Instagram (default: one generated once per profile)',
    expected: 'a device string such as "33/13; 420dpi; 1080x2400; samsung; SM-S911B; dm1q; qcom"',
    check: (value) => DEVICE_STRING.test(value),
  }),
  'instagram.proxy': stringSetting({
    description: 'proxy for Instagram requests, e.g. http://user:pass@host:port',
    expected: 'an http(s) proxy URL such as http://host:port',
    check: isProxyUrl,
    sensitive: true,
  }),
  'sync.pause_min_ms': durationSetting({
    default: 1000,
    unit: 'ms',
    min: 0,
    max: 600_000,
    description: 'shortest pause between two Instagram requests (ms)',
  }),
  'sync.pause_max_ms': durationSetting({
    default: 3000,
    unit: 'ms',
    min: 0,
    max: 600_000,
    description: 'longest pause between two Instagram requests (ms; the minimum wins if lower)',
  }),
  'bridge.realtime': booleanSetting({
    default: true,
    description: 'receive Instagram messages in realtime (false: polling only)',
  }),
  'bridge.poll_interval': durationSetting({
    default: 60,
    unit: 's',
    min: 1,
    max: 86_400,
    description: 'seconds between inbox polls when realtime is off or down (±20% jitter)',
  }),
  'bridge.mirror_own': booleanSetting({
    default: false,
    description: 'also forward the messages you send from the Instagram app',
  }),
  'bridge.media': booleanSetting({
    default: true,
    description: 'forward photos, videos and voice notes as media (false: as links)',
  }),
  'bridge.max_attempts': integerSetting({
    default: 8,
    min: 1,
    max: 100,
    description: 'delivery attempts before a message goes to the dead letters',
  }),
  'telegram.owner_id': integerSetting({
    min: 1,
    max: Number.MAX_SAFE_INTEGER,
    description: 'Telegram user id of the owner (set by `igtg telegram setup` pairing)',
  }),
  'telegram.forum_chat_id': integerSetting({
    min: -Number.MAX_SAFE_INTEGER,
    max: -1,
    description: 'forum supergroup the bridge posts to, one topic per thread (set by /forum)',
  }),
} as const;

export type SettingKey = keyof typeof SETTINGS;

/** The effective type of a setting: its value type, or `| undefined` when it has no default. */
export type SettingValue<K extends SettingKey> =
  z.output<(typeof SETTINGS)[K]['schema']> | (typeof SETTINGS)[K]['default'];

export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTINGS, key);
}

export function settingDef(key: SettingKey): SettingDef {
  return SETTINGS[key] as unknown as SettingDef;
}

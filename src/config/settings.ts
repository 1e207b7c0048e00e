// A profile's user settings: config.json in the profile's config folder (conf, mode 0600), checked
// against the registry in settings-schema.ts. Unknown keys in the file are ignored; a stored value
// that fails validation is ignored too (the default applies) and reported by `config list`.
import { chmodSync, readFileSync, statSync } from 'node:fs';
import Conf from 'conf';
import { IgtgError, UsageError, errorMessage } from '../core/errors.js';
import { redactUrl } from '../store/open-store.js';
import { ensurePrivateDir, type ProfilePaths } from './paths.js';
import { SETTING_KEYS, isSettingKey, settingDef, type SettingKey, type SettingValue } from './settings-schema.js';
import { suggest } from './suggest.js';

export interface SettingEntry {
  key: SettingKey;
  /** The effective value: the stored one, else the default (undefined when there is neither). */
  value: unknown;
  default: unknown;
  description: string;
  type: string;
  /** True when config.json holds a valid value for the key. */
  isSet: boolean;
  /** True when config.json holds a value for the key that is not valid (it is ignored). */
  invalid: boolean;
  /** True when the value may hold credentials: show it with displayValue() only. */
  sensitive: boolean;
}

export interface Settings {
  readonly path: string;
  get<K extends SettingKey>(key: K): SettingValue<K>;
  get(key: string): unknown;
  /** Validates `raw` as typed on the command line and stores it; UsageError on an unknown key or bad value. */
  set(key: string, raw: string): SettingEntry;
  /** Removes the stored value, so the default applies again. */
  unset(key: string): SettingEntry;
  entry(key: string): SettingEntry;
  list(): SettingEntry[];
}

/** Checks a key typed by the user: UsageError "unknown setting" with a did-you-mean hint. */
export function requireSettingKey(key: string): SettingKey {
  if (isSettingKey(key)) return key;
  const hint = suggest(key, SETTING_KEYS);
  const didYouMean = hint ? ` (did you mean ${hint}?)` : '';
  throw new UsageError(`unknown setting "${printable(key)}"${didYouMean}; \`igtg config list\` shows them all`);
}

/** A value as a person sees it: credentials in URLs replaced by ***, nothing for undefined. */
export function displayValue(value: unknown, sensitive: boolean): string {
  if (value === undefined || value === null) return '';
  const text = String(value);
  return sensitive ? redactUrl(text) : text;
}

function printable(text: string): string {
  const oneLine = text.replace(/\p{Cc}/gu, '?');
  return oneLine.length > 80 ? `${oneLine.slice(0, 77)}...` : oneLine;
}

function fileError(path: string, error: unknown): IgtgError {
  if (error instanceof IgtgError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (error instanceof SyntaxError) {
    // The parser's message quotes the file's content, which may hold a database password: not shown.
    return new IgtgError(`config file ${path} is not valid JSON; fix it or remove it`);
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new IgtgError(`config file ${path} cannot be read or written (permission denied)`);
  }
  return new IgtgError(`config file ${path}: ${errorMessage(error).split('\n')[0]}`, undefined, { cause: error });
}

class ConfSettings implements Settings {
  constructor(
    private readonly conf: Conf<Record<string, unknown>>,
    readonly path: string,
  ) {}

  get<K extends SettingKey>(key: K): SettingValue<K>;
  get(key: string): unknown;
  get(key: string): unknown {
    return this.entry(key).value;
  }

  entry(key: string): SettingEntry {
    return this.describe(requireSettingKey(key), this.read());
  }

  list(): SettingEntry[] {
    const stored = this.read();
    return SETTING_KEYS.map((key) => this.describe(key, stored));
  }

  set(key: string, raw: string): SettingEntry {
    const name = requireSettingKey(key);
    const def = settingDef(name);
    const parsed = def.schema.safeParse(def.fromString(raw));
    if (!parsed.success) {
      const shown = printable(def.sensitive ? redactUrl(raw) : raw);
      throw new UsageError(`invalid value for ${name}: "${shown}" (expected ${def.expected})`);
    }
    const value = def.normalize ? def.normalize(parsed.data) : parsed.data;
    this.read();
    this.guard(() => this.conf.set(name, value));
    return this.entry(name);
  }

  unset(key: string): SettingEntry {
    const name = requireSettingKey(key);
    this.read();
    this.guard(() => {
      if (this.conf.has(name)) this.conf.delete(name);
    });
    return this.entry(name);
  }

  /**
   * The stored settings, read and parsed once (conf's own getter would read the file again). `[]`,
   * `42` or `"text"` parse but hold no settings: conf would take them as {} (or spread a string into
   * {"0": …}) and write that back on the next set, so they are refused.
   */
  private read(): Record<string, unknown> {
    const value = this.guard((): unknown => {
      try {
        return JSON.parse(readFileSync(this.path, 'utf8'));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
        throw error;
      }
    });
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new IgtgError(`config file ${this.path} does not hold a JSON object; fix it or remove it`);
    }
    return value as Record<string, unknown>;
  }

  private describe(key: SettingKey, stored: Record<string, unknown>): SettingEntry {
    const def = settingDef(key);
    const present = Object.hasOwn(stored, key);
    const parsed = present ? def.schema.safeParse(stored[key]) : null;
    const isSet = parsed?.success === true;
    return {
      key,
      value: isSet ? parsed.data : def.default,
      default: def.default,
      description: def.description,
      type: def.type,
      isSet,
      invalid: present && !isSet,
      sensitive: def.sensitive,
    };
  }

  private guard<T>(action: () => T): T {
    try {
      return action();
    } catch (error) {
      throw fileError(this.path, error);
    }
  }
}

/** Tightens a config file left readable by others (it may hold a database URL with a password). */
function tightenMode(file: string): void {
  try {
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  } catch {
    // Missing (nothing stored yet) or not ours to change.
  }
}

export function openSettings(paths: ProfilePaths): Settings {
  let conf: Conf<Record<string, unknown>>;
  try {
    ensurePrivateDir(paths.configDir);
    conf = new Conf<Record<string, unknown>>({
      cwd: paths.configDir,
      configName: 'config',
      configFileMode: 0o600,
      accessPropertiesByDotNotation: false,
      clearInvalidConfig: false,
      watch: false,
      serialize: (value) => `${JSON.stringify(value, null, 2)}\n`,
    });
  } catch (error) {
    throw fileError(paths.configFile, error);
  }
  tightenMode(conf.path);
  return new ConfSettings(conf, conf.path);
}

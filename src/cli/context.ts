// The context a command receives: its options, paths, output, and lazily opened services.
// Commands never reach for globals; tests build a Context with their own env and streams.
import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import type { ProfilePaths } from '../config/paths.js';
import { ensurePrivateDir, resolvePaths } from '../config/paths.js';
import type { Settings } from '../config/settings.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { Store } from '../store/store.js';
import type { Output } from './output.js';
import { IgtgError } from '../core/errors.js';

type Stdin = NodeJS.ReadableStream & { isTTY?: boolean };

export interface GlobalOptions {
  json: boolean;
  profile: string;
  verbose: boolean;
  quiet: boolean;
  color: boolean;
}

export class Context {
  readonly paths: ProfilePaths;
  private store: Promise<Store> | null = null;
  private secretStore: Promise<SecretStore> | null = null;
  private loadedSettings: Settings | null = null;
  private readonly cleanups: Array<() => Promise<void> | void> = [];
  private input: Stdin | (() => Stdin);

  constructor(
    readonly globals: GlobalOptions,
    readonly out: Output,
    readonly env: NodeJS.ProcessEnv,
    stdin: Stdin | (() => Stdin),
  ) {
    this.paths = resolvePaths(globals.profile, env);
    this.input = stdin;
  }

  /** Standard input; given as a function, it is only created when a command reads it (process.stdin costs). */
  get stdin(): Stdin {
    if (typeof this.input === 'function') this.input = this.input();
    return this.input;
  }

  async settings(): Promise<Settings> {
    if (!this.loadedSettings) {
      const { openSettings } = await import('../config/settings.js');
      this.loadedSettings = openSettings(this.paths);
    }
    return this.loadedSettings;
  }

  /** The profile's store, opened once and closed when the command ends; `mustExist` for commands that only read. */
  openStore(
    options: {
      writerThread?: boolean;
      directLoad?: boolean;
      mustExist?: boolean;
      readOnlyIfNeeded?: boolean;
      busyTimeoutMs?: number;
    } = {},
  ): Promise<Store> {
    if (!this.store) {
      this.store = (async () => {
        const { openStore, resolveStoreTarget } = await import('../store/open-store.js');
        // An empty IGTG_DB (an unset variable in a script) does not hide the configured store.
        const configured = this.env.IGTG_DB?.trim() || (await this.storeSetting());
        const store = await openStore(resolveStoreTarget(configured, this.paths.dbFile), {
          ...options,
          onUpgrade: (_from, to) =>
            this.out.info(`upgrading the store to schema ${to} (once; about 10 s per million messages)…`),
        });
        this.onClose(() => store.close());
        return store;
      })();
    }
    return this.store;
  }

  /**
   * The `db` setting. A config file that does not set it (the usual case) is recognised without
   * loading the settings machinery (conf, ajv, zod: most of a read command's start-up); anything
   * else goes through settings() so its checks and messages apply unchanged.
   */
  private async storeSetting(): Promise<string | undefined> {
    // null: the file is not valid JSON, which settings() reports (rather than quietly using the default store).
    const keys = this.loadedSettings ? null : storedKeys(this.paths);
    if (keys && !keys.has('db')) return undefined;
    const settings = await this.settings();
    const entry = settings.entry('db');
    // A db the file names but that is not valid must not quietly become the default store.
    if (entry.invalid) {
      throw new IgtgError(`config file ${settings.path}: db is not a valid store; fix it with igtg config set db …`);
    }
    return entry.value as string | undefined;
  }

  secrets(): Promise<SecretStore> {
    if (!this.secretStore) {
      this.secretStore = (async () => {
        const { openSecretStore } = await import('../secrets/secret-store.js');
        return openSecretStore({
          service: this.paths.keychainService,
          profile: this.paths.profile,
          file: this.paths.secretsFile,
          env: this.env,
          // A warning, not a notice: --json output must not hide that secrets went to a file.
          notice: (message) => this.out.warn(message),
        });
      })();
    }
    return this.secretStore;
  }

  onClose(cleanup: () => Promise<void> | void): void {
    this.cleanups.push(cleanup);
  }

  async close(): Promise<void> {
    while (this.cleanups.length > 0) {
      const cleanup = this.cleanups.pop()!;
      await cleanup();
    }
  }
}

/**
 * The keys config.json holds, with the side effects opening the settings has (private folder,
 * file mode 0600); null when the file cannot be read as a JSON object (settings() then reports it).
 */
function storedKeys(paths: ProfilePaths): Set<string> | null {
  let text: string;
  // A profile without a folder has no settings; reading them must not create it (a mistyped --profile).
  if (!existsSync(paths.configDir)) return new Set();
  try {
    ensurePrivateDir(paths.configDir);
    text = readFileSync(paths.configFile, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? new Set() : null;
  }
  try {
    if ((statSync(paths.configFile).mode & 0o077) !== 0) chmodSync(paths.configFile, 0o600);
  } catch {
    // Not ours to change.
  }
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
    return new Set(Object.keys(value));
  } catch {
    return null;
  }
}

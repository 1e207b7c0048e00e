// The context a command receives: its options, paths, output, and lazily opened services.
// Commands never reach for globals; tests build a Context with their own env and streams.
import type { ProfilePaths } from '../config/paths.js';
import { resolvePaths } from '../config/paths.js';
import type { Settings } from '../config/settings.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { Store } from '../store/store.js';
import type { Output } from './output.js';

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

  constructor(
    readonly globals: GlobalOptions,
    readonly out: Output,
    readonly env: NodeJS.ProcessEnv,
    readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean },
  ) {
    this.paths = resolvePaths(globals.profile, env);
  }

  async settings(): Promise<Settings> {
    if (!this.loadedSettings) {
      const { openSettings } = await import('../config/settings.js');
      this.loadedSettings = openSettings(this.paths);
    }
    return this.loadedSettings;
  }

  /** The profile's store, opened once and closed when the command ends. */
  openStore(): Promise<Store> {
    if (!this.store) {
      this.store = (async () => {
        const { openStore, resolveStoreTarget } = await import('../store/open-store.js');
        const settings = await this.settings();
        const configured = this.env.IGTG_DB ?? (settings.get('db') as string | undefined);
        const store = await openStore(resolveStoreTarget(configured, this.paths.dbFile));
        this.onClose(() => store.close());
        return store;
      })();
    }
    return this.store;
  }

  secrets(): Promise<SecretStore> {
    if (!this.secretStore) {
      this.secretStore = (async () => {
        const { openSecretStore } = await import('../secrets/secret-store.js');
        return openSecretStore({
          service: 'igtg',
          profile: this.paths.profile,
          file: this.paths.secretsFile,
          env: this.env,
          notice: (message) => this.out.info(message),
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

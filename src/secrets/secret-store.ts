// Where igtg keeps secrets (Instagram session, Telegram bot token): the OS keychain when one is
// reachable, else a 0600 file in the profile folder, with one notice line saying so.
// IGTG_SECRETS=file forces the file; IGTG_SECRETS=keychain insists on the keychain.
import { IgtgError, UsageError } from '../core/errors.js';
import { FileSecretStore } from './file-secret-store.js';
import { probeKeychain } from './keychain-probe.js';

export type SecretBackend = 'keychain' | 'file';

export interface SecretStore {
  readonly backend: SecretBackend;
  /** Where the secrets are, for messages: the file path or "OS keychain (service …)". */
  readonly location: string;
  get(name: string): Promise<string | null>;
  set(name: string, value: string): Promise<void>;
  /**
   * Sets `name` only when `accept` approves its current value, as one step where the backend can
   * (the file: under its lock); true when it was set.
   */
  setIf?(name: string, value: string, accept: (current: string | null) => boolean): Promise<boolean>;
  /** Removes one secret; nothing happens when it does not exist. */
  delete(name: string): Promise<void>;
  /** Names of the profile's secrets. */
  list(): Promise<string[]>;
  /** Removes every secret of the profile (keychain entries and the secrets file); returns how many. */
  clear(): Promise<number>;
}

export interface SecretStoreOptions {
  service: string;
  profile: string;
  file: string;
  env: NodeJS.ProcessEnv;
  notice: (message: string) => void;
  /** How long the keychain check may take before the file backend is used (default 2000 ms). */
  probeTimeoutMs?: number;
}

export type SecretsMode = 'auto' | 'file' | 'keychain';

export function secretsMode(env: NodeJS.ProcessEnv): SecretsMode {
  const value = (env.IGTG_SECRETS ?? '').trim().toLowerCase();
  if (value === '' || value === 'auto') return 'auto';
  if (value === 'file' || value === 'keychain') return value;
  throw new UsageError(`IGTG_SECRETS must be "file", "keychain" or "auto", not "${value.slice(0, 40)}"`);
}

export async function openSecretStore(options: SecretStoreOptions): Promise<SecretStore> {
  const mode = secretsMode(options.env);
  const fileStore = new FileSecretStore(options.file);
  if (mode === 'file') return fileStore;
  const probe = await probeKeychain({
    service: options.service,
    profile: options.profile,
    env: options.env,
    timeoutMs: options.probeTimeoutMs ?? 2000,
  });
  if (probe.reachable) {
    const { KeychainSecretStore } = await import('./keychain-secret-store.js');
    return new KeychainSecretStore(options.service, options.profile, fileStore);
  }
  if (mode === 'keychain') {
    throw new IgtgError(`IGTG_SECRETS=keychain, but no OS keychain is reachable (${probe.reason})`);
  }
  // A locked keychain is there, holding secrets: using the file instead would hide the session (and
  // `logout` would forget nothing), and a login meanwhile would leave two sessions.
  if (/IsLocked|\block(ed)?\b/i.test(probe.reason)) {
    throw new IgtgError(
      'the OS keychain is locked: unlock it (log in to the desktop, or `gnome-keyring-daemon --unlock`), ' +
        'or set IGTG_SECRETS=file to keep secrets in a file instead',
    );
  }
  options.notice(`no OS keychain reachable (${probe.reason}); secrets are kept in ${options.file} (mode 0600)`);
  return fileStore;
}

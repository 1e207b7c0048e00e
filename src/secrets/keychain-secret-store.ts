// The OS-keychain backend of the SecretStore (@napi-rs/keyring: Secret Service on Linux, Keychain
// on macOS, Credential Manager on Windows). Entries are service "igtg" (or
// "igtg:<IGTG_HOME>", paths.ts), account "<profile>:<name>".
// Secrets left in the file backend by an earlier run without a keychain are moved in when read.
import { AsyncEntry, findCredentialsAsync } from '@napi-rs/keyring';
import { IgtgError } from '../core/errors.js';
import type { FileSecretStore } from './file-secret-store.js';
import type { SecretStore } from './secret-store.js';
import { checkSecretName, firstLine } from './secret-name.js';

export class KeychainSecretStore implements SecretStore {
  readonly backend = 'keychain' as const;

  constructor(
    private readonly service: string,
    private readonly profile: string,
    /** The profile's secrets file: read for secrets stored before a keychain was available. */
    private readonly fileStore: FileSecretStore,
  ) {}

  get location(): string {
    return `OS keychain (service "${this.service}")`;
  }

  async get(name: string): Promise<string | null> {
    const value = await this.call('read', name, (entry) => entry.getPassword());
    if (typeof value === 'string') return value;
    const fromFile = await this.fileStore.get(name).catch(() => null);
    if (fromFile === null) return null;
    try {
      await this.set(name, fromFile);
      await this.fileStore.delete(name);
    } catch {
      // Stays in the file; read from there next time.
    }
    return fromFile;
  }

  async set(name: string, value: string): Promise<void> {
    if (typeof value !== 'string') throw new TypeError(`secret "${name}" must be a string`);
    await this.call('store', name, (entry) => entry.setPassword(value));
  }

  async delete(name: string): Promise<void> {
    await this.call('delete', name, (entry) => entry.deletePassword());
    await this.fileStore.delete(name).catch(() => {});
  }

  async list(): Promise<string[]> {
    const names = new Set(await this.keychainNames());
    for (const name of await this.fileStore.list().catch(() => [])) names.add(name);
    return [...names].sort();
  }

  async clear(): Promise<number> {
    const names = await this.keychainNames();
    for (const name of names) await this.call('delete', name, (entry) => entry.deletePassword());
    return names.length + (await this.fileStore.clear().catch(() => 0));
  }

  private async keychainNames(): Promise<string[]> {
    const prefix = `${this.profile}:`;
    let credentials: Array<{ account: string }>;
    try {
      credentials = await findCredentialsAsync(this.service);
    } catch (error) {
      throw new IgtgError(`OS keychain: could not list the profile's secrets: ${firstLine(error)}`);
    }
    return credentials
      .map((credential) => credential.account)
      .filter((account) => account.startsWith(prefix) && account !== `${prefix}.probe`)
      .map((account) => account.slice(prefix.length));
  }

  private async call<T>(verb: string, name: string, action: (entry: AsyncEntry) => Promise<T>): Promise<T> {
    checkSecretName(name);
    try {
      return await action(new AsyncEntry(this.service, `${this.profile}:${name}`));
    } catch (error) {
      // Keyring errors name the platform failure, never the value.
      throw new IgtgError(`OS keychain: could not ${verb} secret "${name}": ${firstLine(error)}`);
    }
  }
}

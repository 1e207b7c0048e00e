// Placeholder replaced by the SecretStore module (keychain + file backends).
export interface SecretStore {
  readonly backend: 'keychain' | 'file';
  get(name: string): Promise<string | null>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
}
export interface SecretStoreOptions {
  service: string;
  profile: string;
  file: string;
  env: NodeJS.ProcessEnv;
  notice: (message: string) => void;
}
export async function openSecretStore(_options: SecretStoreOptions): Promise<SecretStore> {
  throw new Error('secret store not implemented');
}

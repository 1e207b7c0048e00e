// An in-memory SecretStore for tests of the Instagram side (the real backends have their own tests).
import type { SecretStore } from '../../../src/secrets/secret-store.js';

export class MemorySecrets implements SecretStore {
  readonly backend = 'file' as const;
  readonly location = 'memory';
  readonly values = new Map<string, string>();

  async get(name: string): Promise<string | null> {
    return this.values.get(name) ?? null;
  }
  async set(name: string, value: string): Promise<void> {
    this.values.set(name, value);
  }
  async delete(name: string): Promise<void> {
    this.values.delete(name);
  }
  async list(): Promise<string[]> {
    return [...this.values.keys()].sort();
  }
  async clear(): Promise<number> {
    const count = this.values.size;
    this.values.clear();
    return count;
  }
}

// The file backend of the SecretStore, for machines without an OS keychain: one JSON file per
// profile, mode 0600 in a 0700 folder, replaced atomically and changed under a lock so two igtg
// processes (the bridge and a command) never lose each other's writes.
import { chmod, readFile, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import lockfile from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';
import { ensurePrivateDir } from '../config/paths.js';
import { IgtgError, errorMessage } from '../core/errors.js';
import type { SecretStore } from './secret-store.js';
import { checkSecretName } from './secret-name.js';

type Secrets = Record<string, string>;

const LOCK_OPTIONS = {
  realpath: false,
  stale: 10_000,
  retries: { retries: 100, factor: 1.3, minTimeout: 10, maxTimeout: 100 },
  // A lock found compromised mid-write still leaves an atomic, complete file: carry on.
  onCompromised: () => {},
};

export class FileSecretStore implements SecretStore {
  readonly backend = 'file' as const;

  constructor(readonly file: string) {}

  get location(): string {
    return this.file;
  }

  async get(name: string): Promise<string | null> {
    checkSecretName(name);
    const secrets = await this.read();
    return Object.hasOwn(secrets, name) ? secrets[name]! : null;
  }

  async set(name: string, value: string): Promise<void> {
    checkSecretName(name);
    if (typeof value !== 'string') throw new TypeError(`secret "${name}" must be a string`);
    await this.setIf(name, value, () => true);
  }

  async setIf(name: string, value: string, accept: (current: string | null) => boolean): Promise<boolean> {
    checkSecretName(name);
    let done = false;
    await this.update((secrets) => {
      if (!accept(Object.hasOwn(secrets, name) ? secrets[name]! : null)) return false;
      secrets[name] = value;
      done = true;
      return true;
    });
    return done;
  }

  async delete(name: string): Promise<void> {
    checkSecretName(name);
    await this.update((secrets) => {
      if (!Object.hasOwn(secrets, name)) return false;
      delete secrets[name];
      return true;
    });
  }

  async list(): Promise<string[]> {
    return Object.keys(await this.read()).sort();
  }

  async clear(): Promise<number> {
    let count = 0;
    await this.locked(async () => {
      count = Object.keys(await this.read()).length;
      await rm(this.file, { force: true });
    });
    return count;
  }

  private async read(): Promise<Secrets> {
    let text: string;
    try {
      // A file someone opened up (chmod 644) is closed again before its secrets are read.
      if (((await stat(this.file)).mode & 0o077) !== 0) await chmod(this.file, 0o600).catch(() => undefined);
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return Object.create(null) as Secrets;
      throw new IgtgError(
        `secrets file ${this.file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
    // Never quote the parser's message: it would show part of the file, secrets included.
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      throw new IgtgError(`secrets file ${this.file} is not valid JSON; remove it and log in again`);
    }
    const secrets = (data as { secrets?: unknown } | null)?.secrets;
    if (!secrets || typeof secrets !== 'object' || Array.isArray(secrets)) {
      throw new IgtgError(`secrets file ${this.file} has an unknown format; remove it and log in again`);
    }
    const result = Object.create(null) as Secrets;
    for (const [name, value] of Object.entries(secrets)) {
      if (typeof value === 'string') result[name] = value;
    }
    return result;
  }

  /** Reads, changes and writes the file under the lock; `change` returns false when nothing changed. */
  private async update(change: (secrets: Secrets) => boolean): Promise<void> {
    await this.locked(async () => {
      const secrets = await this.read();
      if (!change(secrets)) return;
      const body = `${JSON.stringify({ version: 1, secrets }, null, 2)}\n`;
      await writeFileAtomic(this.file, body, { mode: 0o600 });
    });
  }

  private async locked(action: () => Promise<void>): Promise<void> {
    let release: () => Promise<void>;
    try {
      ensurePrivateDir(dirname(this.file));
    } catch (error) {
      throw new IgtgError(`secrets file ${this.file} cannot be changed: ${errorMessage(error)}`, undefined, {
        cause: error,
      });
    }
    try {
      release = await lockfile.lock(this.file, LOCK_OPTIONS);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ELOCKED' ? 'it stays locked by another igtg process' : (code ?? 'lock failed');
      throw new IgtgError(`secrets file ${this.file} cannot be changed: ${why}`);
    }
    try {
      await action();
    } finally {
      await release().catch(() => {});
    }
  }
}

// Saves the serialized session to the SecretStore whenever Instagram changes it, one write at a
// time and in order; `flush()` waits for the last one (commands call it before exiting).
import type { SecretStore } from '../secrets/secret-store.js';
import { InstagramSecrets } from './secret-names.js';

export class SessionKeeper {
  private chain: Promise<void> = Promise.resolve();
  private failure: unknown = null;

  constructor(private readonly secrets: Pick<SecretStore, 'get' | 'set' | 'delete'>) {}

  /** Queues a save; the latest value wins. */
  save = (serialized: string): void => {
    this.chain = this.chain
      .then(() => this.secrets.set(InstagramSecrets.session, serialized))
      .catch((error: unknown) => {
        this.failure = error;
      });
  };

  load(): Promise<string | null> {
    return this.secrets.get(InstagramSecrets.session);
  }

  /** Waits for queued saves; rethrows the first failure so a lost session is never silent. */
  async flush(): Promise<void> {
    await this.chain;
    if (this.failure) {
      const failure = this.failure;
      this.failure = null;
      throw failure;
    }
  }
}

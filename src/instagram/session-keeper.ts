// Saves the serialized session to the SecretStore whenever Instagram changes it, one write at a
// time and in order; `flush()` waits for the last one (commands call it before exiting).
//
// A process saves over only the session it started from (or last saved): once the stored one is
// something else — `igtg logout` deleted it, or a newer `igtg login` replaced it — a sync or bridge
// that was already running stops saving, so it can neither bring a logged-out session back nor
// put an old account's session over a new login.
import { createHash } from 'node:crypto';
import type { SecretStore } from '../secrets/secret-store.js';
import { InstagramSecrets } from './secret-names.js';

/** A short digest of a stored session: enough to tell whether the refused one is still the stored one. */
export function sessionDigest(session: string): string {
  return createHash('sha256').update(session).digest('base64url').slice(0, 22);
}

export class SessionKeeper {
  private chain: Promise<void> = Promise.resolve();
  private failure: unknown = null;
  /** The stored session this process runs on; undefined until it resumes one (a fresh login). */
  private basis: string | null | undefined = undefined;
  private superseded = false;

  constructor(private readonly secrets: Pick<SecretStore, 'get' | 'set' | 'delete'>) {}

  /** Queues a save; the latest value wins, unless the stored session changed under this process. */
  save = (serialized: string): void => {
    this.chain = this.chain
      .then(async () => {
        if (this.superseded) return;
        if (this.basis !== undefined && (await this.load()) !== this.basis) {
          this.superseded = true;
          return;
        }
        await this.secrets.set(InstagramSecrets.session, serialized);
        this.basis = serialized;
      })
      .catch((error: unknown) => {
        this.failure = error;
      });
  };

  /** The stored session, as it is now. */
  load(): Promise<string | null> {
    return this.secrets.get(InstagramSecrets.session);
  }

  /** The stored session, which this process now runs on (and may save over). */
  async resume(): Promise<string | null> {
    const stored = await this.load();
    this.basis = stored;
    this.superseded = false;
    return stored;
  }

  /** Notes that Instagram refused the session this process runs on (unless another replaced it). */
  markRefused(): Promise<void> {
    const refused = this.basis;
    this.chain = this.chain
      .then(async () => {
        if (typeof refused !== 'string' || (await this.load()) !== refused) return;
        await this.secrets.set(InstagramSecrets.sessionRefused, sessionDigest(refused));
      })
      .catch(() => undefined); // only a status hint: never fails the command
    return this.chain;
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

// Saves the serialized session to the SecretStore whenever Instagram changes it, one write at a
// time and in order; `flush()` waits for the last one (commands call it before exiting).
//
// A process saves only while the stored session is still the login it runs on (its sessionid;
// another process's cookie refresh of the same login does not count): once `igtg logout` deleted it
// or a newer `igtg login` replaced it, a sync or bridge that was already running stops saving, so
// it can neither bring a logged-out session back nor put an old session over a new login. The
// check and the write are one step under the secrets file's lock.
import { createHash } from 'node:crypto';
import type { SecretStore } from '../secrets/secret-store.js';
import { sessionIdentity } from './adapter/session-codec.js';
import { InstagramSecrets } from './secret-names.js';

/** A short digest of a stored session's login: enough to tell whether the refused one is still stored. */
export function sessionDigest(session: string): string {
  return createHash('sha256').update(sessionIdentity(session)).digest('base64url').slice(0, 22);
}

export class SessionKeeper {
  private chain: Promise<void> = Promise.resolve();
  private failure: unknown = null;
  /** The stored session this process runs on (resumed or last saved); null until then (a fresh login). */
  private current: string | null = null;
  private superseded = false;
  /** The session this process runs on has worked since it was resumed or last refused. */
  private accepted = false;

  constructor(private readonly secrets: Pick<SecretStore, 'get' | 'set' | 'delete' | 'setIf'>) {}

  /**
   * Queues a save; the latest value wins, as long as the stored session is still the login this
   * process runs on (cookie refreshes by other processes of the same login do not count).
   */
  save = (serialized: string): void => {
    this.chain = this.chain
      .then(async () => {
        if (this.superseded) return;
        const basis = this.current === null ? null : sessionIdentity(this.current);
        const ours = (stored: string | null) =>
          basis === null || (stored !== null && sessionIdentity(stored) === basis);
        let saved: boolean;
        if (this.secrets.setIf) saved = await this.secrets.setIf(InstagramSecrets.session, serialized, ours);
        else if ((saved = ours(await this.load()))) await this.secrets.set(InstagramSecrets.session, serialized);
        if (!saved) {
          this.superseded = true;
          return;
        }
        this.current = serialized;
      })
      .catch((error: unknown) => {
        this.failure = error;
      });
  };

  /** The stored session, as it is now. */
  load(): Promise<string | null> {
    return this.secrets.get(InstagramSecrets.session);
  }

  /** The stored session, which this process now runs on (and may save over); none stops saving. */
  async resume(): Promise<string | null> {
    const stored = await this.load();
    this.current = stored;
    this.superseded = stored === null;
    this.accepted = false;
    return stored;
  }

  /** Notes that Instagram refused the session this process runs on (unless another replaced it). */
  markRefused(): Promise<void> {
    const refused = this.current;
    this.accepted = false;
    this.chain = this.chain
      .then(async () => {
        const stored = await this.load();
        if (refused === null || stored === null || sessionDigest(stored) !== sessionDigest(refused)) return;
        await this.secrets.set(InstagramSecrets.sessionRefused, sessionDigest(refused));
      })
      .catch(() => undefined); // only a status hint: never fails the command
    return this.chain;
  }

  /**
   * Notes that Instagram answered a request on the session this process runs on: a refusal noted
   * for that very session is over (the first answer after a resume or a refusal checks).
   */
  markAccepted = (): void => {
    if (this.accepted || this.current === null) return;
    this.accepted = true;
    const working = sessionDigest(this.current);
    this.chain = this.chain
      .then(async () => {
        if ((await this.secrets.get(InstagramSecrets.sessionRefused)) !== working) return;
        await this.secrets.delete(InstagramSecrets.sessionRefused);
      })
      .catch(() => undefined); // only a status hint: never fails the command
  };

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

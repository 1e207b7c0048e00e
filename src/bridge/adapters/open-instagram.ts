// The bridge's Instagram side for a profile: the logged-in client opened from the stored session
// (never a password login; `connectLoggedIn` retries one login_required with the stored session),
// receiving through the sync engine (sync-poll.ts), sending with the outbox's client_context.
// While nobody is logged in the port is offline (Telegram commands keep working, the owner is
// told once) and every poll tries to open the stored session again, so a later `igtg login` is
// picked up without a restart. `/code` finishes a login `igtg login` left waiting for a code.
import type { Context } from '../../cli/context.js';
import { errorMessage } from '../../core/errors.js';
import type { InstagramConnection } from '../../instagram/connect.js';
import type { Store } from '../../store/store.js';
import { StatusMeta } from '../../core/status-meta.js';
import type { BridgeLog } from '../core/bridge.js';
import { DeliveryError, type InstagramPort, type InstagramSessionState, SessionExpiredError } from '../ports.js';
import { ClientInstagramPort } from './instagram-port.js';
import { syncPoll } from './sync-poll.js';

export const offlineInstagram: InstagramPort = {
  poll: async () => {
    throw new SessionExpiredError('not logged in to Instagram');
  },
  sendText: async () => {
    throw new DeliveryError('not logged in to Instagram');
  },
  sendPhoto: async () => {
    throw new DeliveryError('not logged in to Instagram');
  },
  download: async () => {
    throw new DeliveryError('not logged in to Instagram');
  },
  sessionState: () => 'logged_out',
};

export type OpenConnection = () => Promise<InstagramConnection | null>;

/** The bridge's InstagramPort plus what the realtime receiver needs from the same session. */
export class BridgeInstagram implements InstagramPort {
  private inner: ClientInstagramPort | null = null;
  private connection: InstagramConnection | null = null;
  private opening: Promise<void> | null = null;
  /** Whether an open found no stored session; until an open has run, nobody knows. */
  private noSession = false;

  constructor(
    private readonly open: OpenConnection,
    private readonly store: Store,
    private readonly log: BridgeLog,
    private readonly finishLogin: ((code: string) => Promise<void>) | null = null,
  ) {}

  /** The open connection, if any (for the realtime receiver's snapshot and session). */
  current(): InstagramConnection | null {
    return this.connection;
  }

  private async connect(): Promise<void> {
    const connection = await this.open();
    this.noSession = !connection;
    if (!connection) return;
    await this.connection?.close().catch(() => undefined);
    this.connection = connection;
    const poll = syncPoll({
      store: this.store,
      requests: () => connection.gate.requests,
      finalMeta: () => ({ [StatusMeta.lastSyncAt]: String(Date.now()) }),
      onWarning: (message) => this.log.warn({}, message),
    });
    this.inner = new ClientInstagramPort(connection.client, poll, async () => {
      // Logged out: a new `igtg login` may have stored a fresh session meanwhile.
      const fresh = await this.open();
      if (!fresh) return null;
      await this.connection?.close().catch(() => undefined);
      this.connection = fresh;
      return fresh.client;
    });
  }

  private async ensure(): Promise<InstagramPort> {
    if (!this.inner) {
      this.opening ??= this.connect()
        .catch((error: unknown) => this.log.warn({ error: errorMessage(error) }, 'cannot open the Instagram session'))
        .finally(() => (this.opening = null));
      await this.opening;
    }
    return this.inner ?? offlineInstagram;
  }

  async poll(signal?: AbortSignal) {
    return (await this.ensure()).poll(signal);
  }
  async sendText(threadId: string, text: string, clientContext: string) {
    return (await this.ensure()).sendText(threadId, text, clientContext);
  }
  async sendPhoto(threadId: string, photo: Uint8Array, clientContext: string) {
    return (await this.ensure()).sendPhoto(threadId, photo, clientContext);
  }
  async download(url: string) {
    return (await this.ensure()).download(url);
  }
  sessionState(): InstagramSessionState {
    if (this.inner) return this.inner.sessionState();
    // Before the first open (bridge start-up) or after one that failed, the session may well be valid.
    return this.noSession ? 'logged_out' : 'unknown';
  }

  readonly submitCode = async (code: string): Promise<void> => {
    if (!this.finishLogin) throw new Error('this bridge cannot finish a login; run `igtg login --code CODE`');
    await this.finishLogin(code);
    this.inner = null;
    await this.ensure();
  };

  async close(): Promise<void> {
    await this.connection?.close().catch(() => undefined);
  }
}

export function openInstagram(ctx: Context, store: Store, log: BridgeLog): BridgeInstagram {
  const deps = async () => ({ env: ctx.env, settings: await ctx.settings(), secrets: await ctx.secrets() });
  // One request at a time for the whole bridge: a rate limit waited out inside that queue (as a sync
  // does, for minutes) would hold every poll and every other reply behind one message. Here it is
  // reported at once, and the outbox holds that message (its lane) and the poll schedule the polls.
  const pacing = {
    rateLimitRetries: 0,
    onWait: ({ delayMs, attempt }: { delayMs: number; attempt: number }) =>
      log.warn({ retryInMs: delayMs, attempt }, 'Instagram did not answer properly; trying again'),
  };
  const open: OpenConnection = async () => {
    const [{ connectLoggedIn }, { NotLoggedInError }] = await Promise.all([
      import('../../instagram/connect.js'),
      import('../../instagram/errors.js'),
    ]);
    try {
      return await connectLoggedIn({ ...(await deps()), pacing });
    } catch (error) {
      if (error instanceof NotLoggedInError) return null;
      throw error;
    }
  };
  const finishLogin = async (code: string) => {
    const [{ connectInstagram }, { LoginService }] = await Promise.all([
      import('../../instagram/connect.js'),
      import('../../cli/login-flow/login-service.js'),
    ]);
    const connection = await connectInstagram(await deps());
    try {
      const result = await new LoginService(connection.client, (await deps()).secrets).submit(code);
      if (result.status !== 'ok') throw new Error('Instagram asks for another code; send it with /code');
    } finally {
      await connection.close();
    }
  };
  return new BridgeInstagram(open, store, log, finishLogin);
}

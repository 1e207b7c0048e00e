// Builds the bridge's InstagramPort for a profile. The Instagram module is expected to offer
// `openInstagramClient(ctx)` (src/instagram/open-client.ts: the stored session resumed, or null
// when nobody is logged in). Until it exists — or while nobody is logged in — the bridge runs with
// an offline port: Telegram commands work and the owner is told to log in.
import type { Context } from '../../cli/context.js';
import type { InstagramClient } from '../../instagram/client.js';
import type { Store } from '../../store/store.js';
import { DeliveryError, type InstagramPort, SessionExpiredError } from '../ports.js';
import { ClientInstagramPort } from './instagram-port.js';
import { recentPoll } from './recent-poll.js';

type OpenClient = (ctx: Context) => Promise<InstagramClient | null>;

async function loadOpener(): Promise<OpenClient | null> {
  // A variable specifier: the module belongs to another part of igtg and may not exist yet.
  const specifier = '../../instagram/open-client.js';
  try {
    const mod = (await import(specifier)) as { openInstagramClient?: OpenClient };
    return mod.openInstagramClient ?? null;
  } catch {
    return null;
  }
}

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

/** Opens the client on first use and again after a failed open, so a later `igtg login` is picked up. */
class LazyInstagramPort implements InstagramPort {
  private inner: ClientInstagramPort | null = null;

  constructor(
    private readonly open: () => Promise<InstagramClient | null>,
    private readonly store: Store,
  ) {}

  private async ensure(): Promise<InstagramPort> {
    if (!this.inner) {
      const client = await this.open();
      if (client)
        this.inner = new ClientInstagramPort(client, (current) => recentPoll(current, this.store)(), this.open);
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
  sessionState() {
    return this.inner ? this.inner.sessionState() : 'logged_out';
  }
}

export async function openInstagramPort(ctx: Context, store: Store): Promise<InstagramPort> {
  const open = await loadOpener();
  if (!open) return offlineInstagram;
  return new LazyInstagramPort(() => open(ctx).catch(() => null), store);
}

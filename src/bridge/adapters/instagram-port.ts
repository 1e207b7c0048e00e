// The bridge's InstagramPort on igtg's InstagramClient (src/instagram) plus a poll function (the
// sync engine, or recent-poll.ts until it exists). Instagram failures become the bridge's terms:
// login_required twice in a row → SessionExpiredError (one alone is retried: a single
// login_required is often transient); challenge/two-factor → needs_code; 4xx refusals → permanent;
// an action block (feedback_required) → ActionBlockedError, which pauses every send for hours.
import { errorMessage } from '../../core/errors.js';
import type { InstagramClient } from '../../instagram/client.js';
import { InstagramError } from '../../instagram/errors.js';
import {
  DeliveryError,
  type DownloadedMedia,
  type InstagramPollResult,
  type InstagramPort,
  type InstagramSessionState,
  SessionExpiredError,
} from '../ports.js';
import { ActionBlockedError } from '../core/instagram-pause.js';

export class ClientInstagramPort implements InstagramPort {
  private state: InstagramSessionState = 'unknown';
  private loginRequiredStreak = 0;

  constructor(
    private client: InstagramClient,
    private readonly pollFn: (client: InstagramClient, signal?: AbortSignal) => Promise<InstagramPollResult>,
    /** Re-reads the stored session (after `igtg login` ran meanwhile); null when there is none. */
    private readonly reloadSession: () => Promise<InstagramClient | null> = async () => null,
  ) {}

  sessionState(): InstagramSessionState {
    return this.state;
  }

  async poll(signal?: AbortSignal): Promise<InstagramPollResult> {
    if (this.state === 'logged_out') {
      const fresh = await this.reloadSession();
      if (!fresh) throw new SessionExpiredError('not logged in to Instagram');
      this.client = fresh;
    }
    try {
      const result = await this.pollFn(this.client, signal);
      this.state = 'ok';
      this.loginRequiredStreak = 0;
      return result;
    } catch (error) {
      throw this.translate(error);
    }
  }

  private translate(error: unknown): unknown {
    if (!(error instanceof InstagramError)) return error;
    switch (error.kind) {
      case 'login_required':
      case 'not_logged_in':
        this.loginRequiredStreak += 1;
        if (this.loginRequiredStreak >= 2 || error.kind === 'not_logged_in') {
          this.state = 'logged_out';
          return new SessionExpiredError(error.message);
        }
        return new DeliveryError(error.message, { transient: true, cause: error });
      case 'challenge_required':
      case 'two_factor_required':
        this.state = 'needs_code';
        // Replies wait for the owner to enter the code (`igtg login`); the bridge tells them so.
        return new DeliveryError(error.message, { transient: true, cause: error });
      case 'rejected':
        return new DeliveryError(error.message, { permanent: true, cause: error });
      case 'feedback_required':
        return new ActionBlockedError(error.message, error);
      case 'rate_limited':
        return new DeliveryError(error.message, { retryAfterMs: 5 * 60_000, cause: error });
      case 'network':
      case 'server_error':
        return new DeliveryError(error.message, { transient: true, cause: error });
      default:
        return new DeliveryError(error.message, { cause: error });
    }
  }

  private async call<T>(action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      const translated = this.translate(error);
      if (translated instanceof SessionExpiredError) {
        throw new DeliveryError(translated.message, { transient: true, cause: error });
      }
      throw translated instanceof Error ? translated : new DeliveryError(errorMessage(error));
    }
  }

  sendText(threadId: string, text: string, clientContext: string) {
    return this.call(async () => ({ itemId: (await this.client.sendText(threadId, text, clientContext)).itemId }));
  }

  sendPhoto(threadId: string, photo: Uint8Array, clientContext: string) {
    return this.call(async () => ({
      itemId: (await this.client.sendPhoto(threadId, Buffer.from(photo), clientContext)).itemId,
    }));
  }

  download(url: string): Promise<DownloadedMedia> {
    return this.call(async () => {
      const data = await this.client.downloadMedia(url);
      return { data: new Uint8Array(data), mime: null };
    });
  }
}

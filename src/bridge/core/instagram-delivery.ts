// Delivers one to_instagram outbox entry with the client_context kept on the entry, so a retry
// after a crash re-sends with the same idempotency key; then records the sent item for echo
// suppression and queues the ✓ for the owner's Telegram message. Sends go one at a time (the
// request gate sends one at a time anyway) so that an action block stops every send queued after it.
import type { OutboxEntry, Store } from '../../store/store.js';
import type { Clock } from '../../core/clock.js';
import { DeliveryError, type InstagramPort, type TelegramPort } from '../ports.js';
import { ActionBlockedError, InstagramSendPause } from './instagram-pause.js';
import { telegramMessageRef, type ToInstagramPayload, type ToTelegramPayload } from './payloads.js';
import { BridgeMeta } from './state-keys.js';

export interface InstagramDeliveryDeps {
  store: Store;
  instagram: InstagramPort;
  telegram: TelegramPort;
  clock: Clock;
}

export class InstagramDelivery {
  private readonly pause: InstagramSendPause;
  private sending: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: InstagramDeliveryDeps) {
    this.pause = new InstagramSendPause(deps.store, deps.clock);
  }

  deliver(entry: OutboxEntry): Promise<void> {
    const run = this.sending.then(() => this.deliverUnlessPaused(entry));
    this.sending = run.catch(() => undefined);
    return run;
  }

  private async deliverUnlessPaused(entry: OutboxEntry): Promise<void> {
    await this.pause.hold();
    try {
      await this.send(entry);
    } catch (error) {
      if (error instanceof ActionBlockedError) throw await this.pause.start(error);
      throw error;
    }
  }

  private async send(entry: OutboxEntry): Promise<void> {
    const payload = entry.payload as ToInstagramPayload;
    const clientContext = entry.clientContext;
    if (!clientContext) throw new DeliveryError('outbox entry has no client_context', { permanent: true });
    let itemId: string | null;
    if (payload.type === 'text') {
      ({ itemId } = await this.deps.instagram.sendText(payload.threadId, payload.text, clientContext));
    } else {
      itemId = await this.sendPhoto(payload, clientContext);
      if (payload.caption) {
        // Instagram photos carry no caption: the text follows as its own message.
        const captionContext = `${clientContext}1`;
        await this.deps.store.setMeta(BridgeMeta.sentContext(captionContext), payload.threadId);
        await this.deps.instagram.sendText(payload.threadId, payload.caption, captionContext);
        await this.deps.store.setMeta(BridgeMeta.photoSent(clientContext), null);
      }
    }
    const now = this.deps.clock.now();
    await this.deps.store.putMapping({
      telegramChatId: String(payload.tgChatId),
      telegramMessageId: payload.tgMessageId,
      threadId: payload.threadId,
      itemId,
      direction: 'to_instagram',
      createdAt: now,
    });
    await enqueueOutcome(this.deps.store, payload, true, null, now);
  }

  /** Sends the photo unless an earlier attempt did (its caption failed after); returns its item id. */
  private async sendPhoto(payload: ToInstagramPayload & { type: 'photo' }, clientContext: string) {
    const sent = BridgeMeta.photoSent(clientContext);
    const earlier = await this.deps.store.getMeta(sent);
    if (earlier !== null) return earlier === '' ? null : earlier;
    let photo: Uint8Array;
    try {
      photo = await this.deps.telegram.downloadFile(payload.fileId);
    } catch (error) {
      if (error instanceof DeliveryError) throw error;
      throw new DeliveryError(`cannot download the photo from Telegram: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const { itemId } = await this.deps.instagram.sendPhoto(payload.threadId, photo, clientContext);
    if (payload.caption) await this.deps.store.setMeta(sent, itemId ?? '');
    return itemId;
  }
}

/** Queues the ✓ (ok) or the ⚠ with a reason on the owner's Telegram message. */
export async function enqueueOutcome(
  store: Store,
  payload: ToInstagramPayload,
  ok: boolean,
  reason: string | null,
  now: number,
): Promise<void> {
  const outcome: ToTelegramPayload = {
    type: 'outcome',
    chatId: payload.tgChatId,
    messageId: payload.tgMessageId,
    ok,
    reason,
  };
  await store.enqueue(
    {
      direction: 'to_telegram',
      // One ✓ per message; one ⚠ per time it is given up on (after a /retry it can fail again).
      dedupeKey: `tgo:${telegramMessageRef(payload.tgChatId, payload.tgMessageId, payload.tgBotId)}:${ok ? 'ok' : `fail:${now}`}`,
      lane: `chat:${payload.tgChatId}`,
      payload: outcome,
    },
    now,
  );
}

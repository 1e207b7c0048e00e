// Instagram → outbox: every message stored since the last scan (by the store's sequence number) is
// considered in order and, when it should reach Telegram, enqueued on its thread's lane. The scan
// position advances only after the entries are enqueued; re-enqueueing is a no-op (dedupe keys),
// so a crash anywhere in here loses nothing and duplicates nothing.
import type { Message, Reaction } from '../../core/model.js';
import { StatusMeta } from '../../core/status-meta.js';
import type { Store } from '../../store/store.js';
import type { Clock } from '../../core/clock.js';
import type { BridgeOptionsPort } from './options.js';
import { telegramKey, threadLane, type ToTelegramPayload } from './payloads.js';
import { BridgeMeta } from './state-keys.js';

export interface ForwardResult {
  enqueued: number;
  skipped: number;
}

export class Forwarder {
  constructor(
    private readonly store: Store,
    private readonly options: BridgeOptionsPort,
    private readonly clock: Clock,
  ) {}

  /** On the very first run the bridge starts at the store's current position: history is not forwarded. */
  async initialise(): Promise<void> {
    if ((await this.store.getMeta(BridgeMeta.forwardSeq)) === null) {
      await this.store.setMeta(BridgeMeta.forwardSeq, String(await this.store.storeSeq()));
    }
  }

  async scan(): Promise<ForwardResult> {
    // The first sync of a never-synced store is history: the poll moves forward_seq past it.
    if ((await this.store.getMeta(BridgeMeta.historyBaseline)) === 'pending') return { enqueued: 0, skipped: 0 };
    const from = Number((await this.store.getMeta(BridgeMeta.forwardSeq)) ?? '0');
    // Read before streaming: anything stored meanwhile has a seq >= this and is seen again next time.
    const upTo = await this.store.storeSeq();
    const result: ForwardResult = { enqueued: 0, skipped: 0 };
    if (upTo <= from) return result;
    const batch: Message[] = [];
    for await (const message of this.store.streamMessages({ storedAfterSeq: from })) batch.push(message);
    // streamMessages orders by thread then time, which is the order each lane must deliver in.
    for (const message of batch) {
      const added = await this.consider(message);
      if (added) result.enqueued += added;
      else result.skipped += 1;
    }
    await this.store.setMeta(BridgeMeta.forwardSeq, String(upTo));
    return result;
  }

  private async consider(message: Message): Promise<number> {
    if (message.source !== 'api') return 0;
    if (await this.isMuted(message.threadId)) return 0;
    if (message.fromMe) {
      if (await this.isOwnEcho(message)) return 0;
      if (!this.options.get().mirrorOwn) return 0;
    }
    // Unsent before it was ever forwarded (history of the first sync, or unsent between two polls):
    // there is nothing in Telegram to mark, and a new "(message unsent)" would be noise.
    if (message.unsent && !(await this.wasForwarded(message))) return 0;
    const now = this.clock.now();
    const lane = threadLane(message.threadId);
    const base = { threadId: message.threadId, itemId: message.id };
    const main = await this.store.enqueue(
      {
        direction: 'to_telegram',
        dedupeKey: telegramKey(message.threadId, message.id),
        lane,
        payload: { type: 'message', ...base } satisfies ToTelegramPayload,
      },
      now,
    );
    let count = 1;
    const seenBefore = main.createdAt < now;
    if (message.unsent) {
      await this.store.enqueue(
        {
          direction: 'to_telegram',
          dedupeKey: telegramKey(message.threadId, message.id, 'unsend'),
          lane,
          payload: { type: 'unsend', ...base } satisfies ToTelegramPayload,
        },
        now,
      );
      count += 1;
    } else if (seenBefore && message.reactions.length > 0) {
      // A reaction added after the message was forwarded: one note per distinct set of reactions.
      // Without mirror_own, the owner's own reactions (made in the app) neither make nor change one.
      const reactions = this.options.get().mirrorOwn ? message.reactions : await this.othersReactions(message);
      if (reactions.length === 0) return count;
      const signature = reactions
        .map((r) => `${r.actorId ?? r.actor}=${r.emoji}`)
        .sort()
        .join(',');
      await this.store.enqueue(
        {
          direction: 'to_telegram',
          dedupeKey: telegramKey(message.threadId, message.id, `r:${shortHash(signature)}`),
          lane,
          payload: { type: 'reactions', ...base } satisfies ToTelegramPayload,
        },
        now,
      );
      count += 1;
    }
    return count;
  }

  private async isMuted(threadId: string): Promise<boolean> {
    return (await this.store.getMeta(BridgeMeta.muted(threadId))) !== null;
  }

  private async othersReactions(message: Message): Promise<Reaction[]> {
    const own = await this.store.getMeta(StatusMeta.instagramViewerId);
    return own === null ? message.reactions : message.reactions.filter((reaction) => reaction.actorId !== own);
  }

  /** Whether a copy of the message reached Telegram (a forward still on its way shows it unsent anyway). */
  private async wasForwarded(message: Message): Promise<boolean> {
    const mappings = await this.store.findMappingsByItem(message.threadId, message.id);
    return mappings.some((m) => m.direction === 'to_telegram');
  }

  /** A message the bridge itself sent, coming back from the inbox. */
  private async isOwnEcho(message: Message): Promise<boolean> {
    if (message.clientContext && (await this.store.getMeta(BridgeMeta.sentContext(message.clientContext))) !== null)
      return true;
    const mappings = await this.store.findMappingsByItem(message.threadId, message.id);
    return mappings.some((m) => m.direction === 'to_instagram');
  }
}

function shortHash(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0).toString(36);
}

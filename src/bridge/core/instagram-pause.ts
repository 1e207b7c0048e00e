// An action block (Instagram's feedback_required) is about the account, not one message: sending
// more only makes it worse. So every send to Instagram, in every thread, waits for hours. The pause
// is kept in the store (a restart keeps it; `/retry` and `igtg status` see it), the owner is told
// once when it starts, and the waiting entries stay pending, postponed as for a rate limit's wait
// (no attempt used up), so they go out in their order when it ends.
import { toIso } from '../../core/time.js';
import type { Clock } from '../../core/clock.js';
import type { EpochMs } from '../../core/model.js';
import type { Store } from '../../store/store.js';
import { DeliveryError } from '../ports.js';
import type { ToTelegramPayload } from './payloads.js';

/** How long sends to Instagram wait after an action block; Instagram lifts most within a few hours. */
export const ACTION_BLOCK_PAUSE_MS = 6 * 60 * 60_000;

/** Meta key: JSON InstagramPause while sends to Instagram are paused. */
export const INSTAGRAM_PAUSE_META = 'bridge.instagram_pause';

/** Instagram refused a send with an action block (feedback_required). */
export class ActionBlockedError extends DeliveryError {
  constructor(message: string, cause?: unknown) {
    // A wait, not a failure of the message: even where no pause is kept, the entry is held, not given up.
    super(message, { retryAfterMs: ACTION_BLOCK_PAUSE_MS, cause });
  }
}

export interface InstagramPause {
  since: EpochMs;
  until: EpochMs;
  reason: string;
}

/** The pause in force at `now`, if any. */
export async function readInstagramPause(store: Store, now: EpochMs): Promise<InstagramPause | null> {
  const text = await store.getMeta(INSTAGRAM_PAUSE_META);
  if (!text) return null;
  try {
    const pause = JSON.parse(text) as InstagramPause;
    return typeof pause?.until === 'number' && pause.until > now ? pause : null;
  } catch {
    return null;
  }
}

/**
 * Ends a pause early (the owner's `/retry`): what waited for it is due now, in its order.
 * Returns whether a pause was in force.
 */
export async function endInstagramPause(store: Store, now: EpochMs): Promise<boolean> {
  const pause = await readInstagramPause(store, now);
  await store.setMeta(INSTAGRAM_PAUSE_META, null);
  if (!pause) return false;
  await store.wakeOutbox('to_instagram', now);
  return true;
}

/** The status line of a pause (for `/status` and `igtg status`), null when none is in force. */
export function instagramPauseLine(pause: InstagramPause | null): string | null {
  if (!pause) return null;
  return `Sending to Instagram: paused after an action block until ${toIso(pause.until)} (/retry sends now)`;
}

/** Holds sends while a pause is in force, and starts one on an action block. */
export class InstagramSendPause {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** Throws the wait when sends are paused. */
  async hold(): Promise<void> {
    const now = this.clock.now();
    const pause = await readInstagramPause(this.store, now);
    if (pause) throw waitFor(pause, now);
  }

  /** Starts the pause (telling the owner) unless one is in force; returns the wait for the blocked entry. */
  async start(blocked: ActionBlockedError): Promise<DeliveryError> {
    const now = this.clock.now();
    const current = await readInstagramPause(this.store, now);
    if (current) return waitFor(current, now);
    const pause: InstagramPause = { since: now, until: now + ACTION_BLOCK_PAUSE_MS, reason: blocked.message };
    await this.store.setMeta(INSTAGRAM_PAUSE_META, JSON.stringify(pause));
    const notice: ToTelegramPayload = {
      type: 'notice',
      text:
        `⏸ Instagram blocked sending (an action block). To protect the account, replies to Instagram wait ` +
        `until ${toIso(pause.until)} and then go out in order; check the Instagram app meanwhile. /retry sends them now.`,
    };
    await this.store.enqueue(
      { direction: 'to_telegram', dedupeKey: `notice:instagram-pause:${now}`, lane: 'notice', payload: notice },
      now,
    );
    return waitFor(pause, now);
  }
}

function waitFor(pause: InstagramPause, now: EpochMs): DeliveryError {
  return new DeliveryError(`sends to Instagram paused until ${toIso(pause.until)}: ${pause.reason}`, {
    retryAfterMs: pause.until - now,
  });
}

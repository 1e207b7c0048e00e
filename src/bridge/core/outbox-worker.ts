// Drains one direction of the outbox: claims due entries (at most one per lane, so each thread's
// messages stay in order while threads proceed independently), delivers them concurrently, acks
// successes and schedules failures with backoff, dead-lettering after the configured attempts. A wait
// the service asks for (retry_after), or an outage (no answer, 5xx), postpones an entry without using
// up an attempt: only failures of the message itself count towards its dead letter.
import type { OutboxDirection, OutboxEntry, Store } from '../../store/store.js';
import { errorMessage } from '../../core/errors.js';
import type { Clock, Random } from '../../core/clock.js';
import { DeliveryError } from '../ports.js';
import { backoffDelay, type BackoffOptions, DEFAULT_BACKOFF } from './backoff.js';

export interface WorkerLog {
  warn(fields: Record<string, unknown>, message: string): void;
  debug(fields: Record<string, unknown>, message: string): void;
}

export interface OutboxWorkerOptions {
  store: Store;
  direction: OutboxDirection;
  deliver: (entry: OutboxEntry) => Promise<void>;
  clock: Clock;
  random: Random;
  maxAttempts: () => number;
  log: WorkerLog;
  leaseMs?: number;
  batch?: number;
  backoff?: BackoffOptions;
  onDelivered?: (entry: OutboxEntry) => void;
  onDeadLetter?: (entry: OutboxEntry) => Promise<void>;
}

/** The longest wait between tries while a service is out: delivery resumes soon after it is back. */
export const OUTAGE_MAX_WAIT_MS = 2 * 60_000;

export class OutboxWorker {
  private readonly leaseMs: number;
  private readonly batch: number;
  /** Outage failures since the last delivery: an outage's waits grow with it, whatever the entry. */
  private outageStreak = 0;

  constructor(private readonly options: OutboxWorkerOptions) {
    this.leaseMs = options.leaseMs ?? 60_000;
    this.batch = options.batch ?? 8;
  }

  /** Claims and delivers one round of due entries; returns how many were attempted. */
  async runOnce(signal?: AbortSignal): Promise<number> {
    const { store, direction, clock } = this.options;
    const claimed = await store.claimDue(direction, clock.now(), this.batch, this.leaseMs);
    await Promise.all(claimed.map((entry) => this.attempt(entry, signal)));
    return claimed.length;
  }

  /** Runs rounds until nothing is due. */
  async drain(signal?: AbortSignal): Promise<number> {
    let total = 0;
    while (!signal?.aborted) {
      const count = await this.runOnce(signal);
      total += count;
      if (count === 0) break;
    }
    return total;
  }

  private async attempt(entry: OutboxEntry, signal?: AbortSignal): Promise<void> {
    const { store, clock, random, log } = this.options;
    try {
      await this.options.deliver(entry);
      this.outageStreak = 0;
      await store.ack(entry.id);
      this.options.onDelivered?.(entry);
    } catch (error) {
      if (signal?.aborted && error === signal.reason) {
        // Cut short by a stop while it waited (a flood limit): due again at the next start, no attempt used.
        await store.postpone(entry.id, 'stopped while waiting', clock.now());
        return;
      }
      const delivery = error instanceof DeliveryError ? error : null;
      const reason = errorMessage(error).slice(0, 300);
      const backoff = this.options.backoff ?? DEFAULT_BACKOFF;
      if (delivery?.retryAfterMs != null || delivery?.transient) {
        // The service asked to wait (a rate limit, a chat closed to the bot for now) or is out: not the
        // entry's fault, so waiting uses up none of its attempts, however long it goes on.
        const delay =
          delivery.retryAfterMs != null
            ? backoffDelay(1, random, delivery.retryAfterMs, backoff)
            : backoffDelay(++this.outageStreak, random, null, {
                baseMs: backoff.baseMs,
                maxMs: Math.min(backoff.maxMs, OUTAGE_MAX_WAIT_MS),
              });
        await store.postpone(entry.id, reason, clock.now() + delay);
        log.warn({ outboxId: entry.id, lane: entry.lane, retryInMs: delay, error: reason }, 'delivery postponed');
        return;
      }
      const maxAttempts = delivery?.permanent ? entry.attempts + 1 : this.options.maxAttempts();
      const delay = backoffDelay(entry.attempts + 1, random, null, backoff);
      const updated = await store.fail(entry.id, reason, clock.now() + delay, maxAttempts);
      log.warn(
        {
          outboxId: entry.id,
          lane: entry.lane,
          attempts: updated.attempts,
          deadLettered: updated.deadLettered,
          retryInMs: delay,
          error: reason,
        },
        'delivery failed',
      );
      if (updated.deadLettered) await this.options.onDeadLetter?.(updated);
    }
  }
}

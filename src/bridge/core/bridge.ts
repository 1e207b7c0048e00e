// The bridge core: wires the forwarder, both outbox workers and the update handler to the ports,
// and runs the three loops (Instagram polling, Telegram updates, outbox delivery). It knows only
// igtg's model, the store and the outbox; both networks are behind ports.
import { StoreError, errorMessage } from '../../core/errors.js';
import type { OutboxEntry, Store } from '../../store/store.js';
import type { Clock, Random } from '../../core/clock.js';
import { DeliveryError, type InstagramPort, SessionExpiredError, type TelegramPort, type TgUpdate } from '../ports.js';
import { withFloodWaitLimits } from '../../telegram/paced-client.js';
import { Forwarder } from './forwarder.js';
import { enqueueOutcome, InstagramDelivery } from './instagram-delivery.js';
import { ActionBlockedError } from './instagram-pause.js';
import type { BridgeOptionsPort } from './options.js';
import { OutboxWorker } from './outbox-worker.js';
import type { ToInstagramPayload, ToTelegramPayload } from './payloads.js';
import { PollSchedule } from './poll-schedule.js';
import { BridgeMeta } from './state-keys.js';
import { TelegramDelivery } from './telegram-delivery.js';
import { UpdateHandler } from './update-handler.js';

export interface BridgeLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
  debug(fields: Record<string, unknown>, message: string): void;
}

export const silentLog: BridgeLog = { info() {}, warn() {}, error() {}, debug() {} };

export interface BridgeDeps {
  /** The bot's id (getMe), when known. */
  botId?: number;
  /** The bot's username (getMe), when known: commands addressed to other bots are ignored. */
  botUsername?: string;
  store: Store;
  instagram: InstagramPort;
  telegram: TelegramPort;
  options: BridgeOptionsPort;
  clock: Clock;
  random: Random;
  log?: BridgeLog;
  /** Outbox lease; a crashed bridge's claimed entries are retried after it. */
  leaseMs?: number;
  /** getUpdates long-poll timeout in seconds. */
  telegramTimeoutSec?: number;
  /** Persistent poll failures are reported to the owner after this long. */
  pollFailureNoticeMs?: number;
  /**
   * False while another receiver (realtime) delivers: timed polls then only scan the store; a
   * requested sync (start-up, reconnect, /sync) still polls. Default: always poll.
   */
  shouldPoll?: () => boolean;
  /** The command that logs this bridge's profile in, for notices (`igtg login` by default). */
  loginCommand?: string;
}

/**
 * How often an update the store cannot take is fetched again (after the Telegram loop's back-off,
 * about 2 minutes in all) before it is given up, logged, so that the updates after it are handled.
 */
const MAX_STORE_RETRIES = 6;

export class Bridge {
  /** The last update the store failed on, and how many times. */
  private failedUpdate: { id: number; count: number } | null = null;
  readonly forwarder: Forwarder;
  readonly toTelegram: OutboxWorker;
  readonly toInstagram: OutboxWorker;
  readonly updates: UpdateHandler;
  readonly schedule: PollSchedule;
  readonly startedAt: number;
  private readonly log: BridgeLog;
  private wakePoll: AbortController = new AbortController();
  /** Callers of requestSync() waiting for a poll begun after their request to finish. */
  private pollWaiters: Array<() => void> = [];
  private wakeDelivery: AbortController = new AbortController();
  private failingSince: number | null = null;
  private updatesTakenNoticeSent = false;
  /** Polls wait until then after Instagram asked to slow down (0: they need not). */
  private pollsHeldUntil = 0;
  private sessionNoticeSent = false;
  private pollFailureNoticeSent = false;
  /** The last poll failed: a requested one (a reconcile after a reconnect) is then tried again. */
  private lastPollFailed = false;
  private scanning: Promise<unknown> = Promise.resolve();
  private firstPollSettled!: () => void;
  /** Settles after the first poll attempt (successful or not). */
  readonly firstPoll = new Promise<void>((resolve) => (this.firstPollSettled = resolve));

  constructor(private readonly deps: BridgeDeps) {
    const { store, clock, random, options } = deps;
    this.log = deps.log ?? silentLog;
    this.startedAt = clock.now();
    this.schedule = new PollSchedule(random, clock.now());
    this.forwarder = new Forwarder(store, options, clock);
    const telegramDelivery = new TelegramDelivery(deps);
    const instagramDelivery = new InstagramDelivery(deps);
    const common = {
      store,
      clock,
      random,
      log: this.log,
      maxAttempts: () => options.get().maxAttempts,
      leaseMs: deps.leaseMs ?? 60_000,
    };
    this.toTelegram = new OutboxWorker({
      ...common,
      direction: 'to_telegram',
      deliver: (entry) => telegramDelivery.deliver(entry),
      onDeadLetter: async (entry) =>
        this.log.error(
          { outboxId: entry.id, lane: entry.lane, error: entry.lastError },
          'Telegram delivery dead-lettered',
        ),
    });
    this.toInstagram = new OutboxWorker({
      ...common,
      direction: 'to_instagram',
      deliver: (entry) => instagramDelivery.deliver(entry),
      onDeadLetter: (entry) => this.instagramDeadLetter(entry),
    });
    this.updates = new UpdateHandler({
      ...deps,
      log: this.log,
      controls: { requestSync: () => this.requestSync(), startedAt: this.startedAt },
      onActivity: () => {
        this.schedule.activity(clock.now());
        this.kickDelivery();
      },
    });
  }

  async initialise(): Promise<void> {
    // One bridge per store (the profile lock): leases still running were taken by a predecessor that
    // was killed mid-delivery. Freed, its entries go out now rather than when the leases run out.
    const freed = await this.deps.store.releaseLeases(this.deps.clock.now());
    if (freed > 0) this.log.info({ entries: freed }, 'resuming deliveries a stopped bridge left in flight');
    await this.forwarder.initialise();
    await this.deps.store.setMeta(BridgeMeta.startedAt, String(this.startedAt));
  }

  /** Asks for a poll now; settles when a poll begun after this call has finished (or failed). */
  requestSync(): Promise<void> {
    this.schedule.activity(this.deps.clock.now());
    const done = new Promise<void>((resolve) => this.pollWaiters.push(resolve));
    this.wakePoll.abort();
    return done;
  }

  kickDelivery(): void {
    this.wakeDelivery.abort();
  }

  /** One Instagram poll followed by a forwarding scan. Returns the number of entries enqueued. */
  async pollOnce(signal?: AbortSignal): Promise<number> {
    const { instagram, store, clock } = this.deps;
    try {
      const result = await instagram.poll(signal);
      this.schedule.recordRequests(clock.now(), result.requests);
      await store.setMeta(BridgeMeta.lastPollAt, String(clock.now()));
      await store.setMeta(BridgeMeta.lastPollError, null);
      this.failingSince = null;
      this.pollFailureNoticeSent = false;
      this.sessionNoticeSent = false;
      if (result.addedMessageIds.length > 0) this.schedule.activity(clock.now());
      this.lastPollFailed = false;
    } catch (error) {
      this.lastPollFailed = true;
      await this.pollFailed(error);
    }
    // Scan even after a failed poll: realtime or an earlier partial poll may have stored items.
    return this.forward();
  }

  /** Enqueues what was stored since the last scan (one scan at a time) and wakes delivery. */
  forward(): Promise<number> {
    const run = this.scanning.then(async () => {
      const { enqueued } = await this.forwarder.scan();
      if (enqueued > 0) this.kickDelivery();
      return enqueued;
    });
    this.scanning = run.catch(() => undefined);
    return run;
  }

  private async pollFailed(error: unknown): Promise<void> {
    const { store, clock } = this.deps;
    const now = clock.now();
    this.schedule.recordRequests(now, 1);
    await store.setMeta(BridgeMeta.lastPollError, errorMessage(error).slice(0, 200));
    if (error instanceof SessionExpiredError || this.deps.instagram.sessionState() === 'logged_out') {
      if (!this.sessionNoticeSent) {
        const login = this.deps.loginCommand ?? 'igtg login';
        this.log.warn({}, `no valid Instagram session (run ${login}); waiting for it`);
        this.sessionNoticeSent = true;
        // Never logged in (no session stored) is not the same news as a session Instagram ended.
        const what = errorMessage(error).startsWith('not logged in')
          ? 'This bridge is not logged in to Instagram.'
          : 'Instagram logged this bridge out.';
        await this.notice(
          `session:${now}`,
          `⚠ ${what} Run \`${login}\` on the server; Telegram commands keep working meanwhile.`,
        );
      }
      return;
    }
    if (this.deps.instagram.sessionState() === 'needs_code') {
      if (!this.sessionNoticeSent) {
        this.sessionNoticeSent = true;
        await this.notice(`code:${now}`, '🔐 Instagram asks for a security code. Send it here as /code 123456.');
      }
      return;
    }
    this.failingSince ??= now;
    // (An action block is about sending: it pauses sends for hours, not reading.)
    if (error instanceof DeliveryError && error.retryAfterMs !== null && !(error instanceof ActionBlockedError)) {
      // Instagram asks to slow down: polls wait (sends wait in the outbox, lane by lane).
      this.pollsHeldUntil = now + error.retryAfterMs;
      this.log.warn(
        { error: errorMessage(error), retryInMs: error.retryAfterMs },
        'Instagram asks to slow down; polls wait',
      );
    } else this.log.warn({ error: errorMessage(error) }, 'Instagram poll failed');
    // Transient errors are held back; only a problem that persists is reported (once).
    if (!this.pollFailureNoticeSent && now - this.failingSince >= (this.deps.pollFailureNoticeMs ?? 15 * 60_000)) {
      this.pollFailureNoticeSent = true;
      await this.notice(
        `pollfail:${this.failingSince}`,
        `⚠ Instagram has been unreachable for a while: ${errorMessage(error).slice(0, 200)}`,
      );
    }
  }

  private async notice(key: string, text: string): Promise<void> {
    const payload: ToTelegramPayload = { type: 'notice', text };
    await this.deps.store.enqueue(
      { direction: 'to_telegram', dedupeKey: `notice:${key}`, lane: 'notice', payload },
      this.deps.clock.now(),
    );
    this.kickDelivery();
  }

  private async instagramDeadLetter(entry: OutboxEntry): Promise<void> {
    this.log.error(
      { outboxId: entry.id, lane: entry.lane, error: entry.lastError },
      'Instagram delivery dead-lettered',
    );
    await enqueueOutcome(
      this.deps.store,
      entry.payload as ToInstagramPayload,
      false,
      `${entry.lastError ?? 'failed'} (/retry to try again)`,
      this.deps.clock.now(),
    );
    this.kickDelivery();
  }

  /** Handles a batch of updates in order, confirming each only after its effects are stored. */
  async handleUpdates(updates: TgUpdate[], signal?: AbortSignal): Promise<void> {
    const sorted = [...updates].sort((a, b) => a.update_id - b.update_id);
    for (const update of sorted) {
      const offset = await this.telegramOffset();
      if (update.update_id < offset) continue; // Already handled before a restart.
      const storeErrorRetried = this.storeFailuresSoFar(update.update_id) < MAX_STORE_RETRIES;
      try {
        await this.updates.handle(update, { stopping: signal, storeErrorRetried });
      } catch (error) {
        // Cut short by a stop (waiting out a flood limit): not confirmed, so handled again at the
        // next start (enqueues are idempotent, a command's answer is sent then).
        if (signal?.aborted) return;
        // The store could not take the update's effects (locked past its timeout, disk full, a
        // database failover): not confirmed, so it is fetched and handled again after the loop's
        // back-off. Moving on would lose an owner's reply for good.
        if (error instanceof StoreError && this.storeFailures(update.update_id) <= MAX_STORE_RETRIES) throw error;
        // A failing command (or an update the store refused again and again) must not wedge the queue:
        // log it and move on (message sends are in the outbox).
        this.log.warn({ updateId: update.update_id, error: errorMessage(error) }, 'Telegram update failed');
      }
      await this.deps.store.setMeta(BridgeMeta.telegramOffset, String(update.update_id + 1));
    }
  }

  /** Counts the store failures of one update: one that fails every time must not stop all that follow. */
  private storeFailures(updateId: number): number {
    const count = this.storeFailuresSoFar(updateId) + 1;
    this.failedUpdate = { id: updateId, count };
    return count;
  }

  private storeFailuresSoFar(updateId: number): number {
    return this.failedUpdate?.id === updateId ? this.failedUpdate.count : 0;
  }

  async telegramOffset(): Promise<number> {
    return Number((await this.deps.store.getMeta(BridgeMeta.telegramOffset)) ?? '0');
  }

  /** One long-poll for Telegram updates and their handling. */
  async telegramOnce(signal?: AbortSignal): Promise<number> {
    const updates = await this.deps.telegram.getUpdates(
      await this.telegramOffset(),
      this.deps.telegramTimeoutSec ?? 25,
      signal,
    );
    if (signal?.aborted) return 0; // Not handled: they come again after a restart.
    await this.handleUpdates(updates, signal);
    return updates.length;
  }

  /** Delivers everything due in both directions. */
  async deliverOnce(signal?: AbortSignal): Promise<number> {
    // Instagram first: its outcomes (✓/⚠) then go out to Telegram in the same round.
    const a = await this.toInstagram.drain(signal);
    const { ownerId, forumChatId } = this.deps.options.get();
    // A stop ends a wait for a chat's flood limit (the entry stays due, see OutboxWorker.attempt).
    const b =
      ownerId !== null || forumChatId !== null
        ? await withFloodWaitLimits({ signal }, () => this.toTelegram.drain(signal))
        : 0;
    return a + b;
  }

  // --- loops: each ends when the signal aborts, after finishing the step in progress ---

  async runPollLoop(signal: AbortSignal): Promise<void> {
    const { clock, options } = this.deps;
    let requested = true; // Start-up reconciles.
    while (!signal.aborted) {
      this.wakePoll = new AbortController();
      const wake = this.wakePoll.signal;
      // Requests made from here on wait for the next poll: this one may be past their thread already.
      const waiting = this.pollWaiters.splice(0);
      // Held after a rate limit: not even a requested poll goes before the wait is over.
      const held = this.pollsHeldUntil - clock.now();
      if (held > 0) await clock.sleep(held, signal);
      if (signal.aborted) {
        for (const settle of waiting) settle();
        break;
      }
      try {
        if (requested || (this.deps.shouldPoll?.() ?? true)) await this.pollOnce(signal);
        else await this.forward();
      } catch (error) {
        this.log.error({ error: errorMessage(error) }, 'poll step failed');
      }
      for (const settle of waiting) settle();
      this.firstPollSettled();
      // A sync requested while this poll ran (a reconnect, /sync) happens right away.
      const delay = wake.aborted ? 0 : this.schedule.nextDelay(clock.now(), options.get().pollIntervalSec);
      this.log.debug({ delayMs: delay }, 'next Instagram poll');
      await clock.sleep(delay, AbortSignal.any([signal, wake]));
      // A requested poll that failed stays requested: while realtime is up nothing else would poll,
      // and what arrived during the gap before the reconnect would wait for the next one.
      requested = wake.aborted || (requested && this.lastPollFailed);
    }
    for (const settle of this.pollWaiters.splice(0)) settle();
    this.firstPollSettled();
  }

  async runTelegramLoop(signal: AbortSignal): Promise<void> {
    let failures = 0;
    let conflicts = 0;
    while (!signal.aborted) {
      try {
        await this.telegramOnce(signal);
        failures = 0;
        conflicts = 0;
      } catch (error) {
        if (signal.aborted) break;
        failures += 1;
        // 409: another getUpdates of this bot ended this one. Once could be a predecessor's last long
        // poll; again and again is another program on the same token, which takes the owner's replies.
        conflicts = error instanceof DeliveryError && error.code === 409 ? conflicts + 1 : 0;
        if (conflicts >= 2) await this.updatesTaken(error);
        const delay = Math.min(60_000, 1000 * 2 ** Math.min(failures, 6));
        this.log.warn({ error: errorMessage(error), retryInMs: delay }, 'Telegram getUpdates failed');
        await this.deps.clock.sleep(delay, signal);
      }
    }
  }

  private async updatesTaken(error: unknown): Promise<void> {
    if (this.updatesTakenNoticeSent) return;
    this.updatesTakenNoticeSent = true;
    this.log.error(
      { error: errorMessage(error) },
      "another program reads this bot's updates (another igtg bridge with the same bot token?): replies may reach it instead",
    );
    await this.notice(
      `conflict:${this.deps.clock.now()}`,
      "⚠ Another program is reading this bot's updates (another igtg bridge with the same bot token?), so your " +
        'replies may reach it instead of this bridge. Give each igtg profile its own bot, or stop the other one.',
    );
  }

  async runDeliveryLoop(signal: AbortSignal, idleMs = 1000): Promise<void> {
    while (!signal.aborted) {
      this.wakeDelivery = new AbortController();
      try {
        await this.deliverOnce(signal);
      } catch (error) {
        this.log.error({ error: errorMessage(error) }, 'delivery step failed');
      }
      await this.deps.clock.sleep(idleMs, AbortSignal.any([signal, this.wakeDelivery.signal]));
    }
  }
}

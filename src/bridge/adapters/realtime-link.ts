// Realtime for the bridge (issue 7): the RealtimeReceiver's events go through the store like sync's
// (store.write is idempotent by item id, so an item seen here and by reconciliation is stored and
// forwarded once; after a (re)connect, pushed items wait for the reconciliation, so a message of the
// gap is not forwarded after a newer one); reactions and unsends update the stored message, which the forwarder mirrors
// (a note / an edit). Every (re)connect asks the bridge for a reconciling sync; while the link is
// down the bridge polls as before. The link's state is kept in the store for /status and
// `igtg status` (BridgeMeta.realtime, see core/realtime-status.ts). Senders and reactors are named
// from the store (known-users.ts), which polls keep adding to.
import { errorMessage } from '../../core/errors.js';
import type { Message, Reaction, User } from '../../core/model.js';
import type { RealtimeReceiverPort, RealtimeReaction, RealtimeRemoval, RealtimeState } from '../../realtime/port.js';
import type { Store } from '../../store/store.js';
import type { BridgeLog } from '../core/bridge.js';
import type { RealtimeStatus } from '../core/realtime-status.js';
import { BridgeMeta } from '../core/state-keys.js';
import { keepStoredMediaPaths } from '../../media/keep-stored-paths.js';
import { KnownUsers } from './known-users.js';

export interface RealtimeLinkDeps {
  store: Store;
  receiver: RealtimeReceiverPort;
  /** The serialized session, read again before every (re)connect. */
  session: () => Promise<string | null>;
  /** Stored items are enqueued for Telegram (the bridge's serialized forwarder scan). */
  forward: () => Promise<unknown>;
  /** A reconciling sync: at start-up and after every (re)connect; settles when it has run. */
  reconcile: () => void | Promise<void>;
  log: BridgeLog;
  now?: () => number;
}

/** The longest pushed items wait for a reconnect's reconciliation (Instagram may be slow or out). */
export const RECONCILE_WAIT_MS = 60_000;

function sameReactor(a: Reaction, b: Reaction): boolean {
  return a.actorId !== null && b.actorId !== null ? a.actorId === b.actorId : a.actor === b.actor;
}

export class RealtimeLink {
  private state: RealtimeState | null = null;
  private readonly users: KnownUsers;
  private readonly now: () => number;
  private stopped = false;
  /**
   * Settles when the reconciliation asked for at the last (re)connect has run. Items pushed before
   * then wait for it: stored at once, they would be forwarded before the older ones the gap held,
   * which only the reconciliation brings.
   */
  private reconciled: Promise<void> = Promise.resolve();

  constructor(private readonly deps: RealtimeLinkDeps) {
    this.now = deps.now ?? Date.now;
    this.users = new KnownUsers(deps.store, deps.log, this.now);
  }

  /** Known users by id, for sender names of realtime items. */
  usersOf = (): ReadonlyMap<string, User> => this.users.map();

  /** True while realtime delivers (the bridge then only reconciles instead of polling). */
  connected(): boolean {
    return this.deps.receiver.state().connected;
  }

  async start(): Promise<void> {
    await this.users.refresh();
    if (this.stopped) return;
    this.deps.receiver.start(this.deps.session, {
      onItem: (message) => this.onItem(message),
      onReaction: (event) => this.onReaction(event),
      onRemoval: (event) => this.onRemoval(event),
      onState: (state) => this.onState(state),
      onError: (error) => this.deps.log.warn({ error: errorMessage(error) }, 'realtime event not handled'),
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.deps.receiver.stop();
    await this.saveStatus().catch(() => undefined);
  }

  private async onItem(pushed: Message): Promise<void> {
    const { store } = this.deps;
    await this.reconciled;
    if (!(await store.getThread(pushed.threadId))) {
      // A thread the store does not know yet: reconciliation stores it with its title and users.
      this.deps.reconcile();
      return;
    }
    const message = await this.users.named(pushed, () => store.getMessage(pushed.threadId, pushed.id));
    await keepStoredMediaPaths(store, [message]); // An edit ('replace') keeps the files kept.
    await store.write({ messages: [message] });
    await this.deps.forward();
  }

  private async onReaction(event: RealtimeReaction): Promise<void> {
    const stored = await this.deps.store.getMessage(event.threadId, event.itemId);
    if (!stored) return;
    const reaction = await this.users.namedReaction(event.reaction);
    const others = stored.reactions.filter((r) => !sameReactor(r, reaction));
    const reactions = event.removed ? others : [...others, reaction];
    await this.deps.store.write({ messages: [{ ...stored, reactions }] });
    await this.deps.forward();
  }

  private async onRemoval(event: RealtimeRemoval): Promise<void> {
    const stored = await this.deps.store.getMessage(event.threadId, event.itemId);
    if (!stored || stored.unsent) return;
    await this.deps.store.write({ messages: [{ ...stored, unsent: true }] });
    await this.deps.forward();
  }

  private onState(state: RealtimeState): void {
    const was = this.state;
    this.state = state;
    if (state.connected && !was?.connected) {
      this.deps.log.info({ reconnects: state.reconnects }, 'realtime connected; reconciling recent threads');
      this.reconciled = settledWithin(this.deps.reconcile(), RECONCILE_WAIT_MS);
      void this.users.refresh();
    } else if (!state.connected && was?.connected) {
      this.deps.log.warn({ error: state.lastError }, 'realtime link lost; polling until it is back');
    } else if (!state.connected && state.lastError && state.lastError !== was?.lastError) {
      this.deps.log.warn({ error: state.lastError }, 'realtime connection failed; polling');
    }
    void this.saveStatus().catch((error: unknown) =>
      this.deps.log.warn({ error: errorMessage(error) }, 'cannot store the realtime state'),
    );
  }

  status(): RealtimeStatus {
    const state = this.deps.receiver.state();
    return {
      enabled: true,
      connected: state.connected,
      connected_since: state.connectedSince,
      reconnects: state.reconnects,
      last_event_at: state.lastEventAt,
      polling: state.polling,
      last_error: state.lastError,
      updated_at: this.now(),
    };
  }

  /** Writes the state for /status and `igtg status` (also called with the heartbeat). */
  async saveStatus(): Promise<void> {
    await this.deps.store.setMeta(BridgeMeta.realtime, JSON.stringify(this.status()));
  }
}

/** Settles when `work` does or after `ms`, whichever comes first; never rejects. */
function settledWithin(work: void | Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  return Promise.race([Promise.resolve(work).catch(() => undefined), late]).finally(() => clearTimeout(timer));
}

/** What the bridge stores when realtime is off (--no-realtime, bridge.realtime false). */
export function realtimeOffStatus(now: number): RealtimeStatus {
  return {
    enabled: false,
    connected: false,
    connected_since: null,
    reconnects: 0,
    last_event_at: null,
    polling: true,
    last_error: null,
    updated_at: now,
  };
}

// RealtimeReceiver: Instagram DMs pushed over MQTT (instagram_mqtt), in igtg's terms.
//
// Public API (for the bridge):
//
//   const receiver = new RealtimeReceiver({
//     fetchIrisSnapshot,            // () => Promise<{seqId, snapshotAtMs}> from a fresh inbox request
//                                   //   (irisSnapshotFromInbox(rawInboxBody) reads it); called before EVERY (re)connect
//     env: process.env,             // IGTG_INSTAGRAM_REALTIME_URL (default edge-mqtt.facebook.com:443)
//     apiUrl,                       // IGTG_INSTAGRAM_API_URL the session's cookies belong to (optional)
//     usersOf: (threadId) => Map,   // known users, for sender names (optional)
//     watchdogMs: 90_000,           // reconnect when nothing (message, pong, ack) arrived for this long
//     connectTimeoutMs: 20_000, backoffBaseMs: 2_000, backoffMaxMs: 300_000,
//   });
//   receiver.start(session, {       // session: serialized session string, or () => Promise<string|null>
//     onItem(message, op),          // model Message (op 'add' new, 'replace' changed) → same store path as sync
//     onReaction({threadId, itemId, removed, reaction}),
//     onRemoval({threadId, itemId}),// unsent/deleted
//     onState(state),               // {connected, connectedSince, reconnects, lastEventAt, polling, lastError}
//     onError(error),               // a handler threw / unreadable payload; receiving goes on
//   });
//   receiver.state();               // the same state, any time (for /status)
//   await receiver.stop();          // closes the link and every timer
//
// Contract: `onState` fires at start (polling: true) and on every connect/drop/failure. While
// `polling` is true the bridge polls Instagram; every transition to `connected: true` is a
// (re)connect after which the bridge reconciles recent threads (a message may have arrived in
// the gap). Handlers run one at a time in arrival order; an item can also arrive through
// reconciliation, so the store path must be idempotent by item id.
//
// igtg owns the connection's life: the library's auto-reconnect is off; each attempt takes a
// fresh iris snapshot, connects, subscribes; a watchdog ends a silent (half-open) link; connects
// that are refused or never settle time out; failures back off exponentially with jitter. The
// library's known unhandled rejection is avoided at the source (connection.ts) and a scoped
// guard (rejection-guard.ts) swallows any other rejection coming from instagram_mqtt/mqtts.
import type { User } from '../core/model.js';
import { backoffDelay } from './backoff.js';
import { openConnection, RealtimeConnectError, TOPIC, type RealtimeConnection } from './connection.js';
import { decodeSyncPayload, eventsOfSync, type PatchEvent } from './map-patch.js';
import type { IrisSnapshot, RealtimeHandlers, RealtimeReceiverPort, RealtimeSession, RealtimeState } from './port.js';
import { guardRealtimeRejections } from './rejection-guard.js';
import { realtimeTargetFromEnv, type RealtimeTarget } from './realtime-url.js';
import { Watchdog } from './watchdog.js';

export interface RealtimeReceiverOptions {
  fetchIrisSnapshot(): Promise<IrisSnapshot>;
  /** Where to connect; default from `env` (IGTG_INSTAGRAM_REALTIME_URL). */
  target?: RealtimeTarget;
  env?: NodeJS.ProcessEnv;
  /** Extra trusted CA (PEM) besides the system roots; NODE_EXTRA_CA_CERTS works as usual too. */
  extraCa?: string | Buffer | null;
  apiUrl?: string;
  appVersion?: string;
  usersOf?(threadId: string): ReadonlyMap<string, User>;
  /** Default 90 s. */
  watchdogMs?: number;
  /** Default min(19.5 s, watchdogMs / 3). */
  pingIntervalMs?: number;
  /** Default 20 s. */
  connectTimeoutMs?: number;
  irisAnswerTimeoutMs?: number;
  /** A link up this long counts as good when it drops: the back-off starts over (default watchdogMs). */
  stableLinkMs?: number;
  /** First retry delay; doubles per failure up to backoffMaxMs (defaults 2 s, 5 min). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  random?: () => number;
}

const NO_USERS: ReadonlyMap<string, User> = new Map();

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function initialState(): RealtimeState {
  return { connected: false, connectedSince: null, reconnects: 0, lastEventAt: null, polling: true, lastError: null };
}

export class RealtimeReceiver implements RealtimeReceiverPort {
  private current: RealtimeState = initialState();
  private running = false;
  private handlers: RealtimeHandlers | null = null;
  private session: RealtimeSession = '';
  private connection: RealtimeConnection | null = null;
  private watchdog: Watchdog | null = null;
  private viewer: { id: string | null; name: string | null } = { id: null, name: null };
  private loopDone: Promise<void> = Promise.resolve();
  private queue: Promise<void> = Promise.resolve();
  private wake: (() => void) | null = null;
  private releaseGuard: (() => void) | null = null;
  private abort: AbortController | null = null;

  constructor(private readonly options: RealtimeReceiverOptions) {}

  state(): RealtimeState {
    return { ...this.current };
  }

  start(session: RealtimeSession, handlers: RealtimeHandlers): void {
    if (this.running) throw new Error('the realtime receiver is already running');
    this.running = true;
    this.session = session;
    this.handlers = handlers;
    this.current = initialState();
    this.releaseGuard = guardRealtimeRejections((reason) => this.report(reason));
    this.abort = new AbortController();
    this.emitState();
    this.loopDone = this.loop();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake?.();
    this.abort?.abort();
    this.watchdog?.stop();
    await this.connection?.close(new RealtimeConnectError('stopped'));
    await this.loopDone;
    await this.queue;
    this.current = { ...this.current, connected: false, connectedSince: null };
    this.releaseGuard?.();
    this.releaseGuard = null;
    this.handlers = null;
  }

  private get target(): RealtimeTarget {
    return this.options.target ?? realtimeTargetFromEnv(this.options.env ?? process.env);
  }

  private async readSession(): Promise<string> {
    const session = typeof this.session === 'function' ? await this.session() : this.session;
    if (!session) throw new RealtimeConnectError('not logged in to Instagram');
    return session;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    let everConnected = false;
    while (this.running) {
      let connection: RealtimeConnection | null = null;
      try {
        const session = await this.readSession();
        const snapshot = await this.options.fetchIrisSnapshot();
        if (!this.running) break;
        connection = await this.open(session, snapshot);
        this.connection = connection;
        if (!this.running) break;
        const upSince = Date.now();
        this.viewer = connection.viewer;
        const watchdogMs = this.options.watchdogMs ?? 90_000;
        const linked = connection;
        this.watchdog = new Watchdog(watchdogMs, () => {
          void linked.close(
            new RealtimeConnectError(`nothing received for ${Math.round(watchdogMs / 1000)} s (half-open link)`),
          );
        });
        this.watchdog.start();
        this.update({
          connected: true,
          connectedSince: Date.now(),
          reconnects: this.current.reconnects + (everConnected ? 1 : 0),
          polling: false,
          lastError: null,
        });
        everConnected = true;
        const reason = await connection.closed;
        this.watchdog.stop();
        await connection.close();
        if (!this.running) break;
        this.update({ connected: false, connectedSince: null, polling: true, lastError: message(reason) });
        // A link that stayed up a while was a good one: the back-off starts over. One dropped soon
        // after it was made counts as a failure, so a broker that keeps kicking the client is not
        // reconnected to (with a fresh inbox request each time) every second or two.
        failures = Date.now() - upSince >= (this.options.stableLinkMs ?? watchdogMs) ? 1 : failures + 1;
      } catch (error) {
        if (!this.running) break;
        failures += 1;
        this.update({ connected: false, connectedSince: null, polling: true, lastError: message(error) });
      } finally {
        this.watchdog?.stop();
        this.watchdog = null;
        await connection?.close();
        this.connection = null;
      }
      await this.pause(
        backoffDelay(failures, {
          baseMs: this.options.backoffBaseMs ?? 2000,
          maxMs: this.options.backoffMaxMs ?? 300_000,
          random: this.options.random,
        }),
      );
    }
  }

  private open(session: string, snapshot: IrisSnapshot): Promise<RealtimeConnection> {
    const watchdogMs = this.options.watchdogMs ?? 90_000;
    return openConnection({
      session,
      snapshot,
      target: this.target,
      extraCa: this.options.extraCa,
      apiUrl: this.options.apiUrl,
      appVersion: this.options.appVersion,
      connectTimeoutMs: this.options.connectTimeoutMs ?? 20_000,
      signal: this.abort?.signal,
      irisAnswerTimeoutMs: this.options.irisAnswerTimeoutMs,
      pingIntervalMs: this.options.pingIntervalMs ?? Math.min(19_500, watchdogMs / 3),
      onActivity: () => {
        this.current.lastEventAt = Date.now();
        this.watchdog?.touch();
      },
      onPublish: (topic, payload) => this.onPublish(topic, payload),
    });
  }

  private pause(ms: number): Promise<void> {
    if (!this.running || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private onPublish(topic: string, payload: Buffer): void {
    if (topic !== TOPIC.messageSync) return;
    let events: PatchEvent[];
    try {
      events = eventsOfSync(decodeSyncPayload(payload), {
        viewerId: this.viewer.id,
        viewerName: this.viewer.name,
        usersOf: (threadId) => this.options.usersOf?.(threadId) ?? NO_USERS,
      });
    } catch (error) {
      this.report(error);
      return;
    }
    for (const event of events) this.dispatch(event);
  }

  private dispatch(event: PatchEvent): void {
    const handlers = this.handlers;
    if (!handlers) return;
    this.queue = this.queue
      .then(async () => {
        if (event.type === 'item') await handlers.onItem(event.message, event.op);
        else if (event.type === 'reaction') await handlers.onReaction?.(event.event);
        else await handlers.onRemoval?.(event.event);
      })
      .catch((error: unknown) => this.report(error));
  }

  private update(patch: Partial<RealtimeState>): void {
    this.current = { ...this.current, ...patch };
    this.emitState();
  }

  private emitState(): void {
    try {
      this.handlers?.onState?.(this.state());
    } catch (error) {
      this.report(error);
    }
  }

  private report(error: unknown): void {
    try {
      this.handlers?.onError?.(error);
    } catch {
      // a failing error handler must not stop the receiver
    }
  }
}

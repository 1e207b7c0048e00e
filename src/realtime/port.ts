// The realtime port: what the bridge gets from Instagram's push channel (MQTT over Thrift), in
// igtg's own terms. The one implementation is realtime-receiver.ts on instagram_mqtt; the bridge
// and its tests never see the library.
import type { EpochMs, Message, Reaction } from '../core/model.js';

/** Where the iris subscription starts: `seq_id` and `snapshot_at_ms` of a fresh inbox response. */
export interface IrisSnapshot {
  seqId: number;
  snapshotAtMs: number;
}

/**
 * The serialized Instagram session (`InstagramClient.serializeSession()` / the SessionKeeper's
 * string), or a function returning the latest one: it is called again before every (re)connect
 * so refreshed cookies are picked up.
 */
export type RealtimeSession = string | (() => Promise<string | null>);

export interface RealtimeState {
  /** The link is up and the iris subscription was accepted. */
  connected: boolean;
  connectedSince: EpochMs | null;
  /** Successful connects after the first one (each one asks for a reconciliation). */
  reconnects: number;
  /** Last packet of any kind (message, pong, ack) received from the broker. */
  lastEventAt: EpochMs | null;
  /** Realtime is not delivering: the bridge should poll Instagram until `connected` is true again. */
  polling: boolean;
  /** Why the last connection failed or ended (no secrets), null while healthy. */
  lastError: string | null;
}

export type ItemOp = 'add' | 'replace';

export interface RealtimeReaction {
  threadId: string;
  itemId: string;
  /** True when the reaction was taken back (op remove). */
  removed: boolean;
  reaction: Reaction;
}

export interface RealtimeRemoval {
  threadId: string;
  itemId: string;
}

export interface RealtimeHandlers {
  /** A new (op add) or changed (op replace) item, mapped like sync maps it. */
  onItem(message: Message, op: ItemOp): void | Promise<void>;
  onReaction?(event: RealtimeReaction): void | Promise<void>;
  /** The item was unsent/deleted (op remove). */
  onRemoval?(event: RealtimeRemoval): void | Promise<void>;
  /**
   * Called on every change of `connected`/`polling` (and once at start, polling: true). Each
   * transition to `connected: true` is a (re)connect: the bridge reconciles recent threads then.
   */
  onState?(state: RealtimeState): void;
  /** A handler threw or a payload could not be read; the receiver keeps going. */
  onError?(error: unknown): void;
}

export interface RealtimeReceiverPort {
  start(session: RealtimeSession, handlers: RealtimeHandlers): void;
  /** Closes the link and every timer; resolves when nothing is left running. */
  stop(): Promise<void>;
  state(): RealtimeState;
}

// One realtime connection on instagram_mqtt: a fresh IgApiClientExt with the saved session, the
// library's RealtimeClient on igtg's transport (tls-transport.ts), CONNECT, then the iris
// subscription with a fresh snapshot. Resolves once subscribed; `closed` settles when the link is
// gone for any reason. No reconnects here: the receiver decides what happens next.
import { inflateSync } from 'node:zlib';
import type { RealtimeTarget } from './realtime-url.js';
import { decodeSession } from '../instagram/adapter/session-codec.js';
import type { IgApiClient } from '../instagram/adapter/library.js';
import { installTransport, RedirectedTlsTransport } from './tls-transport.js';
import type { IrisSnapshot } from './port.js';

/** Topic ids as instagram_mqtt publishes them (dist/constants.js), with their paths. */
export const TOPIC = {
  irisSub: '134',
  irisSubResponse: '135',
  messageSync: '146',
} as const;

const TOPIC_PATHS: Record<string, string> = {
  '/ig_sub_iris_response': TOPIC.irisSubResponse,
  '/ig_message_sync': TOPIC.messageSync,
};

export class RealtimeConnectError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RealtimeConnectError';
  }
}

export interface ConnectionOptions {
  session: string;
  snapshot: IrisSnapshot;
  target: RealtimeTarget;
  extraCa?: string | Buffer | null;
  /** CONNECT + CONNACK + iris PUBACK/answer must finish within this. */
  connectTimeoutMs: number;
  /** How long to wait for /ig_sub_iris_response after the PUBACK (default 5 s). */
  irisAnswerTimeoutMs?: number;
  /** PINGREQ interval once connected. */
  pingIntervalMs: number;
  /** The API base the session's cookies belong to (IGTG_INSTAGRAM_API_URL). */
  apiUrl?: string;
  appVersion?: string;
  /** Aborts a connect in progress (stop()). */
  signal?: AbortSignal;
  /** Any packet from the broker (for the watchdog). */
  onActivity(): void;
  /** A PUBLISH the broker sent (topic id, payload as received). */
  onPublish(topic: string, payload: Buffer): void;
}

export interface RealtimeConnection {
  viewer: { id: string | null; name: string | null };
  /** Settles (never rejects) with the reason once the link is gone. */
  closed: Promise<Error>;
  /** Ends the link and every timer the library holds; safe to call more than once. */
  close(reason?: Error): Promise<void>;
}

interface MqttLike {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  removeAllListeners(event?: string): unknown;
  keepAlive: number;
  ready: boolean;
  disconnected: boolean;
  disconnect(force?: boolean): Promise<void>;
}

interface RealtimeLike {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  removeAllListeners(event?: string): unknown;
  connect(options: Record<string, unknown>): Promise<unknown>;
  irisSubscribe(data: { seq_id: number; snapshot_at_ms: number }): Promise<unknown>;
  readonly mqtt: unknown;
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

function timeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RealtimeConnectError(message)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

async function sessionClient(options: ConnectionOptions) {
  const { IgApiClientExt, withRealtime } = await import('./mqtt-library.js');
  const ig = new IgApiClientExt();
  const state = ig.state as unknown as { constants: Record<string, unknown> };
  state.constants = { ...state.constants, ...(options.apiUrl ? { HOST: options.apiUrl } : {}) };
  const viewer = await decodeSession(ig as unknown as IgApiClient, options.session);
  if (options.appVersion) state.constants = { ...state.constants, APP_VERSION: options.appVersion };
  // Reading the authorization first lets a Bearer-only session work (instagram_mqtt issue #121).
  const igState = ig.state as unknown as { updateAuthorization(): void; parsedAuthorization?: { sessionid?: string } };
  igState.updateAuthorization();
  const sessionid = igState.parsedAuthorization?.sessionid ?? ig.state.extractCookie('sessionid')?.value;
  let userId: string | null = null;
  try {
    userId = ig.state.cookieUserId;
  } catch {
    userId = null;
  }
  if (!sessionid || !userId)
    throw new RealtimeConnectError('the saved Instagram session has no sessionid/user id for realtime');
  const client = withRealtime(ig, []);
  return { realtime: client.realtime as unknown as RealtimeLike, viewer };
}

export async function openConnection(options: ConnectionOptions): Promise<RealtimeConnection> {
  const { realtime, viewer } = await sessionClient(options);
  let resolveClosed!: (reason: Error) => void;
  const closed = new Promise<Error>((resolve) => {
    resolveClosed = resolve;
  });
  let isClosed = false;
  let failConnect: (error: Error) => void = () => undefined;
  const connectFailed = new Promise<never>((_, reject) => {
    failConnect = reject;
  });
  connectFailed.catch(() => undefined);
  const end = (reason: Error) => {
    failConnect(reason);
    if (isClosed) return;
    isClosed = true;
    resolveClosed(reason);
  };

  if (options.signal?.aborted) throw new RealtimeConnectError('stopped');
  const onAbort = () => end(new RealtimeConnectError('stopped'));
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const transport = new RedirectedTlsTransport({
    target: options.target,
    extraCa: options.extraCa,
    onSocketError: (error) => end(error),
  });

  // Errors and drops end this connection; eventemitter3 would not throw without listeners, but
  // they are how igtg learns about them.
  realtime.on('error', (error) => {
    // A drop is reported twice: as ClientDisconnectedError here and, with its reason, as mqtt 'disconnect'.
    if (asError(error).name !== 'ClientDisconnectedError') end(asError(error));
  });
  realtime.on('warning', () => undefined);
  // No subscriptions passed here: the library's own post-CONNACK Promise.all has no catch.
  const connecting = realtime.connect({ autoReconnect: false, graphQlSubs: [], skywalkerSubs: [] });
  connecting.catch((error: unknown) => end(asError(error)));
  const mqtt = realtime.mqtt as MqttLike;
  installTransport(mqtt, transport);

  let irisAnswer: (succeeded: boolean) => void = () => undefined;
  const irisAnswered = new Promise<boolean>((resolve) => {
    irisAnswer = resolve;
  });
  for (const packet of ['CONNACK', 'PUBLISH', 'PUBACK', 'PINGRESP', 'SUBACK'])
    mqtt.on(packet, () => options.onActivity());
  mqtt.on('disconnect', (event) => end(dropReason(event)));
  let subscribed = false;
  mqtt.on('message', (raw) => {
    const message = raw as { topic: string; payload: Buffer };
    const topic = TOPIC_PATHS[message.topic] ?? message.topic;
    if (topic !== TOPIC.irisSubResponse) {
      options.onPublish(topic, message.payload);
      return;
    }
    const succeeded = irisSucceeded(message.payload);
    irisAnswer(succeeded);
    // A refused re-subscribe later on ends the connection too.
    if (subscribed && !succeeded)
      end(new RealtimeConnectError('Instagram refused the iris subscription (succeeded: false)'));
  });

  let closing: Promise<void> | null = null;
  const close = (reason?: Error): Promise<void> => (closing ??= teardown(reason));
  const teardown = async (reason?: Error) => {
    end(reason ?? new RealtimeConnectError('closed by igtg'));
    options.signal?.removeEventListener('abort', onAbort);
    realtime.removeAllListeners();
    realtime.on('error', () => undefined);
    mqtt.removeAllListeners();
    mqtt.on('error', () => undefined);
    try {
      // mqtts 1.5 cannot write DISCONNECT (no writer for it in its DefaultPacketWriteMap), so a
      // soft disconnect rejects; igtg says goodbye on the socket itself, then lets the library
      // clear its flows and keepalive timer with a forced disconnect.
      if (mqtt.ready) await timeout(sayGoodbye(transport), 1000, 'disconnect timed out').catch(() => undefined);
      transport.reset();
      if (!mqtt.disconnected) await mqtt.disconnect(true).catch(() => undefined);
    } catch {
      // already torn down
    }
    transport.reset();
  };

  try {
    const deadline = Date.now() + options.connectTimeoutMs;
    const remaining = () => Math.max(1, deadline - Date.now());
    await timeout(Promise.race([connecting, connectFailed]), remaining(), 'realtime connect timed out (no CONNACK)');
    mqtt.keepAlive = Math.max(1, options.pingIntervalMs / 1000 + 0.5);
    const irisPublished = realtime.irisSubscribe({
      seq_id: options.snapshot.seqId,
      snapshot_at_ms: options.snapshot.snapshotAtMs,
    });
    irisPublished.catch(() => undefined);
    await timeout(Promise.race([irisPublished, connectFailed]), remaining(), 'realtime iris subscription timed out');
    // The client library never checks /ig_sub_iris_response; igtg does. A broker that does not
    // answer soon is taken as subscribed (a later refusal still ends the connection).
    const answerWait = Math.min(remaining(), options.irisAnswerTimeoutMs ?? 5000);
    const answer = await timeout(Promise.race([irisAnswered, connectFailed]), answerWait, 'no iris answer').catch(
      (error: unknown) => {
        if (error instanceof RealtimeConnectError && error.message === 'no iris answer') return true;
        throw error;
      },
    );
    if (!answer) throw new RealtimeConnectError('Instagram refused the iris subscription (succeeded: false)');
  } catch (error) {
    await close(asError(error));
    throw asError(error);
  }
  subscribed = true;
  return { viewer, closed, close };
}

const DISCONNECT_PACKET = Buffer.from([0xe0, 0x00]);

function sayGoodbye(transport: RedirectedTlsTransport): Promise<void> {
  return new Promise((resolve) => {
    const socket = transport.duplex;
    if (!socket || socket.destroyed || socket.writableEnded) {
      resolve();
      return;
    }
    socket.end(DISCONNECT_PACKET, () => resolve());
  });
}

function irisSucceeded(payload: Buffer): boolean {
  try {
    const text =
      payload.length > 0 && payload[0] === 0x78 ? inflateSync(payload).toString('utf8') : payload.toString('utf8');
    const body = JSON.parse(text) as { succeeded?: unknown };
    return body?.succeeded !== false;
  } catch {
    return true;
  }
}

/** The reason mqtts gives with 'disconnect' ({reason, reconnect}) as an Error. */
function dropReason(event: unknown): Error {
  const reason = (event as { reason?: unknown } | undefined)?.reason;
  if (reason instanceof Error) {
    if (reason.name === 'ConnectError')
      return new RealtimeConnectError(`realtime connection refused (${reason.message})`, { cause: reason });
    return reason;
  }
  return new RealtimeConnectError(`realtime link closed (${typeof reason === 'string' ? reason : 'no reason'})`);
}

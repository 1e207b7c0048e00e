// A fake of Instagram's realtime broker (edge-mqtt.facebook.com) for tests: TLS on 127.0.0.1 with
// a test CA, MQTT 3.1.1 framing with Instagram's MQTToT CONNECT (deflated Thrift payload, checked
// for the sessionid), the iris subscription (/ig_sub_iris → /ig_sub_iris_response), message-sync
// publishes, PINGRESP, and the failure modes igtg must survive: forced drops, a silent half-open
// link, refused CONNACKs and a CONNECT that is never answered. Everything clients do is recorded.
import type { AddressInfo } from 'node:net';
import tls, { type TLSSocket } from 'node:tls';
import { inflateSync } from 'node:zlib';
import { makeTestCertificates, type TestCertificates } from './certs.js';
import { decodeConnectPayload, type ConnectRequest } from './connect-payload.js';
import { decodeConnect, decodePublish, decodeSubscribe, encode, FrameReader, PacketType } from './mqtt-codec.js';
import { itemOp, reactionOp, removalOp, syncPayload, type PatchOp } from './sync-payloads.js';

export const TOPICS = {
  irisSub: ['134', '/ig_sub_iris'],
  irisSubResponse: '135',
  messageSync: '146',
} as const;

export interface FakeInstagramMqttOptions {
  /** The sessionid a CONNECT must carry (password "sessionid=<value>"); any non-empty one when absent. */
  sessionid?: string;
  /** The user id a CONNECT must carry, when given. */
  userId?: string;
  /** Answer iris subscriptions with succeeded true (default) or false. */
  irisSucceeds?: boolean;
  certs?: TestCertificates;
}

export interface ConnectRecord {
  protocolName: string;
  protocolLevel: number;
  keepAlive: number;
  request: ConnectRequest | null;
  /** CONNACK return code sent, or null when none was sent (stalled, silent). */
  returnCode: number | null;
}

export interface IrisSubscription {
  seq_id: number;
  snapshot_at_ms: number;
  snapshot_app_version?: string;
}

export interface FakeMqttState {
  /** TLS connections accepted so far. */
  accepted: number;
  connects: ConnectRecord[];
  irisSubscriptions: IrisSubscription[];
  /** Every PUBLISH from clients, payload inflated to text. */
  publishes: Array<{ topic: string; payload: string }>;
  pings: number;
  /** MQTT DISCONNECT packets received. */
  clientDisconnects: number;
  irisSucceeds: boolean;
  readonly openConnections: number;
  readonly subscribedConnections: number;
}

export interface FakeInstagramMqtt {
  url: string;
  port: number;
  caFile: string;
  caPem: string;
  state: FakeMqttState;
  /** Publishes an item (op add/replace) to every subscribed, responsive client; returns how many got it. */
  publishItem(threadId: string, item: Record<string, unknown>, op?: 'add' | 'replace'): number;
  publishReaction(
    threadId: string,
    itemId: string,
    userId: string,
    emoji: string | null,
    op?: 'add' | 'remove',
  ): number;
  publishRemoval(threadId: string, itemId: string): number;
  publishSync(ops: PatchOp[]): number;
  publishRaw(topic: string, payload: Buffer): number;
  /** Destroys every client connection. */
  drop(): void;
  /** Current connections stop answering anything but stay open (half-open); new ones work. */
  goSilent(): void;
  /** The next `times` CONNECTs are answered with this CONNACK return code (5 = not authorized). */
  refuseNext(code?: number, times?: number): void;
  /** The next iris subscription is dropped before its PUBACK (the library's crash hazard). */
  dropBeforeIrisAck(): void;
  /** The next CONNECT is never answered. */
  stallNext(): void;
  close(): Promise<void>;
}

interface Connection {
  socket: TLSSocket;
  reader: FrameReader;
  accepted: boolean;
  subscribed: boolean;
  silent: boolean;
}

function inflateText(payload: Buffer): string {
  try {
    return payload[0] === 0x78 ? inflateSync(payload).toString('utf8') : payload.toString('utf8');
  } catch {
    return payload.toString('utf8');
  }
}

export async function startFakeInstagramMqtt(options: FakeInstagramMqttOptions = {}): Promise<FakeInstagramMqtt> {
  const ownCerts = !options.certs;
  const certs = options.certs ?? makeTestCertificates();
  const connections = new Set<Connection>();
  let refuseCode: number | null = null;
  let refuseTimes = 0;
  let stall = false;
  let dropIris = false;

  const state: FakeMqttState = {
    accepted: 0,
    connects: [],
    irisSubscriptions: [],
    publishes: [],
    pings: 0,
    clientDisconnects: 0,
    irisSucceeds: options.irisSucceeds ?? true,
    get openConnections() {
      return [...connections].filter((c) => !c.socket.destroyed).length;
    },
    get subscribedConnections() {
      return [...connections].filter((c) => c.subscribed && !c.silent && !c.socket.destroyed).length;
    },
  };

  const send = (connection: Connection, data: Buffer) => {
    if (!connection.socket.destroyed && !connection.silent) connection.socket.write(data);
  };

  const onConnect = (connection: Connection, body: Buffer) => {
    const frame = decodeConnect(body);
    let request: ConnectRequest | null = null;
    try {
      request = decodeConnectPayload(frame.payload);
    } catch {
      request = null;
    }
    const record: ConnectRecord = {
      protocolName: frame.protocolName,
      protocolLevel: frame.protocolLevel,
      keepAlive: frame.keepAlive,
      request,
      returnCode: null,
    };
    state.connects.push(record);
    if (stall) {
      stall = false;
      return;
    }
    let code = 0;
    if (refuseCode !== null && refuseTimes > 0) {
      code = refuseCode;
      refuseTimes -= 1;
    } else if (frame.protocolName !== 'MQTToT' || !request) {
      code = 1; // unacceptable protocol
    } else if (!request.sessionid || (options.sessionid !== undefined && request.sessionid !== options.sessionid)) {
      code = 4; // bad user name or password
    } else if (options.userId !== undefined && request.userId !== options.userId) {
      code = 5;
    }
    record.returnCode = code;
    send(connection, encode.connack(code));
    if (code !== 0) {
      connection.socket.end();
      return;
    }
    connection.accepted = true;
  };

  const onPublish = (connection: Connection, flags: number, body: Buffer) => {
    const publish = decodePublish(flags, body);
    const text = inflateText(publish.payload);
    state.publishes.push({ topic: publish.topic, payload: text });
    if (dropIris && (TOPICS.irisSub as readonly string[]).includes(publish.topic)) {
      dropIris = false;
      connection.socket.destroy();
      return;
    }
    if (publish.qos > 0 && publish.id !== null) send(connection, encode.puback(publish.id));
    if ((TOPICS.irisSub as readonly string[]).includes(publish.topic)) {
      try {
        state.irisSubscriptions.push(JSON.parse(text) as IrisSubscription);
      } catch {
        // recorded in publishes; answered as a failure below
      }
      const succeeded = state.irisSucceeds;
      connection.subscribed = succeeded;
      const answer = succeeded
        ? { succeeded: true, error_type: null, error_message: null }
        : { succeeded: false, error_type: 1, error_message: 'invalid seq_id' };
      send(connection, encode.publish(TOPICS.irisSubResponse, Buffer.from(JSON.stringify(answer))));
    }
  };

  const onFrame = (connection: Connection, type: number, flags: number, body: Buffer) => {
    if (connection.silent) return;
    if (!connection.accepted && type !== PacketType.connect) {
      connection.socket.destroy();
      return;
    }
    switch (type) {
      case PacketType.connect:
        onConnect(connection, body);
        break;
      case PacketType.publish:
        onPublish(connection, flags, body);
        break;
      case PacketType.subscribe: {
        const subscribe = decodeSubscribe(body);
        send(
          connection,
          encode.suback(
            subscribe.id,
            subscribe.topics.map((t) => Math.min(t.qos, 1)),
          ),
        );
        break;
      }
      case PacketType.pingreq:
        state.pings += 1;
        send(connection, encode.pingresp());
        break;
      case PacketType.disconnect:
        state.clientDisconnects += 1;
        connection.socket.end();
        break;
      default:
        break;
    }
  };

  const server = tls.createServer({ key: certs.keyPem, cert: certs.certPem }, (socket) => {
    state.accepted += 1;
    const connection: Connection = {
      socket,
      reader: new FrameReader(),
      accepted: false,
      subscribed: false,
      silent: false,
    };
    connections.add(connection);
    socket.on('error', () => undefined);
    socket.on('close', () => connections.delete(connection));
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const frame of connection.reader.push(chunk)) onFrame(connection, frame.type, frame.flags, frame.body);
      } catch {
        socket.destroy();
      }
    });
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const publishRaw = (topic: string, payload: Buffer) => {
    let reached = 0;
    for (const connection of connections) {
      if (!connection.subscribed || connection.silent || connection.socket.destroyed) continue;
      send(connection, encode.publish(topic, payload));
      reached += 1;
    }
    return reached;
  };
  const publishSync = (ops: PatchOp[]) => publishRaw(TOPICS.messageSync, syncPayload(ops));

  return {
    url: `mqtts://127.0.0.1:${port}`,
    port,
    caFile: certs.caFile,
    caPem: certs.caPem,
    state,
    publishItem: (threadId, item, op = 'add') => publishSync([itemOp(threadId, item, op)]),
    publishReaction: (threadId, itemId, userId, emoji, op = 'add') =>
      publishSync([reactionOp(threadId, itemId, userId, emoji, op)]),
    publishRemoval: (threadId, itemId) => publishSync([removalOp(threadId, itemId)]),
    publishSync,
    publishRaw,
    drop: () => {
      for (const connection of connections) connection.socket.destroy();
    },
    goSilent: () => {
      for (const connection of connections) connection.silent = true;
    },
    refuseNext: (code = 5, times = 1) => {
      refuseCode = code;
      refuseTimes = times;
    },
    dropBeforeIrisAck: () => {
      dropIris = true;
    },
    stallNext: () => {
      stall = true;
    },
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const connection of connections) connection.socket.destroy();
      await closed;
      if (ownCerts) certs.remove();
    },
  };
}

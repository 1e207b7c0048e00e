// The MQTToT CONNECT payload: zlib(level 9) of a Thrift-compact ConnectRequest
// (instagram_mqtt dist/mqttot/mqttot.connection.js thriftConfig): 1 clientIdentifier,
// 4 clientInfo {1 userId, 2 userAgent, 14 subscribeTopics, 15 clientType, 16 appId, ...},
// 5 password ("sessionid=<sessionid>"), 10 appSpecificInfo.
import { inflateSync } from 'node:zlib';
import { readThriftStruct, type ThriftStruct, type ThriftValue } from './thrift-compact.js';

export interface ConnectRequest {
  clientIdentifier: string | null;
  userId: string | null;
  userAgent: string | null;
  subscribeTopics: number[];
  clientType: string | null;
  appId: string | null;
  password: string | null;
  /** The sessionid taken from the password field. */
  sessionid: string | null;
  appSpecificInfo: Record<string, string>;
}

function text(value: ThriftValue | undefined): string | null {
  return Buffer.isBuffer(value) ? value.toString('utf8') : null;
}

function bigintText(value: ThriftValue | undefined): string | null {
  return typeof value === 'bigint' ? value.toString() : null;
}

export function decodeConnectPayload(deflated: Buffer): ConnectRequest {
  const root = readThriftStruct(inflateSync(deflated));
  const info = (root.get(4) instanceof Map ? root.get(4) : new Map()) as ThriftStruct;
  const topics = info.get(14);
  const appInfo = root.get(10);
  const password = text(root.get(5));
  const appSpecificInfo: Record<string, string> = {};
  if (appInfo instanceof Map) {
    for (const [key, value] of appInfo) appSpecificInfo[String(key)] = text(value) ?? '';
  }
  return {
    clientIdentifier: text(root.get(1)),
    userId: bigintText(info.get(1)),
    userAgent: text(info.get(2)),
    subscribeTopics: Array.isArray(topics) ? topics.map(Number) : [],
    clientType: text(info.get(15)),
    appId: bigintText(info.get(16)),
    password,
    sessionid: password?.startsWith('sessionid=') ? password.slice('sessionid='.length) : null,
    appSpecificInfo,
  };
}

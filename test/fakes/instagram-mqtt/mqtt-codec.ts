// Just enough MQTT 3.1.1 framing for the fake broker (mqtt-packet is not in the tree): splits the
// byte stream into packets and builds the few the broker sends.

export const PacketType = {
  connect: 1,
  connack: 2,
  publish: 3,
  puback: 4,
  subscribe: 8,
  suback: 9,
  pingreq: 12,
  pingresp: 13,
  disconnect: 14,
} as const;

export interface Frame {
  type: number;
  flags: number;
  body: Buffer;
}

/** Accumulates bytes; `next()` returns complete packets as they become available. */
export class FrameReader {
  private pending = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.pending = Buffer.concat([this.pending, chunk]);
    const frames: Frame[] = [];
    for (;;) {
      if (this.pending.length < 2) break;
      let length = 0;
      let multiplier = 1;
      let offset = 1;
      let complete = false;
      while (offset < this.pending.length && offset <= 4) {
        const byte = this.pending[offset]!;
        length += (byte & 0x7f) * multiplier;
        multiplier *= 128;
        offset += 1;
        if ((byte & 0x80) === 0) {
          complete = true;
          break;
        }
      }
      if (!complete) {
        if (offset > 4) throw new Error('mqtt: malformed remaining length');
        break;
      }
      if (this.pending.length < offset + length) break;
      const first = this.pending[0]!;
      frames.push({
        type: first >> 4,
        flags: first & 0x0f,
        body: Buffer.from(this.pending.subarray(offset, offset + length)),
      });
      this.pending = this.pending.subarray(offset + length);
    }
    return frames;
  }
}

function remainingLength(length: number): Buffer {
  const bytes: number[] = [];
  do {
    let byte = length % 128;
    length = Math.floor(length / 128);
    if (length > 0) byte |= 0x80;
    bytes.push(byte);
  } while (length > 0);
  return Buffer.from(bytes);
}

export function packet(type: number, flags: number, body: Buffer = Buffer.alloc(0)): Buffer {
  return Buffer.concat([Buffer.from([(type << 4) | flags]), remainingLength(body.length), body]);
}

function word(value: number): Buffer {
  const buffer = Buffer.alloc(2);
  buffer.writeUInt16BE(value, 0);
  return buffer;
}

function mqttString(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  return Buffer.concat([word(bytes.length), bytes]);
}

export const encode = {
  connack: (returnCode: number) => packet(PacketType.connack, 0, Buffer.from([0, returnCode])),
  puback: (id: number) => packet(PacketType.puback, 0, word(id)),
  suback: (id: number, granted: number[]) =>
    packet(PacketType.suback, 0, Buffer.concat([word(id), Buffer.from(granted)])),
  pingresp: () => packet(PacketType.pingresp, 0),
  publish: (topic: string, payload: Buffer, qos: 0 | 1 = 0, id = 0) =>
    packet(
      PacketType.publish,
      qos << 1,
      Buffer.concat([mqttString(topic), qos > 0 ? word(id) : Buffer.alloc(0), payload]),
    ),
};

export interface ConnectFrame {
  protocolName: string;
  protocolLevel: number;
  connectFlags: number;
  keepAlive: number;
  /** Everything after the variable header (MQTToT: the deflated Thrift ConnectRequest). */
  payload: Buffer;
}

export function decodeConnect(body: Buffer): ConnectFrame {
  const nameLength = body.readUInt16BE(0);
  const protocolName = body.subarray(2, 2 + nameLength).toString('utf8');
  let offset = 2 + nameLength;
  const protocolLevel = body[offset++]!;
  const connectFlags = body[offset++]!;
  const keepAlive = body.readUInt16BE(offset);
  offset += 2;
  return { protocolName, protocolLevel, connectFlags, keepAlive, payload: Buffer.from(body.subarray(offset)) };
}

export interface PublishFrame {
  topic: string;
  qos: number;
  id: number | null;
  payload: Buffer;
}

export function decodePublish(flags: number, body: Buffer): PublishFrame {
  const topicLength = body.readUInt16BE(0);
  const topic = body.subarray(2, 2 + topicLength).toString('utf8');
  let offset = 2 + topicLength;
  const qos = (flags >> 1) & 0x03;
  let id: number | null = null;
  if (qos > 0) {
    id = body.readUInt16BE(offset);
    offset += 2;
  }
  return { topic, qos, id, payload: Buffer.from(body.subarray(offset)) };
}

/** SUBSCRIBE: packet id + (topic, qos) pairs. */
export function decodeSubscribe(body: Buffer): { id: number; topics: Array<{ topic: string; qos: number }> } {
  const id = body.readUInt16BE(0);
  const topics: Array<{ topic: string; qos: number }> = [];
  let offset = 2;
  while (offset < body.length) {
    const length = body.readUInt16BE(offset);
    const topic = body.subarray(offset + 2, offset + 2 + length).toString('utf8');
    offset += 2 + length;
    topics.push({ topic, qos: body[offset++]! & 0x03 });
  }
  return { id, topics };
}

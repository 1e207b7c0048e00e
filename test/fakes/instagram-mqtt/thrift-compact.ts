// A small Thrift compact-protocol reader for the fake broker: decodes the ConnectRequest that
// instagram_mqtt writes (dist/thrift/thrift.writing.js) into field-id keyed values, written
// independently of the library so the fake checks what really goes over the wire.

export type ThriftValue =
  boolean | number | bigint | string | Buffer | ThriftValue[] | ThriftStruct | Map<ThriftValue, ThriftValue>;
export type ThriftStruct = Map<number, ThriftValue>;

const T = {
  STOP: 0,
  TRUE: 1,
  FALSE: 2,
  BYTE: 3,
  I16: 4,
  I32: 5,
  I64: 6,
  DOUBLE: 7,
  BINARY: 8,
  LIST: 9,
  SET: 10,
  MAP: 11,
  STRUCT: 12,
};

class Reader {
  private position = 0;
  constructor(private readonly buffer: Buffer) {}

  byte(): number {
    if (this.position >= this.buffer.length) throw new Error('thrift: unexpected end of data');
    return this.buffer[this.position++]!;
  }

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = this.byte();
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 70n) throw new Error('thrift: varint too long');
    }
  }

  zigzag(): bigint {
    const raw = this.varint();
    return (raw >> 1n) ^ -(raw & 1n);
  }

  bytes(length: number): Buffer {
    if (this.position + length > this.buffer.length) throw new Error('thrift: binary past the end');
    const slice = this.buffer.subarray(this.position, this.position + length);
    this.position += length;
    return Buffer.from(slice);
  }

  value(type: number): ThriftValue {
    switch (type) {
      case T.TRUE:
        return true;
      case T.FALSE:
        return false;
      case T.BYTE:
        return this.byte();
      case T.I16:
      case T.I32:
        return Number(this.zigzag());
      case T.I64:
        return this.zigzag();
      case T.DOUBLE:
        return this.bytes(8).readDoubleLE(0);
      case T.BINARY:
        return this.bytes(Number(this.varint()));
      case T.LIST:
      case T.SET: {
        const header = this.byte();
        let size = header >> 4;
        const elementType = header & 0x0f;
        if (size === 15) size = Number(this.varint());
        const list: ThriftValue[] = [];
        for (let i = 0; i < size; i++) {
          list.push(
            elementType === T.TRUE || elementType === T.FALSE ? this.byte() === T.TRUE : this.value(elementType),
          );
        }
        return list;
      }
      case T.MAP: {
        const size = Number(this.varint());
        const map = new Map<ThriftValue, ThriftValue>();
        if (size === 0) return map;
        const types = this.byte();
        for (let i = 0; i < size; i++) {
          const key = this.value(types >> 4);
          map.set(Buffer.isBuffer(key) ? key.toString('utf8') : key, this.value(types & 0x0f));
        }
        return map;
      }
      case T.STRUCT:
        return this.struct();
      default:
        throw new Error(`thrift: unknown type ${type}`);
    }
  }

  struct(): ThriftStruct {
    const fields: ThriftStruct = new Map();
    let lastField = 0;
    for (;;) {
      const header = this.byte();
      const type = header & 0x0f;
      if (type === T.STOP) return fields;
      const delta = header >> 4;
      const field = delta !== 0 ? lastField + delta : Number(this.zigzag());
      lastField = field;
      fields.set(field, this.value(type));
    }
  }
}

export function readThriftStruct(buffer: Buffer): ThriftStruct {
  return new Reader(buffer).struct();
}

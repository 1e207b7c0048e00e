// Message rows packed for the writer thread (writer-thread.ts). Copying thousands of small strings
// between threads one by one costs nearly as much as writing them. Packed, a batch is the UTF-8
// bytes of every string field one after another, each field's byte length (-1 null, -2 the row
// before's value) and the numbers: three typed arrays, which move to the thread without a copy.
// The bytes live outside the JavaScript heap, so a message packed as it is made (RowPacker, for an
// import) is garbage at once instead of being copied by the collector until its batch is written.
import { StoreError } from '../../core/errors.js';
import type { Message } from '../../core/model.js';
import type { MessagePacker, WriteBatch } from '../store.js';
import { type MessageParams, blankParams, messageParams } from './message-rows.js';

/** The order of a row's string fields in a packed batch. */
const STRING_FIELDS: ReadonlyArray<keyof MessageParams> = [
  'threadId',
  'id',
  'senderId',
  'senderName',
  'senderNorm',
  'kind',
  'text',
  'shareText',
  'media',
  'share',
  'replyTo',
  'reactions',
  'source',
  'clientContext',
  'raw',
];

const NUMBER_FIELDS: ReadonlyArray<keyof MessageParams> = ['sentAt', 'unsent', 'fromMe'];

export interface PackedRows {
  count: number;
  bytes: Uint8Array;
  lengths: Int32Array;
  numbers: Float64Array;
}

const NULL = -1;
/** The same value as the row before: a batch holds runs of one thread, sender and kind. */
const SAME = -2;
/** UTF-8 takes at most 3 bytes per UTF-16 code unit. */
const MAX_BYTES_PER_UNIT = 3;

/** Packs messages one at a time, checking each (a StoreError names the first bad one). */
export class RowPacker implements MessagePacker {
  private lengths: Int32Array;
  private numbers: Float64Array;
  private bytes: Buffer;
  private rows = 0;
  private l = 0;
  private n = 0;
  private at = 0;
  private readonly previous: Array<string | null | undefined> = new Array<undefined>(STRING_FIELDS.length);
  private readonly row = blankParams();

  constructor(capacity = 256) {
    const rows = Math.max(1, capacity);
    this.lengths = new Int32Array(rows * STRING_FIELDS.length);
    this.numbers = new Float64Array(rows * NUMBER_FIELDS.length);
    this.bytes = Buffer.allocUnsafeSlow(rows * 128);
  }

  get count(): number {
    return this.rows;
  }

  add(message: Message): void {
    // Checked before anything is packed: a refused message leaves the packer as it was.
    const row = messageParams(message, this.row);
    if (this.l === this.lengths.length) this.growRows();
    this.put(0, row.threadId);
    this.put(1, row.id);
    this.put(2, row.senderId);
    this.put(3, row.senderName);
    this.put(4, row.senderNorm);
    this.put(5, row.kind);
    this.put(6, row.text);
    this.put(7, row.shareText);
    this.put(8, row.media);
    this.put(9, row.share);
    this.put(10, row.replyTo);
    this.put(11, row.reactions);
    this.put(12, row.source);
    this.put(13, row.clientContext);
    this.put(14, row.raw);
    this.numbers[this.n++] = row.sentAt;
    this.numbers[this.n++] = row.unsent;
    this.numbers[this.n++] = row.fromMe;
    this.rows += 1;
  }

  /** The packed rows; the packer is not used after this. */
  finish(): PackedRows {
    return {
      count: this.rows,
      bytes: this.bytes.subarray(0, this.at),
      lengths: this.lengths.subarray(0, this.l),
      numbers: this.numbers.subarray(0, this.n),
    };
  }

  private put(field: number, value: string | null): void {
    if (value === this.previous[field]) {
      this.lengths[this.l++] = SAME;
    } else if (value === null) {
      this.lengths[this.l++] = NULL;
      this.previous[field] = null;
    } else {
      if (this.at + value.length * MAX_BYTES_PER_UNIT > this.bytes.length) this.growBytes(value.length);
      const written = this.bytes.write(value, this.at, 'utf8');
      this.at += written;
      this.lengths[this.l++] = written;
      this.previous[field] = value;
    }
  }

  private growRows(): void {
    const lengths = new Int32Array(this.lengths.length * 2);
    lengths.set(this.lengths);
    this.lengths = lengths;
    const numbers = new Float64Array(this.numbers.length * 2);
    numbers.set(this.numbers);
    this.numbers = numbers;
  }

  private growBytes(units: number): void {
    const bytes = Buffer.allocUnsafeSlow(Math.max(this.bytes.length * 2, this.at + units * MAX_BYTES_PER_UNIT));
    this.bytes.copy(bytes, 0, 0, this.at);
    this.bytes = bytes;
  }
}

export function packMessages(messages: Message[]): PackedRows {
  const packer = new RowPacker(messages.length);
  for (const message of messages) packer.add(message);
  return packer.finish();
}

/** The rows of a batch's messages, packed (null when it has none). */
export function packedRowsOf(batch: WriteBatch): PackedRows | null {
  if (batch.packed !== undefined) {
    if (!(batch.packed instanceof RowPacker))
      throw new StoreError("packed messages must come from the store's own messagePacker()");
    if (batch.messages?.length) throw new StoreError('a batch holds messages or packed messages, not both');
    return batch.packed.count > 0 ? batch.packed.finish() : null;
  }
  return batch.messages?.length ? packMessages(batch.messages) : null;
}

/** The buffers to transfer with a packed batch (postMessage's transfer list). */
export function packedBuffers(packed: PackedRows): ArrayBuffer[] {
  return [packed.bytes.buffer, packed.lengths.buffer, packed.numbers.buffer] as ArrayBuffer[];
}

export function unpackRows(packed: PackedRows): MessageParams[] {
  const { lengths, numbers } = packed;
  // A view over the transferred bytes: toString decodes a range without copying it first.
  const bytes = Buffer.from(packed.bytes.buffer, packed.bytes.byteOffset, packed.bytes.byteLength);
  const rows: MessageParams[] = new Array<MessageParams>(packed.count);
  let l = 0;
  let n = 0;
  let at = 0;
  const previous: Array<string | null> = new Array<null>(STRING_FIELDS.length).fill(null);
  let field = 0;
  const next = (): string | null => {
    const length = lengths[l++]!;
    if (length !== SAME) {
      if (length === NULL) {
        previous[field] = null;
      } else {
        previous[field] = bytes.toString('utf8', at, (at += length));
      }
    }
    const value = previous[field]!;
    field = field === STRING_FIELDS.length - 1 ? 0 : field + 1;
    return value;
  };
  // Fields in STRING_FIELDS order (an object literal evaluates its values in source order).
  for (let i = 0; i < packed.count; i += 1) {
    rows[i] = {
      threadId: next()!,
      id: next()!,
      senderId: next(),
      senderName: next()!,
      senderNorm: next()!,
      kind: next()!,
      text: next(),
      shareText: next(),
      media: next(),
      share: next(),
      replyTo: next(),
      reactions: next(),
      source: next()!,
      clientContext: next(),
      raw: next(),
      sentAt: numbers[n++]!,
      unsent: numbers[n++]!,
      fromMe: numbers[n++]!,
      tk: 0,
      seq: 0,
    };
  }
  return rows;
}

/** Strings packed the same way (the ids a write added, sent back). */
export interface PackedStrings {
  strings: string;
  lengths: Int32Array;
}

export function packStrings(values: string[]): PackedStrings {
  const lengths = new Int32Array(values.length);
  for (let i = 0; i < values.length; i += 1) lengths[i] = values[i]!.length;
  return { strings: values.join(''), lengths };
}

export function unpackStrings(packed: PackedStrings): string[] {
  const values = new Array<string>(packed.lengths.length);
  let at = 0;
  for (let i = 0; i < values.length; i += 1) {
    const length = packed.lengths[i]!;
    values[i] = packed.strings.slice(at, (at += length));
  }
  return values;
}

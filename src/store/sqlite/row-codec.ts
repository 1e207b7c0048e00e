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
/**
 * UTF16 - n: the value is n bytes of UTF-16. Only for strings with lone surrogates, which UTF-8
 * cannot hold: they reach SQLite exactly as an unpacked row's would.
 */
const UTF16 = -3;
/** UTF-8 takes at most 3 bytes per UTF-16 code unit. */
const MAX_BYTES_PER_UNIT = 3;

// ES2024's String.prototype.isWellFormed (Node ≥ 20), not in the ES2023 library types.
const isWellFormed = (value: string): boolean => (value as unknown as { isWellFormed(): boolean }).isWellFormed();

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
    for (const field of STRING_FIELDS) {
      const value = row[field];
      if (value !== null && typeof value !== 'string') {
        throw new StoreError(`cannot store message ${row.id}: its ${field} is not text`);
      }
    }
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
      if (isWellFormed(value)) {
        const written = this.bytes.write(value, this.at, 'utf8');
        this.at += written;
        this.lengths[this.l++] = written;
      } else {
        const written = this.bytes.write(value, this.at, 'utf16le');
        this.at += written;
        this.lengths[this.l++] = UTF16 - written;
      }
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

/** Reads packed rows in order, into one row object that each read overwrites. */
export class RowReader {
  readonly count: number;
  private readonly bytes: Buffer;
  private readonly lengths: Int32Array;
  private readonly numbers: Float64Array;
  private readonly previous: Array<string | null> = new Array<null>(STRING_FIELDS.length).fill(null);
  private readonly row = blankParams();
  private l = 0;
  private n = 0;
  private at = 0;

  constructor(packed: PackedRows) {
    this.count = packed.count;
    // A view over the transferred bytes: toString decodes a range without copying it first.
    this.bytes = Buffer.from(packed.bytes.buffer, packed.bytes.byteOffset, packed.bytes.byteLength);
    this.lengths = packed.lengths;
    this.numbers = packed.numbers;
  }

  /** The next row: the same object every time, so copy what must outlive the next read. */
  next(): MessageParams {
    const row = this.row;
    row.threadId = this.field(0)!;
    row.id = this.field(1)!;
    row.senderId = this.field(2);
    row.senderName = this.field(3)!;
    row.senderNorm = this.field(4)!;
    row.kind = this.field(5)!;
    row.text = this.field(6);
    row.shareText = this.field(7);
    row.media = this.field(8);
    row.share = this.field(9);
    row.replyTo = this.field(10);
    row.reactions = this.field(11);
    row.source = this.field(12)!;
    row.clientContext = this.field(13);
    row.raw = this.field(14);
    row.sentAt = this.numbers[this.n++]!;
    row.unsent = this.numbers[this.n++]!;
    row.fromMe = this.numbers[this.n++]!;
    row.tk = 0;
    row.seq = 0;
    return row;
  }

  private field(field: number): string | null {
    const length = this.lengths[this.l++]!;
    if (length >= 0) this.previous[field] = this.bytes.toString('utf8', this.at, (this.at += length));
    else if (length === NULL) this.previous[field] = null;
    else if (length <= UTF16)
      this.previous[field] = this.bytes.toString('utf16le', this.at, (this.at += UTF16 - length));
    return this.previous[field]!;
  }
}

export function unpackRows(packed: PackedRows): MessageParams[] {
  const reader = new RowReader(packed);
  return Array.from({ length: reader.count }, () => ({ ...reader.next() }));
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

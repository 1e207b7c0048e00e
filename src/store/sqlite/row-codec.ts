// Message rows packed for the writer thread (writer-thread.ts). Copying thousands of small strings
// between threads one by one costs nearly as much as writing them; packed, a batch is one string
// (every string field joined), each field's length (-1 null, -2 the row before's value) and the
// numbers, and the typed arrays move without a copy. Unpacking slices the one string, which V8
// does without copying, so a value kept beyond its write (in a cache) would keep the whole batch.
import type { Message } from '../../core/model.js';
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
  strings: string;
  lengths: Int32Array;
  numbers: Float64Array;
}

const NULL = -1;
/** The same value as the row before: a batch holds runs of one thread, sender and kind. */
const SAME = -2;

/** Checks and packs messages (a StoreError names the first bad one). */
export function packMessages(messages: Message[]): PackedRows {
  const lengths = new Int32Array(messages.length * STRING_FIELDS.length);
  const numbers = new Float64Array(messages.length * NUMBER_FIELDS.length);
  // Concatenated as it goes: V8 keeps a rope and flattens it once when posting, several times
  // faster than parts.join('').
  let strings = '';
  const previous: Array<string | null | undefined> = new Array<undefined>(STRING_FIELDS.length);
  let l = 0;
  let n = 0;
  const put = (field: number, value: string | null): void => {
    if (value === previous[field]) {
      lengths[l++] = SAME;
    } else if (value === null) {
      lengths[l++] = NULL;
      previous[field] = null;
    } else {
      lengths[l++] = value.length;
      strings += value;
      previous[field] = value;
    }
  };
  const row = blankParams();
  // Fields in STRING_FIELDS order.
  for (const message of messages) {
    messageParams(message, row);
    put(0, row.threadId);
    put(1, row.id);
    put(2, row.senderId);
    put(3, row.senderName);
    put(4, row.senderNorm);
    put(5, row.kind);
    put(6, row.text);
    put(7, row.shareText);
    put(8, row.media);
    put(9, row.share);
    put(10, row.replyTo);
    put(11, row.reactions);
    put(12, row.source);
    put(13, row.clientContext);
    put(14, row.raw);
    numbers[n++] = row.sentAt;
    numbers[n++] = row.unsent;
    numbers[n++] = row.fromMe;
  }
  return { count: messages.length, strings, lengths, numbers };
}

export function unpackRows(packed: PackedRows): MessageParams[] {
  const { strings, lengths, numbers } = packed;
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
        at += length;
        previous[field] = strings.slice(at - length, at);
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

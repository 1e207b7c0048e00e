import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/core/errors.js';
import type { Message } from '../../src/core/model.js';
import { messageParams } from '../../src/store/sqlite/message-rows.js';
import {
  RowPacker,
  packMessages,
  packStrings,
  packedRowsOf,
  unpackRows,
  unpackStrings,
} from '../../src/store/sqlite/row-codec.js';
import { fullMessage, message, T0 } from '../store/fixtures.js';

describe('row codec (messages packed for the writer thread)', () => {
  const messages = [
    fullMessage('t1', 'a'),
    // Runs of equal values (thread, sender, kind) and values that change back and forth.
    message('t1', 'b', { text: '', senderName: 'Zoë Müller', sentAt: T0 + 1 }),
    message('t1', 'c', { text: null, senderId: '', raw: '{"x":1}', sentAt: 2 ** 40 + 0.4 }),
    message('t2', 'd', { text: 'ﷺ 🏳️‍🌈 𝔘 \u0000 end', fromMe: true, unsent: true, sentAt: -5 }),
    message('t1', 'e', { senderName: 'Alice', text: 'message e' }),
    message('t1', 'f', { senderName: 'Alice', text: 'message e' }),
  ];

  it('unpacks exactly the rows messageParams makes, field by field', () => {
    const rows = unpackRows(packMessages(messages));
    expect(rows).toEqual(messages.map((one) => messageParams(one)));
  });

  it('keeps null and the empty string apart', () => {
    const [, b, c] = unpackRows(packMessages(messages));
    expect(b!.text).toBe('');
    expect(c!.text).toBeNull();
    expect(c!.senderId).toBe('');
  });

  it('packs an empty batch', () => {
    expect(unpackRows(packMessages([]))).toEqual([]);
  });

  it('refuses a bad message with the StoreError messageParams gives', () => {
    const bad = message('t1', 'x', { kind: '' as 'text' });
    expect(() => packMessages([messages[0]!, bad])).toThrow(StoreError);
    expect(() => packMessages([bad])).toThrow('cannot store message x: it has no kind');
  });

  it('packs one message at a time, growing past its first capacity', () => {
    // Long and multi-byte values overflow the first byte buffer; 300 rows overflow the first row arrays.
    const many = Array.from({ length: 300 }, (_, i) =>
      message('t1', `m${i}`, { text: i % 7 === 0 ? '€🙂'.repeat(2_000 + i) : `text ${i % 3}`, sentAt: T0 + i }),
    );
    const packer = new RowPacker(1);
    for (const one of many) packer.add(one);
    expect(packer.count).toBe(300);
    expect(unpackRows(packer.finish())).toEqual(many.map((one) => messageParams(one)));
  });

  it('leaves the packer as it was when a message is refused', () => {
    const packer = new RowPacker();
    packer.add(messages[0]!);
    expect(() => packer.add(message('t1', 'x', { kind: '' as 'text' }))).toThrow(
      'cannot store message x: it has no kind',
    );
    packer.add(messages[1]!);
    expect(unpackRows(packer.finish())).toEqual([messageParams(messages[0]!), messageParams(messages[1]!)]);
  });

  it('keeps lone surrogates exactly, which UTF-8 cannot hold', () => {
    const odd = [
      message('t1', 'x\ud800', { text: 'a \udc00 b', senderName: '\ud83d' }),
      message('t1', 'x\ud801', { text: 'a \udc00 b' }),
    ];
    expect(unpackRows(packMessages(odd))).toEqual(odd.map((one) => messageParams(one)));
  });

  it('refuses a message with a field that is not text before packing any of it', () => {
    const packer = new RowPacker();
    const bad = { ...message('t1', 'x'), senderId: 42 } as unknown as Message;
    expect(() => packer.add(bad)).toThrow('cannot store message x: its senderId is not text');
    packer.add(messages[0]!);
    expect(unpackRows(packer.finish())).toEqual([messageParams(messages[0]!)]);
  });

  it("takes a batch's packed messages only from its own packer, and never beside plain ones", () => {
    const foreign = { count: 1, add: () => undefined };
    expect(() => packedRowsOf({ packed: foreign })).toThrow(StoreError);
    const packer = new RowPacker();
    packer.add(messages[0]!);
    expect(() => packedRowsOf({ packed: packer, messages: [messages[1]!] })).toThrow(/not both/);
    expect(packedRowsOf({ packed: new RowPacker() })).toBeNull();
    expect(packedRowsOf({ messages: [] })).toBeNull();
  });

  it('round-trips a list of strings', () => {
    const values = ['a:1', '', '🙂🙂', 'x'.repeat(100), 'مرحبا'];
    expect(unpackStrings(packStrings(values))).toEqual(values);
    expect(unpackStrings(packStrings([]))).toEqual([]);
  });
});

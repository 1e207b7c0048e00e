import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/core/errors.js';
import { messageParams } from '../../src/store/sqlite/message-rows.js';
import { packMessages, packStrings, unpackRows, unpackStrings } from '../../src/store/sqlite/row-codec.js';
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

  it('round-trips a list of strings', () => {
    const values = ['a:1', '', '🙂🙂', 'x'.repeat(100), 'مرحبا'];
    expect(unpackStrings(packStrings(values))).toEqual(values);
    expect(unpackStrings(packStrings([]))).toEqual([]);
  });
});

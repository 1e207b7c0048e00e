import { describe, expect, it } from 'vitest';
import { isMetaMessage } from '../../src/archive/meta-fast-check.js';
import { metaMessageSchema } from '../../src/archive/meta-schema.js';

const valid = {
  sender_name: 'Zo\u00c3\u00ab',
  timestamp_ms: 1_700_000_000_000,
  content: 'hi',
  photos: [{ uri: 'a.jpg', creation_timestamp: 1 }],
  videos: null,
  sticker: { uri: 's.png' },
  share: { link: 'https://x', share_text: null },
  reactions: [{ reaction: '\u00e2\u009d\u00a4', actor: 'Kim', timestamp: 2 }],
  call_duration: 3,
  is_unsent: false,
  type: 'Generic',
  extra_field: { anything: [1, 'two'] },
};

// Each variant breaks (or keeps) one field; the fast check may only say true when zod agrees.
const variants: unknown[] = [
  valid,
  { sender_name: 'a', timestamp_ms: 0 },
  null,
  [],
  'text',
  { ...valid, sender_name: 1 },
  { ...valid, sender_name: undefined },
  { ...valid, timestamp_ms: -1 },
  { ...valid, timestamp_ms: 1.5 },
  { ...valid, timestamp_ms: '1' },
  { ...valid, timestamp_ms: Number.POSITIVE_INFINITY },
  { ...valid, timestamp_ms: 2 ** 60 },
  { ...valid, timestamp_ms: Number.MAX_SAFE_INTEGER },
  { ...valid, timestamp_ms: Date.UTC(10000, 0, 1) },
  { ...valid, reactions: [{ reaction: 'x', actor: 'y', timestamp: 1e14 }] },
  { ...valid, reactions: [{ reaction: 'x', actor: 'y', timestamp: Number.NaN }] },
  { ...valid, content: 5 },
  { ...valid, content: null },
  { ...valid, photos: {} },
  { ...valid, photos: [{}] },
  { ...valid, photos: [{ uri: 'a', creation_timestamp: 'x' }] },
  { ...valid, videos: [null] },
  { ...valid, audio_files: [{ uri: 3 }] },
  { ...valid, gifs: 'a.gif' },
  { ...valid, files: [[]] },
  { ...valid, sticker: [] },
  { ...valid, sticker: { uri: null } },
  { ...valid, share: 'x' },
  { ...valid, share: { link: 1 } },
  { ...valid, share: { original_content_owner: {} } },
  { ...valid, share: { profile_share_username: [] } },
  { ...valid, reactions: {} },
  { ...valid, reactions: [{ reaction: 'x' }] },
  { ...valid, reactions: [{ reaction: 'x', actor: 'y', timestamp: 'z' }] },
  { ...valid, call_duration: '3' },
  { ...valid, is_unsent: 1 },
  { ...valid, is_unsent: null },
  { ...valid, type: false },
];

describe('isMetaMessage', () => {
  it('never accepts what metaMessageSchema rejects', () => {
    for (const value of variants) {
      if (isMetaMessage(value)) expect(metaMessageSchema.safeParse(value).success, JSON.stringify(value)).toBe(true);
    }
  });

  it('accepts the usual messages, so zod is rarely asked', () => {
    expect(isMetaMessage(valid)).toBe(true);
    expect(isMetaMessage({ sender_name: 'a', timestamp_ms: 0 })).toBe(true);
    expect(isMetaMessage({ ...valid, content: null, is_unsent: null })).toBe(true);
    expect(isMetaMessage({ ...valid, timestamp_ms: Date.UTC(9999, 11, 31) })).toBe(true);
    expect(variants.filter((value) => isMetaMessage(value))).toHaveLength(4);
  });
});

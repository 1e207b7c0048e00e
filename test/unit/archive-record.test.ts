import { describe, expect, it } from 'vitest';
import { archiveRecordRest, rebuildArchiveRecord } from '../../src/archive/archive-record.js';
import type { MetaMessage } from '../../src/archive/meta-schema.js';

/** What the importer stores of a record: the columns rebuildArchiveRecord reads, and raw. */
function stored(record: Record<string, unknown>) {
  const meta = record as unknown as MetaMessage;
  return {
    senderName: meta.sender_name,
    sentAt: meta.timestamp_ms,
    text: meta.content || null,
    raw: archiveRecordRest(meta),
  };
}

const FLAGS = { is_geoblocked_for_viewer: false, is_unsent_image_by_messenger_kid_parent: false };

describe('archive record rest', () => {
  it('keeps nothing for a plain text message and rebuilds it without the always-false flags', () => {
    const record = { sender_name: 'Zoë Müller', timestamp_ms: 1_700_000_000_123, content: 'hallo 👋', ...FLAGS };
    const row = stored(record);
    expect(row.raw).toBeNull();
    expect(rebuildArchiveRecord(row)).toEqual({
      sender_name: 'Zoë Müller',
      timestamp_ms: 1_700_000_000_123,
      content: 'hallo 👋',
    });
  });

  it('keeps reactions, media, shares and unknown fields, and rebuilds the record exactly', () => {
    const record = {
      sender_name: 'Alex Kim',
      timestamp_ms: 1_718_368_145_000,
      content: 'look',
      photos: [{ uri: 'messages/inbox/zoe_1/photos/1.jpg', creation_timestamp: 1_718_368_145 }],
      reactions: [{ reaction: '😂', actor: 'Zoë Müller', timestamp: 1_718_368_150 }],
      share: { link: 'https://www.instagram.com/reel/x/', share_text: 'Sunday ☀️' },
      some_future_field: { nested: [1, 2, 3] },
      ...FLAGS,
    };
    const row = stored(record);
    expect(JSON.parse(row.raw!)).toEqual({
      photos: record.photos,
      reactions: record.reactions,
      share: record.share,
      some_future_field: record.some_future_field,
    });
    const { is_geoblocked_for_viewer: _a, is_unsent_image_by_messenger_kid_parent: _b, ...withoutFlags } = record;
    expect(rebuildArchiveRecord(row)).toEqual(withoutFlags);
  });

  it('keeps an empty content and a flag that is true, which the columns cannot tell', () => {
    const record = { sender_name: 'Alex Kim', timestamp_ms: 1, content: '', is_geoblocked_for_viewer: true };
    const row = stored(record);
    expect(row.text).toBeNull();
    expect(JSON.parse(row.raw!)).toEqual({ content: '', is_geoblocked_for_viewer: true });
    expect(rebuildArchiveRecord(row)).toEqual(record);
  });

  it('rebuilds a record without content when the message had none', () => {
    const record = { sender_name: 'Alex Kim', timestamp_ms: 5, photos: [{ uri: 'a.jpg' }] };
    expect(rebuildArchiveRecord(stored(record))).toEqual(record);
  });
});

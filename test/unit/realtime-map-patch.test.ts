// Message-sync payloads → igtg events, with the real shapes from shared/formats/ig-realtime-patch.json.
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { User } from '../../src/core/model.js';
import { decodeSyncPayload, eventsOfSync, type PatchContext } from '../../src/realtime/map-patch.js';

const THREAD = '340282366841710300949128132093642477303';
const ITEM = '30074058301494429533411605882077184';
const zoe: User = { id: '1948527266', username: 'zoe.mueller', fullName: 'Zoë Müller', profilePicUrl: null };
const ctx: PatchContext = {
  viewerId: '1098765432',
  viewerName: 'Alex Kim',
  usersOf: (threadId) => new Map(threadId === THREAD ? [[zoe.id, zoe]] : []),
};

const capture = [
  {
    event: 'patch',
    data: [
      {
        op: 'add',
        path: `/direct_v2/threads/${THREAD}/items/${ITEM}`,
        value: `{"item_id": "${ITEM}", "user_id": 1948527266, "timestamp": 1630317967296799, "item_type": "text", "text": "p\\u1eb7c p\\u1eb7c", "client_context": "6838049163048278514"}`,
      },
    ],
    seq_id: 201,
  },
  {
    event: 'patch',
    data: [
      { op: 'replace', path: '/direct_v2/inbox/unseen_count', value: '1', ts: '1111111111111111', doublePublish: true },
      { op: 'add', path: `/direct_v2/threads/${THREAD}/activity_indicator_id/123`, value: '{"activity_status": 1}' },
    ],
  },
  {
    action: 'item_ack',
    status_code: '200',
    payload: { client_context: 'x', item_id: '1', thread_id: THREAD },
    status: 'ok',
  },
];

describe('message-sync mapping', () => {
  it('maps an added item with the sync mapper and skips non-message paths and acks', () => {
    const events = eventsOfSync(capture, ctx);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'item',
      op: 'add',
      message: {
        id: ITEM,
        threadId: THREAD,
        senderId: '1948527266',
        senderName: 'Zoë Müller',
        text: 'pặc pặc',
        sentAt: 1630317967296,
        kind: 'text',
        fromMe: false,
        clientContext: '6838049163048278514',
      },
    });
  });

  it('reads deflated and plain payloads alike', () => {
    const plain = Buffer.from(JSON.stringify(capture));
    expect(decodeSyncPayload(deflateSync(plain))).toEqual(capture);
    expect(decodeSyncPayload(plain)).toEqual(capture);
    expect(() => decodeSyncPayload(Buffer.from('not json'))).toThrow();
  });

  it('maps reactions (likes and emojis, added and removed), removals and replacements', () => {
    const base = `/direct_v2/threads/${THREAD}/items/${ITEM}`;
    const events = eventsOfSync(
      [
        {
          event: 'patch',
          data: [
            {
              op: 'add',
              path: `${base}/reactions/likes/1948527266`,
              value: '{"sender_id": 1948527266, "timestamp": "1630317967296799"}',
            },
            {
              op: 'add',
              path: `${base}/reactions/emojis/1098765432`,
              value: '{"emoji": "😂", "timestamp": 1630317967296799}',
            },
            { op: 'remove', path: `${base}/reactions/emojis/1948527266` },
            { op: 'remove', path: base, value: ITEM },
            {
              op: 'replace',
              path: base,
              value: `{"item_id": "${ITEM}", "user_id": 1098765432, "timestamp": 1630317967296799, "item_type": "text", "text": "edited"}`,
            },
          ],
        },
      ],
      ctx,
    );
    expect(events.map((event) => event.type)).toEqual(['reaction', 'reaction', 'reaction', 'removal', 'item']);
    expect(events[0]).toMatchObject({
      event: {
        itemId: ITEM,
        removed: false,
        reaction: { emoji: '❤️', actor: 'zoe.mueller', actorId: '1948527266', at: 1630317967296 },
      },
    });
    expect(events[1]).toMatchObject({
      event: { removed: false, reaction: { emoji: '😂', actor: 'Alex Kim', actorId: '1098765432' } },
    });
    expect(events[2]).toMatchObject({ event: { removed: true, reaction: { actorId: '1948527266' } } });
    expect(events[3]).toEqual({ type: 'removal', event: { threadId: THREAD, itemId: ITEM } });
    expect(events[4]).toMatchObject({
      type: 'item',
      op: 'replace',
      message: { text: 'edited', fromMe: true, senderName: 'Alex Kim' },
    });
  });

  it('keeps unknown item types as unsupported and skips items without id or time', () => {
    const events = eventsOfSync(
      [
        {
          event: 'patch',
          data: [
            {
              op: 'add',
              path: `/direct_v2/threads/${THREAD}/items/1`,
              value: '{"item_id": "1", "timestamp": 1630317967296799, "item_type": "brand_new_type"}',
            },
            { op: 'add', path: `/direct_v2/threads/${THREAD}/items/2`, value: '{"item_id": "2", "item_type": "text"}' },
            { op: 'add', path: `/direct_v2/threads/${THREAD}/items/3`, value: 'not json' },
          ],
        },
      ],
      ctx,
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'item', message: { id: '1', kind: 'unsupported' } });
  });
});

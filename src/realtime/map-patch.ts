// One /ig_message_sync (topic 146) payload → igtg events. The payload is JSON, zlib-deflated when
// its first byte is 0x78: an array of `{event: 'patch', seq_id, data: [{op, path, value}]}` where
// `value` is itself a JSON string (shared/formats/ig-realtime-patch.json). Items go through the
// same mapper as sync (src/instagram/map-item.ts); reactions ride in the path
// (/items/<iid>/reactions/likes|emojis/<user id>); op remove on an item path is an unsend.
// Other paths (unseen counts, typing, seen markers) are not messages and are ignored.
import { inflateSync } from 'node:zlib';
import type { Message, Reaction, User } from '../core/model.js';
import { idString, igTimeToMs, obj, str, type Json } from '../instagram/ig-values.js';
import { mapItem } from '../instagram/map-item.js';
import type { ItemOp, RealtimeReaction, RealtimeRemoval } from './port.js';

export interface PatchContext {
  viewerId: string | null;
  viewerName: string | null;
  /** Known users of a thread (for sender names); an empty map is fine. */
  usersOf(threadId: string): ReadonlyMap<string, User>;
}

export type PatchEvent =
  | { type: 'item'; op: ItemOp; message: Message }
  | { type: 'reaction'; event: RealtimeReaction }
  | { type: 'removal'; event: RealtimeRemoval };

const ITEM_PATH = /^\/direct_v2\/threads\/([^/]+)\/items\/([^/]+)$/;
const REACTION_PATH = /^\/direct_v2\/threads\/([^/]+)\/items\/([^/]+)\/reactions\/(likes|emojis)\/([^/]+)$/;

/** Inflates (when deflated) and parses a message-sync payload; throws on unreadable input. */
export function decodeSyncPayload(payload: Buffer): unknown[] {
  const text =
    payload.length > 0 && payload[0] === 0x78 ? inflateSync(payload).toString('utf8') : payload.toString('utf8');
  const parsed: unknown = JSON.parse(text);
  return Array.isArray(parsed) ? parsed : [parsed];
}

function parseValue(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function reactionOf(op: string, match: RegExpMatchArray, value: unknown, ctx: PatchContext): RealtimeReaction {
  const [, threadId, itemId, , userId] = match as unknown as [string, string, string, string, string];
  const data = obj(parseValue(value)) ?? {};
  const actorId = idString(data.sender_id) ?? userId;
  const user = ctx.usersOf(threadId).get(actorId);
  const isViewer = actorId === ctx.viewerId;
  const reaction: Reaction = {
    // Likes carry no emoji: Instagram shows them as a heart.
    emoji: str(data.emoji) ?? '❤️',
    actor: user?.username ?? (isViewer ? (ctx.viewerName ?? 'me') : actorId),
    actorId,
    at: igTimeToMs(data.timestamp),
  };
  return { threadId, itemId, removed: op === 'remove', reaction };
}

function itemOf(op: ItemOp, threadId: string, itemId: string, value: unknown, ctx: PatchContext): Message | null {
  const item: Json | null = obj(parseValue(value));
  if (!item) return null;
  const raw: Json = { ...item, item_id: item.item_id ?? itemId };
  return mapItem(raw, { threadId, viewerId: ctx.viewerId, viewerName: ctx.viewerName, users: ctx.usersOf(threadId) });
}

/** Events of one decoded payload, in order. Entries that are not messages are skipped. */
export function eventsOfSync(entries: unknown[], ctx: PatchContext): PatchEvent[] {
  const events: PatchEvent[] = [];
  for (const entry of entries) {
    const patch = obj(entry);
    if (!patch || !Array.isArray(patch.data)) continue;
    for (const rawOp of patch.data) {
      const operation = obj(rawOp);
      const path = str(operation?.path);
      const op = str(operation?.op);
      if (!operation || !path || !op) continue;
      const reaction = path.match(REACTION_PATH);
      if (reaction) {
        if (op === 'add' || op === 'replace' || op === 'remove')
          events.push({ type: 'reaction', event: reactionOf(op, reaction, operation.value, ctx) });
        continue;
      }
      const item = path.match(ITEM_PATH);
      if (!item) continue;
      const [, threadId, itemId] = item as unknown as [string, string, string];
      if (op === 'remove') {
        events.push({ type: 'removal', event: { threadId, itemId } });
      } else if (op === 'add' || op === 'replace') {
        const message = itemOf(op, threadId, itemId, operation.value, ctx);
        if (message) events.push({ type: 'item', op, message });
      }
    }
  }
  return events;
}

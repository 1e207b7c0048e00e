// Message-sync (/ig_message_sync, topic 146) payloads as Instagram sends them: a JSON array of
// patches whose `value` is a JSON string (shared/formats/ig-realtime-patch.json), deflated.
import { deflateSync } from 'node:zlib';

export interface PatchOp {
  op: 'add' | 'replace' | 'remove';
  path: string;
  value?: string;
}

export function itemPath(threadId: string, itemId: string): string {
  return `/direct_v2/threads/${threadId}/items/${itemId}`;
}

export function itemOp(threadId: string, item: Record<string, unknown>, op: 'add' | 'replace' = 'add'): PatchOp {
  return { op, path: itemPath(threadId, String(item.item_id)), value: JSON.stringify(item) };
}

export function reactionOp(
  threadId: string,
  itemId: string,
  userId: string,
  emoji: string | null,
  op: 'add' | 'remove' = 'add',
): PatchOp {
  const kind = emoji ? 'emojis' : 'likes';
  const value = JSON.stringify({
    sender_id: userId,
    timestamp: String(Date.now() * 1000),
    client_context: null,
    ...(emoji ? { emoji } : {}),
  });
  return { op, path: `${itemPath(threadId, itemId)}/reactions/${kind}/${userId}`, value };
}

export function removalOp(threadId: string, itemId: string): PatchOp {
  return { op: 'remove', path: itemPath(threadId, itemId), value: itemId };
}

let seq = 1000;

export function syncPayload(ops: PatchOp[], options: { deflate?: boolean } = {}): Buffer {
  seq += 1;
  const body = Buffer.from(
    JSON.stringify([
      { event: 'patch', data: ops, message_type: 1, seq_id: seq, mutation_token: String(seq), realtime: true },
    ]),
  );
  return options.deflate === false ? body : deflateSync(body, { level: 9 });
}

/** A text item like the real capture, with a microsecond timestamp. */
export function textItem(
  itemId: string,
  userId: string,
  text: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    item_id: itemId,
    user_id: Number(userId),
    timestamp: Date.now() * 1000,
    item_type: 'text',
    text,
    client_context: `cc-${itemId}`,
    show_forward_attribution: false,
    is_shh_mode: false,
    ...extra,
  };
}

// What `raw` keeps of an archive message. The message's own columns already hold the sender, the
// time and the text, and Meta writes two flags that are false on every message; storing all of it
// again made each row twice as big (and the import a third slower). So raw holds the rest of the
// record — reactions, photos, share, anything unknown — or null when nothing is left, and
// rebuildArchiveRecord() puts the record back together for re-parsing.
import type { Message } from '../core/model.js';
import type { MetaMessage } from './meta-schema.js';

const ALWAYS_FALSE = new Set(['is_geoblocked_for_viewer', 'is_unsent_image_by_messenger_kid_parent']);

/** The fields of the record that the message's columns do not hold, as JSON; null when none. */
export function archiveRecordRest(record: MetaMessage): string | null {
  let rest: Record<string, unknown> | null = null;
  for (const key of Object.keys(record)) {
    const value = (record as unknown as Record<string, unknown>)[key];
    if (key === 'sender_name' || key === 'timestamp_ms') continue;
    // An empty content is stored as text null, so only a non-empty one can be rebuilt from the column.
    if (key === 'content' && typeof value === 'string' && value !== '') continue;
    if (value === false && ALWAYS_FALSE.has(key)) continue;
    (rest ??= {})[key] = value;
  }
  return rest === null ? null : JSON.stringify(rest);
}

/** The archive record of a message stored from a current or 2020–23 archive (without the false flags). */
export function rebuildArchiveRecord(message: Pick<Message, 'senderName' | 'sentAt' | 'text' | 'raw'>): MetaMessage {
  const rest = message.raw === null ? {} : (JSON.parse(message.raw) as Partial<MetaMessage>);
  const record: Record<string, unknown> = { sender_name: message.senderName, timestamp_ms: message.sentAt };
  if (message.text !== null && !('content' in rest)) record.content = message.text;
  return { ...record, ...rest } as unknown as MetaMessage;
}

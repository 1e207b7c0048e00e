// A model message as the fields of its document, and when a re-written message counts as changed.
// Both follow the SQLite adapter so the two stores agree on seq and on search statistics.
import { StoreError } from '../../core/errors.js';
import type { Message } from '../../core/model.js';
import { normalizeForSearch } from '../search-query.js';
import { jsonClone, wellFormed, type MessageDoc } from './documents.js';
import { joinTokens, searchTokens } from '../search-tokens.js';

/** A message document without its store-given `_id` and `seq`. */
export type MessageFields = Omit<MessageDoc, '_id' | 'seq'>;

function invalid(message: Message, what: string): StoreError {
  const id = typeof message?.id === 'string' ? message.id : '?';
  return new StoreError(`cannot store message ${id}: ${what}`);
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function validate(message: Message): void {
  if (!isText(message.id)) throw invalid(message, 'it has no id');
  if (!isText(message.threadId)) throw invalid(message, 'it has no thread id');
  if (typeof message.sentAt !== 'number' || !Number.isFinite(message.sentAt)) {
    throw invalid(message, 'its time is not a number of ms');
  }
  if (typeof message.senderName !== 'string') throw invalid(message, 'it has no sender name');
  if (!isText(message.kind)) throw invalid(message, 'it has no kind');
  if (!Array.isArray(message.media) || !Array.isArray(message.reactions)) {
    throw invalid(message, 'media and reactions must be lists');
  }
}

export function messageToFields(original: Message): MessageFields {
  validate(original);
  const message = wellFormed(original);
  const text = message.text ?? null;
  const shareText = message.share?.text ?? null;
  const textWords = searchTokens(text ?? '');
  const shareWords = searchTokens(shareText ?? '');
  return {
    threadId: message.threadId,
    id: message.id,
    senderId: message.senderId ?? null,
    senderName: message.senderName,
    senderNorm: normalizeForSearch(message.senderName),
    sentAt: Math.round(message.sentAt),
    kind: message.kind,
    text,
    media: jsonClone(message.media),
    share: message.share ? jsonClone(message.share) : null,
    replyTo: message.replyTo ?? null,
    reactions: jsonClone(message.reactions),
    unsent: message.unsent === true,
    fromMe: message.fromMe === true,
    source: message.source,
    clientContext: message.clientContext ?? null,
    raw: message.raw ?? null,
    searchText: joinTokens(textWords),
    shareSearchText: joinTokens(shareWords),
    tokens: [...new Set([...textWords, ...shareWords])],
    wordCount: textWords.length + shareWords.length,
    searchable: text !== null || shareText !== null,
  };
}

/** The stored fields compared to decide whether a re-written message changed. */
export type ComparedFields = Pick<
  MessageFields,
  'senderId' | 'senderName' | 'kind' | 'text' | 'media' | 'share' | 'replyTo' | 'reactions' | 'unsent' | 'fromMe'
>;

export const COMPARED_PROJECTION = {
  senderId: 1,
  senderName: 1,
  kind: 1,
  text: 1,
  media: 1,
  share: 1,
  replyTo: 1,
  reactions: 1,
  unsent: 1,
  fromMe: 1,
  wordCount: 1,
  searchable: 1,
} as const;

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * True when `next` differs from what is stored. A missing sender id in `next` is not a change:
 * the stored one is kept (as are raw and client context, which are not compared).
 */
export function contentChanged(stored: ComparedFields, next: MessageFields): boolean {
  return (
    stored.senderName !== next.senderName ||
    stored.kind !== next.kind ||
    (stored.text ?? null) !== next.text ||
    (stored.share?.text ?? null) !== (next.share?.text ?? null) ||
    !sameJson(stored.media?.length ? stored.media : null, next.media.length ? next.media : null) ||
    !sameJson(stored.share, next.share) ||
    (stored.replyTo ?? null) !== next.replyTo ||
    !sameJson(stored.reactions?.length ? stored.reactions : null, next.reactions.length ? next.reactions : null) ||
    stored.unsent !== next.unsent ||
    stored.fromMe !== next.fromMe ||
    (next.senderId !== null && stored.senderId !== next.senderId)
  );
}

/** The $set of an update to a changed message: sentAt never moves; absent ids and raw are kept. */
export function changedFieldsUpdate(next: MessageFields, seq: number): Partial<MessageDoc> {
  const { threadId: _threadId, id: _id, sentAt: _sentAt, senderId, clientContext, raw, ...rest } = next;
  const set: Partial<MessageDoc> = { ...rest, seq };
  if (senderId !== null) set.senderId = senderId;
  if (clientContext !== null) set.clientContext = clientContext;
  if (raw !== null) set.raw = raw;
  return set;
}

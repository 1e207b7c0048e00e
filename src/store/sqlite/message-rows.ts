// Message <-> row mapping. JSON columns hold the nested parts; empty lists are stored as NULL.
import type { Message, MediaRef, Reaction, Share } from '../../core/model.js';
import { StoreError } from '../../core/errors.js';
import { normalizeForSearch } from '../search-query.js';
import { bit, parseJson } from './connection.js';

/** Messages with their thread's id: select MESSAGE_COLUMNS FROM MESSAGE_FROM. */
export const MESSAGE_FROM = 'messages m JOIN threads t ON t.tk = m.tk';

export const MESSAGE_COLUMNS =
  't.id AS thread_id, m.id, m.sender_id, m.sender_name, m.sent_at, m.kind, m.text, m.media, m.share, m.reply_to, m.reactions, m.unsent, m.from_me, m.source, m.client_context, m.raw';

export interface MessageRow {
  thread_id: string;
  id: string;
  sender_id: string | null;
  sender_name: string;
  sent_at: number;
  kind: string;
  text: string | null;
  media: string | null;
  share: string | null;
  reply_to: string | null;
  reactions: string | null;
  unsent: number;
  from_me: number;
  source: string;
  client_context: string | null;
  raw: string | null;
}

export function rowToMessage(row: MessageRow): Message {
  return {
    id: row.id,
    threadId: row.thread_id,
    senderId: row.sender_id,
    senderName: row.sender_name,
    sentAt: row.sent_at,
    kind: row.kind as Message['kind'],
    text: row.text,
    media: parseJson<MediaRef[]>(row.media, []),
    share: parseJson<Share | null>(row.share, null),
    replyTo: row.reply_to,
    reactions: parseJson<Reaction[]>(row.reactions, []),
    unsent: row.unsent === 1,
    fromMe: row.from_me === 1,
    source: row.source as Message['source'],
    clientContext: row.client_context,
    raw: row.raw,
  };
}

/** Parameters of the insert and update statements in write-batch.ts. */
export interface MessageParams {
  threadId: string;
  /** The thread's key in the messages table; filled in by write-batch.ts. */
  tk: number;
  id: string;
  senderId: string | null;
  senderName: string;
  senderNorm: string;
  sentAt: number;
  kind: string;
  text: string | null;
  shareText: string | null;
  media: string | null;
  share: string | null;
  replyTo: string | null;
  reactions: string | null;
  unsent: number;
  fromMe: number;
  source: string;
  clientContext: string | null;
  raw: string | null;
  seq: number;
}

function invalid(message: Message, what: string): StoreError {
  const id = typeof message?.id === 'string' ? message.id : '?';
  return new StoreError(`cannot store message ${id}: ${what}`);
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/** Normalized sender names: a batch has few distinct senders and many messages. */
const senderNorms = new Map<string, string>();

export function senderNorm(name: string): string {
  let norm = senderNorms.get(name);
  if (norm === undefined) {
    if (senderNorms.size > 10_000) senderNorms.clear();
    norm = normalizeForSearch(name);
    senderNorms.set(name, norm);
  }
  return norm;
}

export function blankParams(): MessageParams {
  return {
    threadId: '',
    tk: 0,
    id: '',
    senderId: null,
    senderName: '',
    senderNorm: '',
    sentAt: 0,
    kind: '',
    text: null,
    shareText: null,
    media: null,
    share: null,
    replyTo: null,
    reactions: null,
    unsent: 0,
    fromMe: 0,
    source: '',
    clientContext: null,
    raw: null,
    seq: 0,
  };
}

/**
 * A message's row, checked; `tk` and `seq` are filled in when it is written. With `into`, that
 * object is filled instead of a new one (packing a batch reuses one).
 */
export function messageParams(message: Message, into: MessageParams = blankParams()): MessageParams {
  if (!isText(message.id)) throw invalid(message, 'it has no id');
  if (!isText(message.threadId)) throw invalid(message, 'it has no thread id');
  if (typeof message.sentAt !== 'number' || !Number.isFinite(message.sentAt))
    throw invalid(message, 'its time is not a number of ms');
  if (typeof message.senderName !== 'string') throw invalid(message, 'it has no sender name');
  if (!isText(message.kind)) throw invalid(message, 'it has no kind');
  if (!Array.isArray(message.media) || !Array.isArray(message.reactions))
    throw invalid(message, 'media and reactions must be lists');
  into.threadId = message.threadId;
  into.id = message.id;
  into.senderId = message.senderId ?? null;
  into.senderName = message.senderName;
  into.senderNorm = senderNorm(message.senderName);
  into.sentAt = Math.round(message.sentAt);
  into.kind = message.kind;
  into.text = message.text ?? null;
  into.shareText = message.share?.text ?? null;
  into.media = message.media.length > 0 ? JSON.stringify(message.media) : null;
  into.share = message.share ? JSON.stringify(message.share) : null;
  into.replyTo = message.replyTo ?? null;
  into.reactions = message.reactions.length > 0 ? JSON.stringify(message.reactions) : null;
  into.unsent = bit(message.unsent);
  into.fromMe = bit(message.fromMe);
  into.source = message.source;
  into.clientContext = message.clientContext ?? null;
  into.raw = message.raw ?? null;
  return into;
}

// Archive records → igtg's model (the same records `igtg sync` produces for the API).
import {
  emptyMedia,
  type MediaKind,
  type MediaRef,
  type Message,
  type Reaction,
  type Share,
  type Thread,
  type User,
} from '../core/model.js';
import { mimeFromExtension, mediaExtension } from '../media/content-store.js';
import { archiveRecordRest } from './archive-record.js';
import { classifyMessage, hasShare } from './classify.js';
import { hasMedia, mediaItems } from './media-items.js';
import type { MetaMedia, MetaMessage } from './meta-schema.js';
import type { MessageIdSequence } from './message-id.js';
import type { ParsedThreadFile } from './thread-file.js';

export const archiveThreadId = (folder: string): string => `archive:${folder}`;
export const archiveUserId = (name: string): string => `archive:${name}`;

export function toUser(name: string, isUsername: boolean): User {
  return {
    id: archiveUserId(name),
    username: isUsername ? name : null,
    fullName: isUsername ? null : name,
    profilePicUrl: null,
  };
}

export interface ThreadFacts {
  folder: string;
  title: string | null;
  participants: string[];
  isGroup: boolean;
  isRequest: boolean;
  lastActivityAt: number | null;
  /** Legacy archives list usernames, the others display names. */
  namesAreUsernames: boolean;
}

export function toThread(facts: ThreadFacts, owner: string | null): Thread {
  const others = facts.participants.filter((name) => name !== owner);
  const title = facts.title?.trim() || others.join(', ') || facts.participants.join(', ') || facts.folder;
  return {
    id: archiveThreadId(facts.folder),
    title,
    isGroup: facts.isGroup,
    isRequest: facts.isRequest,
    participants: facts.participants.map((name) => ({
      userId: archiveUserId(name),
      name,
      username: facts.namesAreUsernames ? name : null,
    })),
    lastActivityAt: facts.lastActivityAt,
    source: 'archive',
    archiveFolder: facts.folder,
  };
}

/** Where a media file of the archive ended up: its content-addressed path, or null when not kept. */
export type MediaLookup = (uri: string) => string | null;

function mediaRef(item: MetaMedia, kind: MediaKind, lookup: MediaLookup): MediaRef {
  if (/^https?:\/\//i.test(item.uri))
    return emptyMedia(kind, { url: item.uri, mime: mimeFromExtension(mediaExtension(item.uri)) });
  return emptyMedia(kind, {
    name: item.uri,
    path: lookup(item.uri),
    mime: mimeFromExtension(mediaExtension(item.uri)),
  });
}

export function mediaOf(message: MetaMessage, lookup: MediaLookup): MediaRef[] {
  const media: MediaRef[] = [];
  if (!hasMedia(message)) return media;
  const add = (list: MetaMedia[] | null | undefined, kind: MediaKind) => {
    if (list) for (const item of list) media.push(mediaRef(item, kind, lookup));
  };
  add(message.photos, 'photo');
  add(message.videos, 'video');
  add(message.audio_files, 'audio');
  add(message.gifs, 'gif');
  if (message.sticker) media.push(mediaRef(message.sticker, 'sticker', lookup));
  add(message.files, 'file');
  return media;
}

/** Every archive-relative media uri of a message (for copying before mapping). */
export function mediaUris(message: MetaMessage): string[] {
  return mediaItems(message)
    .map((item) => item.uri)
    .filter((uri) => !/^[a-z][a-z0-9+.-]*:/i.test(uri));
}

function shareOf(message: MetaMessage): Share | null {
  if (!hasShare(message)) return null;
  const share = message.share!;
  return {
    url: share.link || null,
    text: share.share_text || null,
    owner: share.original_content_owner || share.profile_share_username || null,
  };
}

function reactionsOf(message: MetaMessage): Reaction[] {
  if (!message.reactions) return [];
  return message.reactions.map((reaction) => ({
    emoji: reaction.reaction,
    actor: reaction.actor,
    actorId: null,
    at: reaction.timestamp != null ? reaction.timestamp * 1000 : null,
  }));
}

export interface MapContext {
  threadId: string;
  owner: string | null;
  ids: MessageIdSequence;
  media: MediaLookup;
}

/**
 * Appends the page's messages to `out`, oldest first (files store them newest first). With `limit`,
 * only that many, continuing from `start` (an index counted from the oldest); returns the next start.
 */
export function appendMessages(
  page: ParsedThreadFile,
  context: MapContext,
  out: Message[],
  start = 0,
  limit = Number.POSITIVE_INFINITY,
): number {
  const end = Math.min(page.messages.length, start + limit);
  for (let i = page.messages.length - 1 - start; i >= page.messages.length - end; i -= 1) {
    const message = page.messages[i]!;
    const { kind, unsent } = classifyMessage(message);
    out.push({
      id: context.ids.next(message),
      threadId: context.threadId,
      senderId: null,
      senderName: message.sender_name,
      sentAt: page.sentAt?.[i] ?? message.timestamp_ms,
      kind,
      text: message.content || null,
      media: mediaOf(message, context.media),
      share: shareOf(message),
      replyTo: null,
      reactions: reactionsOf(message),
      unsent,
      fromMe: context.owner !== null && message.sender_name === context.owner,
      source: 'archive',
      clientContext: null,
      // Legacy items have another shape and stay whole; see archive-record.ts for the others.
      raw: page.raws ? JSON.stringify(page.raws[i]) : archiveRecordRest(message),
    });
  }
  return end;
}

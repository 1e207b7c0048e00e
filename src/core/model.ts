// igtg's own model. Every source (Instagram API, Meta's archive, realtime) is mapped into these
// records before it reaches the store; nothing here knows about any network or database.

/** Milliseconds since the Unix epoch (UTC). All times in the model use this unit. */
export type EpochMs = number;

export type Source = 'api' | 'archive';

export type MessageKind =
  | 'text'
  | 'link'
  | 'photo'
  | 'video'
  | 'audio'
  | 'gif'
  | 'sticker'
  | 'share'
  | 'call'
  | 'like'
  | 'system'
  | 'placeholder'
  | 'unsupported';

export interface User {
  /** Instagram pk as a string; for archive-only people a stable synthetic id `archive:<name>`. */
  id: string;
  username: string | null;
  fullName: string | null;
  profilePicUrl: string | null;
}

export interface Participant {
  userId: string | null;
  name: string;
  username: string | null;
}

export interface Thread {
  /** Instagram thread id (39-digit string) or `archive:<folder>` for threads only known from an archive. */
  id: string;
  title: string;
  isGroup: boolean;
  /** A message request (pending inbox / message_requests folder). */
  isRequest: boolean;
  participants: Participant[];
  /** Newest activity known for the thread, ms. */
  lastActivityAt: EpochMs | null;
  source: Source;
  /** Archive folder name (`zoemuller_17843920471234567`) when the thread was imported from an archive. */
  archiveFolder: string | null;
}

export type MediaKind = 'photo' | 'video' | 'audio' | 'gif' | 'sticker' | 'file';

export interface MediaRef {
  kind: MediaKind;
  /** Remote URL (API items) when known. */
  url: string | null;
  /** Path relative to the profile's media folder (content-addressed) once the file is kept locally. */
  path: string | null;
  /** Original file name or archive-relative path, for people reading exports. */
  name: string | null;
  mime: string | null;
  width: number | null;
  height: number | null;
  durationMs: number | null;
}

export interface Share {
  url: string | null;
  text: string | null;
  owner: string | null;
}

export interface Reaction {
  emoji: string;
  /** Display name (archive) or username (API) of who reacted. */
  actor: string;
  actorId: string | null;
  at: EpochMs | null;
}

export interface Message {
  /** Instagram item id, or a stable synthetic id `a:<hash>` for archive messages. */
  id: string;
  threadId: string;
  senderId: string | null;
  senderName: string;
  sentAt: EpochMs;
  kind: MessageKind;
  text: string | null;
  media: MediaRef[];
  share: Share | null;
  /** Id of the message this one replies to. */
  replyTo: string | null;
  reactions: Reaction[];
  unsent: boolean;
  /** Sent by the owner of the profile. */
  fromMe: boolean;
  source: Source;
  /** Instagram client_context (idempotency key for sends, echo suppression). */
  clientContext: string | null;
  /**
   * Kept for re-parsing: the API item JSON as received; for an archive message, the fields of its record
   * the other fields do not hold (src/archive/archive-record.ts rebuilds the record).
   */
  raw: string | null;
}

/** A thread as listed by `igtg threads`. */
export interface ThreadSummary extends Thread {
  messageCount: number;
  lastMessageAt: EpochMs | null;
}

export function emptyMedia(kind: MediaKind, fields: Partial<MediaRef> = {}): MediaRef {
  return {
    kind,
    url: null,
    path: null,
    name: null,
    mime: null,
    width: null,
    height: null,
    durationMs: null,
    ...fields,
  };
}

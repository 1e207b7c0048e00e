// The one JSON shape of a message for every machine-readable output (`show --json`, exports, search).
import type { Message, MediaRef, Reaction } from './model.js';
import { toIso } from './time.js';

export interface MessageJson {
  message_id: string;
  thread_id: string;
  sender: string;
  sender_id: string | null;
  text: string | null;
  sent_at: string;
  kind: string;
  media: MediaJson[];
  share: { url: string | null; text: string | null; owner: string | null } | null;
  reactions: Array<{ emoji: string; actor: string }>;
  reply_to: string | null;
  unsent: boolean;
  from_me: boolean;
  source: string;
}

export interface MediaJson {
  kind: string;
  /** Path relative to the profile's media folder when the file is kept locally. */
  path: string | null;
  url: string | null;
  name: string | null;
  mime: string | null;
}

function mediaJson(media: MediaRef): MediaJson {
  return { kind: media.kind, path: media.path, url: media.url, name: media.name, mime: media.mime };
}

function reactionJson(reaction: Reaction): { emoji: string; actor: string } {
  return { emoji: reaction.emoji, actor: reaction.actor };
}

export function messageToJson(message: Message): MessageJson {
  return {
    message_id: message.id,
    thread_id: message.threadId,
    sender: message.senderName,
    sender_id: message.senderId,
    text: message.text,
    sent_at: toIso(message.sentAt),
    kind: message.kind,
    media: message.media.map(mediaJson),
    share: message.share,
    reactions: message.reactions.map(reactionJson),
    reply_to: message.replyTo,
    unsent: message.unsent,
    from_me: message.fromMe,
    source: message.source,
  };
}

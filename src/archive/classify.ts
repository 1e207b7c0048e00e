// What kind of message an archive item is. Meta's archive has no type field (older Messenger-
// shaped ones had "Generic"/"Share"/"Call"), so system lines are recognised by their English text.
import type { MessageKind } from '../core/model.js';
import type { MetaMessage } from './meta-schema.js';

// Lines that stand alone, whoever sends them.
const CALL = [
  /^Missed an? (video|audio|voice) call\.?$/i,
  /^(Started|Joined) an? (video|audio|voice) (call|chat)\.?$/i,
  /^(The )?(video|audio|voice) (call|chat) ended\.?$/i,
];

const SYSTEM = [
  /^Reacted .+ to (your|\S+'s?|their|his|her) message\s*$/su,
  /^Changed (their|your|his|her) reaction to /i,
  /^This message was (deleted|removed|unavailable)/i,
];

const PLACEHOLDER = [/^Message unavailable\.?$/i];

// Lines Meta writes about what someone did: "You …" for the archive's owner, else the sender's own
// name (the actor is the sender). Matched after that prefix, so a friend's "You made my day!" or "I
// think he unsent a message" stays a text.
const ACTOR_CALL = [/^(started|joined|missed) an? (video|audio|voice) (call|chat)\.?$/];

const ACTOR_SYSTEM = [
  /^(created|named|renamed) the group\b/,
  /^(added|removed) .+ (to|from) the group\.?$/,
  /^(left|joined) the group\.?$/,
  /^changed the (group|theme|chat)\b/,
  /^set (the|your|his|her|their) nickname\b/,
  /^(pinned|unpinned) a message\.?$/,
  /^made .+ an? admin\.?$/,
  /^removed .+ as an? admin\.?$/,
  /^turned (on|off) (vanish mode|disappearing messages)\b/,
  /^approved .+ request/,
];

const ACTOR_UNSENT = /^unsent a message\.?$/;

const ACTOR_PLACEHOLDER = [/^sent an attachment\.?$/];

/**
 * One scan per flag set instead of one per pattern. Patterns are joined only with patterns of the
 * same flags: a case-insensitive pattern must not make its neighbours case-insensitive too.
 */
function anyOf(patterns: RegExp[]): (text: string) => boolean {
  const byFlags = new Map<string, string[]>();
  for (const re of patterns) byFlags.set(re.flags, [...(byFlags.get(re.flags) ?? []), `(?:${re.source})`]);
  const joined = [...byFlags].map(([flags, sources]) => new RegExp(sources.join('|'), flags));
  return (text) => joined.some((re) => re.test(text));
}

const isCallLine = anyOf(CALL);
const isSystemLine = anyOf(SYSTEM);
const isPlaceholderLine = anyOf(PLACEHOLDER);
const isActorCall = anyOf(ACTOR_CALL);
const isActorSystem = anyOf(ACTOR_SYSTEM);
const isActorPlaceholder = anyOf(ACTOR_PLACEHOLDER);

/** What a line says someone did ("left the group."), or null when it does not open with its actor. */
function actionOf(content: string, sender: string): string | null {
  if (content.startsWith('You ')) return content.slice(4);
  if (sender && content.startsWith(sender) && content.charCodeAt(sender.length) === 0x20) {
    return content.slice(sender.length + 1);
  }
  return null;
}

/** System lines are short; long texts are never scanned for them. */
const MAX_LINE = 300;

const URL_ONLY = /^https?:\/\/\S+$/i;

export function hasShare(message: MetaMessage): boolean {
  const share = message.share;
  return Boolean(
    share && (share.link || share.share_text || share.original_content_owner || share.profile_share_username),
  );
}

export function classifyMessage(message: MetaMessage): { kind: MessageKind; unsent: boolean } {
  const content = message.content ?? '';
  const short = content.length <= MAX_LINE;
  const action = short ? actionOf(content, message.sender_name) : null;
  const unsent = message.is_unsent === true || (action !== null && ACTOR_UNSENT.test(action));
  if (unsent) return { kind: 'system', unsent };
  if (message.photos?.length) return { kind: 'photo', unsent };
  if (message.videos?.length) return { kind: 'video', unsent };
  if (message.audio_files?.length) return { kind: 'audio', unsent };
  if (message.gifs?.length) return { kind: 'gif', unsent };
  if (message.sticker) return { kind: 'sticker', unsent };
  if (message.files?.length) return { kind: 'unsupported', unsent };
  if (hasShare(message)) return { kind: 'share', unsent };
  if (
    message.call_duration != null ||
    message.type === 'Call' ||
    (short && isCallLine(content)) ||
    (action !== null && isActorCall(action))
  ) {
    return { kind: 'call', unsent };
  }
  if (message.type === 'Heart' || content === 'Liked a message') return { kind: 'like', unsent };
  if (message.type === 'Action' || message.type === 'Subscribe' || message.type === 'Unsubscribe') {
    return { kind: 'system', unsent };
  }
  if ((short && isSystemLine(content)) || (action !== null && isActorSystem(action))) {
    return { kind: 'system', unsent };
  }
  if ((short && isPlaceholderLine(content)) || (action !== null && isActorPlaceholder(action))) {
    return { kind: 'placeholder', unsent };
  }
  if (URL_ONLY.test(content.trim())) return { kind: 'link', unsent };
  if (content) return { kind: 'text', unsent };
  return { kind: 'placeholder', unsent };
}

/** System lines the owner's own account writes ("You created the group."): evidence of who the owner is. */
export function isOwnSystemLine(content: string | null | undefined): boolean {
  if (!content?.startsWith('You ') || content.length > MAX_LINE) return false;
  const action = content.slice(4);
  return isActorSystem(action) || isActorPlaceholder(action) || ACTOR_UNSENT.test(action);
}

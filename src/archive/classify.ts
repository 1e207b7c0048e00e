// What kind of message an archive item is. Meta's archive has no type field (older Messenger-
// shaped ones had "Generic"/"Share"/"Call"), so system lines are recognised by their English text.
import type { MessageKind } from '../core/model.js';
import type { MetaMessage } from './meta-schema.js';

const CALL = [
  /^Missed an? (video|audio|voice) call\.?$/i,
  /^(Started|Joined) an? (video|audio|voice) (call|chat)\.?$/i,
  /^(The )?(video|audio|voice) (call|chat) ended\.?$/i,
  /\b(video|audio|voice) call (ended|started)\b/i,
];

const SYSTEM = [
  /^Reacted .+ to (your|\S+'s?|their|his|her) message\s*$/su,
  /^Changed (their|your|his|her) reaction to /i,
  / unsent a message\.?$/,
  /^You (created|named|renamed|added|removed|left|changed|set|joined|made|turned|approved|pinned|unpinned)\b/,
  / (created|named|renamed) the group\b/,
  / (added|removed) .+ (to|from) the group\b/,
  / (left|joined) the group\b/,
  / changed the (group|theme|chat)\b/,
  / set (the|your|his|her|their) nickname\b/,
  / (pinned|unpinned) a message\.?$/,
  /^This message was (deleted|removed|unavailable)/i,
];

const PLACEHOLDER = [/ sent an attachment\.?$/, /^Message unavailable\.?$/i];

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
  const unsent = message.is_unsent === true || / unsent a message\.?$/.test(content);
  if (unsent) return { kind: 'system', unsent };
  if (message.photos?.length) return { kind: 'photo', unsent };
  if (message.videos?.length) return { kind: 'video', unsent };
  if (message.audio_files?.length) return { kind: 'audio', unsent };
  if (message.gifs?.length) return { kind: 'gif', unsent };
  if (message.sticker) return { kind: 'sticker', unsent };
  if (message.files?.length) return { kind: 'unsupported', unsent };
  if (hasShare(message)) return { kind: 'share', unsent };
  const short = content.length <= MAX_LINE;
  if (message.call_duration != null || message.type === 'Call' || (short && isCallLine(content))) {
    return { kind: 'call', unsent };
  }
  if (message.type === 'Heart' || content === 'Liked a message') return { kind: 'like', unsent };
  if (message.type === 'Action' || message.type === 'Subscribe' || message.type === 'Unsubscribe') {
    return { kind: 'system', unsent };
  }
  if (short && isSystemLine(content)) return { kind: 'system', unsent };
  if (short && isPlaceholderLine(content)) return { kind: 'placeholder', unsent };
  if (URL_ONLY.test(content.trim())) return { kind: 'link', unsent };
  if (content) return { kind: 'text', unsent };
  return { kind: 'placeholder', unsent };
}

/** System lines the owner's own account writes ("You created the group."): evidence of who the owner is. */
export function isOwnSystemLine(content: string | null | undefined): boolean {
  return Boolean(
    content && /^You (created|named|renamed|added|removed|left|changed|set|sent|made|pinned|unpinned)\b/.test(content),
  );
}

// One raw direct item (private API JSON) → igtg's Message. Every item_type listed in
// shared/formats/ig-item-types.txt that carries content has a mapping; anything unknown or
// malformed becomes kind 'unsupported' with its raw JSON, so a changed API never stops a sync.
import {
  emptyMedia,
  type MediaRef,
  type Message,
  type MessageKind,
  type Reaction,
  type Share,
  type User,
} from '../core/model.js';
import { arr, idString, igTimeToMs, num, obj, str, type Json } from './ig-values.js';

export interface ItemContext {
  threadId: string;
  viewerId: string | null;
  /** Display name of the profile owner (for their own items). */
  viewerName: string | null;
  /** Thread participants and other known users by id. */
  users: ReadonlyMap<string, User>;
}

interface Content {
  kind: MessageKind;
  text?: string | null;
  media?: MediaRef[];
  share?: Share | null;
  unsent?: boolean;
}

const WEB = 'https://www.instagram.com';

function bestOf(list: unknown[]): Json | null {
  let best: Json | null = null;
  let bestArea = -1;
  for (const entry of list) {
    const candidate = obj(entry);
    if (!candidate || !str(candidate.url)) continue;
    const area = (num(candidate.width) ?? 0) * (num(candidate.height) ?? 0);
    if (area > bestArea) {
      best = candidate;
      bestArea = area;
    }
  }
  return best;
}

/** Photo or video of a media object (image_versions2 / video_versions), best candidate. */
function mediaOf(media: Json | null): MediaRef[] {
  if (!media) return [];
  const carousel = arr(media.carousel_media);
  if (carousel.length > 0) return carousel.flatMap((child) => mediaOf(obj(child)));
  const video = bestOf(arr(media.video_versions));
  if (video) {
    return [
      emptyMedia('video', {
        url: str(video.url),
        width: num(video.width) ?? num(media.original_width),
        height: num(video.height) ?? num(media.original_height),
        durationMs: num(media.video_duration) !== null ? Math.round(num(media.video_duration)! * 1000) : null,
        mime: 'video/mp4',
      }),
    ];
  }
  const image = bestOf(arr(obj(media.image_versions2)?.candidates));
  if (image) {
    return [
      emptyMedia('photo', {
        url: str(image.url),
        width: num(image.width) ?? num(media.original_width),
        height: num(image.height) ?? num(media.original_height),
        mime: 'image/jpeg',
      }),
    ];
  }
  return [];
}

function ownerOf(media: Json | null): string | null {
  return str(obj(media?.user)?.username);
}

function captionOf(media: Json | null): string | null {
  return str(obj(media?.caption)?.text);
}

function postShare(media: Json | null, path: 'p' | 'reel' | 'tv'): Share {
  const code = str(media?.code);
  return { url: code ? `${WEB}/${path}/${code}/` : null, text: captionOf(media), owner: ownerOf(media) };
}

function storyUrl(media: Json | null, ownerId: string | null, ctx: ItemContext): string | null {
  const owner = ownerOf(media) ?? (ownerId ? (ctx.users.get(ownerId)?.username ?? null) : null);
  const pk = idString(media?.pk) ?? idString(media?.id)?.split('_')[0] ?? null;
  if (owner && pk) return `${WEB}/stories/${owner}/${pk}/`;
  return owner ? `${WEB}/stories/${owner}/` : null;
}

/** xma_* payloads are arrays of "extensible message attachments" with a target_url. */
function xmaContent(value: unknown): Content {
  const first = obj(arr(value)[0]) ?? obj(value);
  if (!first) return { kind: 'share', share: { url: null, text: null, owner: null } };
  return {
    kind: 'share',
    share: {
      url: str(first.target_url),
      text: str(first.subtitle_text) ?? str(first.caption_body_text) ?? null,
      owner: str(first.title_text) ?? str(first.header_title_text) ?? null,
    },
  };
}

function viewOnce(payload: Json | null): Content {
  const media = obj(payload?.media) ?? payload;
  const type = num(media?.media_type);
  const what = type === 2 ? 'video' : 'photo';
  return { kind: 'placeholder', text: `[view-once ${what}: open Instagram to see it]` };
}

type Mapper = (item: Json, ctx: ItemContext) => Content;

const MAPPERS: Record<string, Mapper> = {
  text: (item) => ({ kind: 'text', text: str(item.text) }),
  link: (item) => {
    const link = obj(item.link);
    const context = obj(link?.link_context);
    return {
      kind: 'link',
      text: str(link?.text) ?? str(item.text),
      share: { url: str(context?.link_url), text: str(context?.link_title), owner: null },
    };
  },
  media: (item) => {
    const media = mediaOf(obj(item.media));
    return { kind: media[0]?.kind === 'video' ? 'video' : 'photo', media };
  },
  photo_attachment: (item) => ({ kind: 'photo', media: mediaOf(obj(item.photo_attachment) ?? obj(item.media)) }),
  video_attachment: (item) => ({ kind: 'video', media: mediaOf(obj(item.video_attachment) ?? obj(item.media)) }),
  media_share: (item) => {
    const media = obj(item.media_share);
    const isReel = num(media?.media_type) === 2 && str(media?.product_type) === 'clips';
    return { kind: 'share', share: postShare(media, isReel ? 'reel' : 'p'), media: [] };
  },
  clip: (item) => {
    // Double-nested: {"clip": {"clip": {...}}}.
    const outer = obj(item.clip);
    const media = obj(outer?.clip) ?? outer;
    return { kind: 'share', share: postShare(media, 'reel') };
  },
  felix_share: (item) => {
    const outer = obj(item.felix_share);
    return { kind: 'share', share: postShare(obj(outer?.video) ?? outer, 'tv') };
  },
  story_share: (item, ctx) => {
    const share = obj(item.story_share);
    const media = obj(share?.media);
    const text = str(share?.text) ?? (media ? null : (str(share?.message) ?? str(share?.title)));
    return {
      kind: 'share',
      text,
      share: { url: storyUrl(media, null, ctx), text: captionOf(media), owner: ownerOf(media) },
    };
  },
  reel_share: (item, ctx) => {
    const share = obj(item.reel_share);
    const media = obj(share?.media);
    const ownerId = idString(share?.reel_owner_id);
    return {
      kind: 'share',
      text: str(share?.text),
      share: {
        url: storyUrl(media, ownerId, ctx),
        text: str(share?.type),
        owner: ownerOf(media) ?? (ownerId ? (ctx.users.get(ownerId)?.username ?? null) : null),
      },
    };
  },
  animated_media: (item) => {
    const animated = obj(item.animated_media);
    const image = obj(obj(animated?.images)?.fixed_height);
    const sticker = animated?.is_sticker === true;
    const kind = sticker ? 'sticker' : 'gif';
    return {
      kind,
      media: image
        ? [
            emptyMedia(kind, {
              url: str(image.url),
              width: num(image.width),
              height: num(image.height),
              mime: 'image/gif',
            }),
          ]
        : [],
    };
  },
  voice_media: (item) => voiceOf(obj(item.voice_media)),
  voice_attachment: (item) => voiceOf(obj(item.voice_attachment) ?? obj(item.voice_media)),
  raven_media: (item) => viewOnce(obj(item.visual_media) ?? obj(item.raven_media)),
  visual_media: (item) => viewOnce(obj(item.visual_media)),
  expired_placeholder: () => ({ kind: 'placeholder', text: '[expired media]' }),
  like: (item) => ({ kind: 'like', text: str(item.like) ?? '❤️' }),
  action_log: (item) => ({ kind: 'system', text: str(obj(item.action_log)?.description) }),
  video_call_event: (item) => ({ kind: 'call', text: str(obj(item.video_call_event)?.description) }),
  placeholder: (item) => {
    const placeholder = obj(item.placeholder);
    const title = str(placeholder?.title);
    const message = str(placeholder?.message);
    return { kind: 'placeholder', text: [title, message].filter(Boolean).join(': ') || null };
  },
  static_sticker: (item) => stickerOf(obj(item.static_sticker)),
  avatar_sticker: (item) => stickerOf(obj(item.avatar_sticker)),
  selfie_sticker: (item) => stickerOf(obj(item.selfie_sticker)),
  profile: (item) => {
    const profile = obj(item.profile);
    const username = str(profile?.username);
    return {
      kind: 'share',
      share: { url: username ? `${WEB}/${username}/` : null, text: str(profile?.full_name), owner: username },
    };
  },
  hashtag: (item) => {
    const name = str(obj(item.hashtag)?.name);
    return {
      kind: 'share',
      share: {
        url: name ? `${WEB}/explore/tags/${encodeURIComponent(name)}/` : null,
        text: name ? `#${name}` : null,
        owner: null,
      },
    };
  },
  location: (item) => {
    const location = obj(item.location);
    const pk = idString(location?.pk);
    return {
      kind: 'share',
      share: { url: pk ? `${WEB}/explore/locations/${pk}/` : null, text: str(location?.name), owner: null },
    };
  },
  deletion: () => ({ kind: 'system', text: null, unsent: true }),
};

for (const type of [
  'xma_clip',
  'xma_media_share',
  'xma_story_share',
  'xma_reel_share',
  'xma_reel_mention',
  'xma_profile',
  'generic_xma',
]) {
  MAPPERS[type] = (item) => xmaContent(item[type]);
}

function voiceOf(payload: Json | null): Content {
  const audio = obj(obj(payload?.media)?.audio);
  return {
    kind: 'audio',
    media: audio
      ? [emptyMedia('audio', { url: str(audio.audio_src), durationMs: num(audio.duration), mime: 'audio/mp4' })]
      : [],
  };
}

function stickerOf(sticker: Json | null): Content {
  const image = bestOf(arr(obj(sticker?.image_versions2)?.candidates)) ?? obj(sticker?.image) ?? sticker;
  return {
    kind: 'sticker',
    media: [emptyMedia('sticker', { url: str(image?.url), width: num(image?.width), height: num(image?.height) })],
  };
}

/** The name of a sender the mapping has no user for (the realtime link looks such senders up later). */
export function placeholderSenderName(senderId: string): string {
  return `user ${senderId}`;
}

function senderNameOf(senderId: string | null, fromMe: boolean, ctx: ItemContext): string {
  if (fromMe && ctx.viewerName) return ctx.viewerName;
  const user = senderId ? ctx.users.get(senderId) : undefined;
  return user?.fullName || user?.username || (fromMe ? 'me' : senderId ? placeholderSenderName(senderId) : 'unknown');
}

function reactionsOf(item: Json, ctx: ItemContext): Reaction[] {
  const reactions = obj(item.reactions);
  if (!reactions) return [];
  const result: Reaction[] = [];
  const add = (entry: Json, emoji: string) => {
    const actorId = idString(entry.sender_id);
    const user = actorId ? ctx.users.get(actorId) : undefined;
    const isViewer = actorId !== null && actorId === ctx.viewerId;
    result.push({
      emoji,
      actor: user?.username ?? (isViewer ? (ctx.viewerName ?? 'me') : (actorId ?? 'unknown')),
      actorId,
      at: igTimeToMs(entry.timestamp),
    });
  };
  for (const like of arr(reactions.likes)) if (obj(like)) add(obj(like)!, '❤️');
  for (const emoji of arr(reactions.emojis)) {
    const entry = obj(emoji);
    if (entry) add(entry, str(entry.emoji) ?? '❤️');
  }
  return result;
}

/** Maps one item; null only when it has no id or time (nothing could be stored). */
export function mapItem(item: Json, ctx: ItemContext): Message | null {
  const id = idString(item.item_id);
  const sentAt = igTimeToMs(item.timestamp);
  if (!id || sentAt === null) return null;
  const senderId = idString(item.user_id);
  const fromMe = item.is_sent_by_viewer === true || (senderId !== null && senderId === ctx.viewerId);
  const type = str(item.item_type) ?? '';
  let content: Content;
  try {
    const mapper = Object.hasOwn(MAPPERS, type) ? MAPPERS[type]! : null;
    content = mapper ? mapper(item, ctx) : { kind: 'unsupported', text: null };
  } catch {
    content = { kind: 'unsupported', text: null };
  }
  const replied = obj(item.replied_to_message);
  return {
    id,
    threadId: ctx.threadId,
    senderId,
    senderName: senderNameOf(senderId, fromMe, ctx),
    sentAt,
    kind: content.kind,
    text: content.text ?? null,
    media: content.media ?? [],
    share: content.share ?? null,
    replyTo: idString(replied?.item_id) ?? idString(item.replied_to_item_id),
    reactions: reactionsOf(item, ctx),
    unsent: content.unsent === true || item.is_unsent === true || item.unsent === true,
    fromMe,
    source: 'api',
    clientContext: str(item.client_context),
    raw: JSON.stringify(item),
  };
}

export function mapItems(items: unknown[], ctx: ItemContext): Message[] {
  const result: Message[] = [];
  for (const entry of items) {
    const item = obj(entry);
    if (!item) continue;
    const message = mapItem(item, ctx);
    if (message) result.push(message);
  }
  return result;
}

// Builders of direct thread items in the shapes of shared/formats (ig-thread.json,
// ig-item-types.txt). Timestamps are microseconds, alternately as numbers and strings.
export type Json = Record<string, unknown>;

export const ITEM_KINDS = [
  'text',
  'link',
  'photo',
  'video',
  'voice',
  'xma_clip',
  'xma_media_share',
  'media_share',
  'clip',
  'story_share',
  'reel_share',
  'gif',
  'like',
  'action_log',
  'raven_media',
  'placeholder',
  'unknown_future_type',
] as const;

export type ItemKind = (typeof ITEM_KINDS)[number];

export interface ItemSpec {
  kind: ItemKind;
  itemId: string;
  userId: string;
  timestampUs: number;
  text?: string;
  clientContext?: string;
  mediaUrl: (name: string) => string;
  /** Make the timestamp a string (both forms occur in real payloads). */
  stringTimestamp?: boolean;
}

function candidates(url: string, width: number, height: number): Json {
  return {
    candidates: [
      { width, height, url },
      { width: Math.round(width / 2), height: Math.round(height / 2), url: `${url}?small=1` },
    ],
  };
}

function payload(spec: ItemSpec): Json {
  const text = spec.text ?? `message ${spec.itemId.slice(-6)}`;
  const media = (name: string) => spec.mediaUrl(name);
  switch (spec.kind) {
    case 'text':
      return { text };
    case 'link':
      return {
        link: {
          text: `look https://example.com/${spec.itemId.slice(-4)}`,
          link_context: {
            link_url: `https://example.com/${spec.itemId.slice(-4)}`,
            link_title: 'A link',
            link_summary: '',
            link_image_url: '',
          },
        },
      };
    case 'photo':
      return {
        media: {
          id: `${spec.itemId.slice(0, 19)}`,
          media_type: 1,
          image_versions2: candidates(media(`${spec.itemId}.jpg`), 1080, 1440),
          original_width: 1080,
          original_height: 1440,
        },
      };
    case 'video':
      return {
        media: {
          id: `${spec.itemId.slice(0, 19)}`,
          media_type: 2,
          video_versions: [{ type: 101, width: 720, height: 1280, url: media(`${spec.itemId}.mp4`) }],
          image_versions2: candidates(media(`${spec.itemId}-cover.jpg`), 720, 1280),
          video_duration: 4.5,
          original_width: 720,
          original_height: 1280,
        },
      };
    case 'voice':
      return {
        voice_media: {
          media: {
            id: spec.itemId.slice(0, 19),
            media_type: 11,
            audio: { audio_src: media(`${spec.itemId}.m4a`), duration: 8400 },
          },
          seen_user_ids: [],
          view_mode: 'permanent',
          seen_count: 0,
        },
      };
    case 'xma_clip':
    case 'xma_media_share':
      return {
        text: '',
        [spec.kind]: [
          {
            xma_template_type: 'None',
            target_url: `https://www.instagram.com/${spec.kind === 'xma_clip' ? 'reel' : 'p'}/C${spec.itemId.slice(-8)}/`,
            preview_url: media(`${spec.itemId}-preview.jpg`),
            preview_width: 1080,
            preview_height: 1920,
            title_text: 'some.creator',
            subtitle_text: 'Sunday vibes ☀️ #köln',
            preview_media_fbid: '123456789',
          },
        ],
      };
    case 'media_share':
      return {
        media_share: {
          id: `${spec.itemId.slice(0, 19)}_42`,
          code: `B${spec.itemId.slice(-8)}`,
          media_type: 1,
          user: { pk: 42, username: 'poster' },
          caption: { text: 'a post caption' },
          image_versions2: candidates(media(`${spec.itemId}-post.jpg`), 1080, 1080),
        },
      };
    case 'clip':
      return {
        clip: {
          clip: {
            id: `${spec.itemId.slice(0, 19)}_43`,
            code: `R${spec.itemId.slice(-8)}`,
            media_type: 2,
            user: { pk: 43, username: 'reeler' },
          },
        },
      };
    case 'story_share':
      return {
        story_share: {
          media: { pk: spec.itemId.slice(0, 19), user: { pk: 44, username: 'storyteller' }, media_type: 1 },
          text: 'nice story',
        },
      };
    case 'reel_share':
      return {
        reel_share: {
          text: 'replied to your story',
          type: 'reply',
          reel_owner_id: spec.userId,
          is_reel_persisted: false,
          reel_type: 'user_reel',
          media: { pk: spec.itemId.slice(0, 19) },
        },
      };
    case 'gif':
      return {
        animated_media: {
          id: 'l0MYt5jPR6QX5pnqM',
          images: { fixed_height: { url: media(`${spec.itemId}.gif`), width: '267', height: '200' } },
          is_random: false,
          is_sticker: false,
        },
      };
    case 'like':
      return { like: '❤️' };
    case 'action_log':
      return { action_log: { description: 'Someone missed a video chat', bold: [] }, hide_in_thread: 0 };
    case 'raven_media':
      return { raven_media: { media_type: 2 }, view_mode: 'replayable', seen_count: 1, seen_user_ids: [] };
    case 'placeholder':
      return {
        placeholder: {
          is_linked: false,
          title: 'Use Latest App',
          message: 'Use the latest version of the Instagram app to see this reel.',
        },
      };
    case 'unknown_future_type':
      return { unknown_future_type: { something: 'new', nested: { value: 1 } } };
  }
}

const ITEM_TYPE: Record<ItemKind, string> = {
  text: 'text',
  link: 'link',
  photo: 'media',
  video: 'media',
  voice: 'voice_media',
  xma_clip: 'xma_clip',
  xma_media_share: 'xma_media_share',
  media_share: 'media_share',
  clip: 'clip',
  story_share: 'story_share',
  reel_share: 'reel_share',
  gif: 'animated_media',
  like: 'like',
  action_log: 'action_log',
  raven_media: 'raven_media',
  placeholder: 'placeholder',
  unknown_future_type: 'unknown_future_type',
};

export function buildItem(spec: ItemSpec): Json {
  return {
    item_id: spec.itemId,
    user_id: Number(spec.userId),
    timestamp: spec.stringTimestamp ? String(spec.timestampUs) : spec.timestampUs,
    item_type: ITEM_TYPE[spec.kind],
    ...payload(spec),
    client_context: spec.clientContext ?? `${spec.itemId.slice(-19)}`,
    show_forward_attribution: false,
    is_shh_mode: false,
  };
}

/** Item ids grow with time like real ones (35 digits): timestamp µs followed by a sequence. */
export function itemIdFor(timestampUs: number, seq: number): string {
  return (BigInt(timestampUs) * 10n ** 19n + BigInt(seq)).toString();
}

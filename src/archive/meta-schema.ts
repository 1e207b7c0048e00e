// The shape of Meta's message_N.json (see shared/formats/ig-export-layout.txt), as zod schemas.
// Meta adds fields over time: unknown fields are allowed (the parsed value, not zod's stripped copy,
// is what the importer keeps, so they survive in `raw`). Only the types of the
// fields igtg reads are enforced, so a wrong type is reported with the file and field.
import { z } from 'zod';

const text = z.string().nullish();

/** The last millisecond of the year 9999: later times cannot be shown as dates (ISO 8601, Date). */
export const MAX_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const MAX_TIME_S = Math.floor(MAX_TIME_MS / 1000);

export const metaMediaSchema = z.object({
  uri: z.string(),
  creation_timestamp: z.number().nullish(),
});

export const metaReactionSchema = z.object({
  reaction: z.string(),
  actor: z.string(),
  /** Seconds (newer exports only). */
  timestamp: z
    .number()
    .min(-MAX_TIME_S, { error: 'out of range' })
    .max(MAX_TIME_S, { error: 'out of range' })
    .nullish(),
});

export const metaShareSchema = z.object({
  link: text,
  share_text: text,
  original_content_owner: text,
  profile_share_username: text,
});

const mediaList = z.array(metaMediaSchema).nullish();

export const metaMessageSchema = z.object({
  sender_name: z.string(),
  /** Epoch milliseconds. */
  timestamp_ms: z.number().int().nonnegative().max(MAX_TIME_MS, { error: 'after the year 9999' }),
  content: text,
  photos: mediaList,
  videos: mediaList,
  audio_files: mediaList,
  gifs: mediaList,
  files: mediaList,
  sticker: metaMediaSchema.nullish(),
  share: metaShareSchema.nullish(),
  reactions: z.array(metaReactionSchema).nullish(),
  call_duration: z.number().nullish(),
  is_unsent: z.boolean().nullish(),
  type: text,
});

export const metaThreadSchema = z.object({
  participants: z.array(z.object({ name: z.string() })),
  messages: z.array(metaMessageSchema),
  title: text,
  thread_path: text,
  thread_type: text,
  is_still_participant: z.boolean().nullish(),
  image: metaMediaSchema.nullish(),
});

export type MetaMedia = z.infer<typeof metaMediaSchema>;
export type MetaReaction = z.infer<typeof metaReactionSchema>;
export type MetaShare = z.infer<typeof metaShareSchema>;
export type MetaMessage = z.infer<typeof metaMessageSchema>;
export type MetaThread = z.infer<typeof metaThreadSchema>;

const kindOf = (value: unknown): string => (value === null ? 'null' : typeof value);

/** Any array, checked without copying it (z.array copies every element, even of unknown type). */
const anyArray = z.custom<unknown[]>((value) => Array.isArray(value), {
  error: (issue) => `expected array, received ${kindOf(issue.input)}`,
});

/** The thread without its messages, which are checked one by one (zod copies what it checks). */
export const metaThreadHeadSchema = metaThreadSchema.extend({ messages: anyArray });

// Legacy (2018–19) messages.json: every conversation in one array, senders are usernames.
const legacyLikeSchema = z.object({ username: z.string(), date: text });

export const legacyItemSchema = z.object({
  sender: z.string(),
  created_at: z.string(),
  text,
  heart: text,
  link: text,
  media: text,
  media_url: text,
  media_share_url: text,
  media_share_caption: text,
  media_owner: text,
  story_share: text,
  profile_share_username: text,
  action: text,
  likes: z.array(legacyLikeSchema).nullish(),
});

export const legacyFileSchema = z.array(
  z.object({
    participants: z.array(z.string()),
    conversation: z.array(legacyItemSchema),
  }),
);

export type LegacyItem = z.infer<typeof legacyItemSchema>;
export type LegacyFile = z.infer<typeof legacyFileSchema>;

/** `messages[3].timestamp_ms: expected number, received string` from the first zod issue. */
export function describeZodError(error: z.ZodError, prefix: PropertyKey[] = []): string {
  const issue = error.issues[0];
  if (!issue) return 'unexpected content';
  const path = [...prefix, ...issue.path]
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
  const message = issue.message.replace(/^Invalid input: /, '');
  return path ? `${path}: ${message}` : message;
}

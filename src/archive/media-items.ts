// The media an archive message holds. Most hold none: `hasMedia` is the cheap test to make first.
import type { MetaMedia, MetaMessage } from './meta-schema.js';

export function hasMedia(message: MetaMessage): boolean {
  return Boolean(
    message.photos || message.videos || message.audio_files || message.gifs || message.files || message.sticker,
  );
}

/** Every media item: photos, videos, audio files, gifs, files, then the sticker (message ids depend on this order). */
export function mediaItems(message: MetaMessage): MetaMedia[] {
  const items: MetaMedia[] = [];
  for (const list of [message.photos, message.videos, message.audio_files, message.gifs, message.files]) {
    if (list) items.push(...list);
  }
  if (message.sticker) items.push(message.sticker);
  return items;
}

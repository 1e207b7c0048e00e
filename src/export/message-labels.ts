// Words for message kinds and short previews, shared by the HTML and Markdown writers.
import type { MediaRef, Message, MessageKind } from '../core/model.js';

const KIND_LABELS: Record<MessageKind, string> = {
  text: 'message',
  link: 'link',
  photo: 'photo',
  video: 'video',
  audio: 'voice message',
  gif: 'GIF',
  sticker: 'sticker',
  share: 'shared post',
  call: 'call',
  like: '❤️',
  system: 'notice',
  placeholder: 'message not available',
  unsupported: 'message type not supported',
};

export function kindLabel(kind: MessageKind): string {
  return KIND_LABELS[kind];
}

/** `photo: campsite.png`: the kind and the file name (archive names are paths; only the last part is kept). */
export function mediaLabel(media: MediaRef): string {
  const name = media.name?.split('/').pop();
  return name ? `${media.kind}: ${name}` : media.kind;
}

/** A one-line preview of a message (for replies): its text, cut, or what kind of message it is. */
export function messagePreview(message: Message, max = 80): string {
  if (message.unsent) return 'message unsent';
  const text = (message.text ?? message.share?.text ?? '').replace(/\s+/g, ' ').trim();
  if (!text) return kindLabel(message.kind);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Whether a media item is shown as an image, a video, an audio player, or only a link. */
export function mediaPresentation(media: MediaRef): 'image' | 'video' | 'audio' | 'file' {
  if (media.kind === 'photo' || media.kind === 'gif' || media.kind === 'sticker') return 'image';
  if (media.kind === 'video') return 'video';
  if (media.kind === 'audio') return 'audio';
  if (media.mime?.startsWith('image/')) return 'image';
  if (media.mime?.startsWith('video/')) return 'video';
  if (media.mime?.startsWith('audio/')) return 'audio';
  return 'file';
}

/** Reactions grouped by emoji, in order of first appearance: emoji -> who reacted. */
export function groupReactions(message: Message): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const reaction of message.reactions) {
    const actors = groups.get(reaction.emoji);
    if (actors) actors.push(reaction.actor);
    else groups.set(reaction.emoji, [reaction.actor]);
  }
  return groups;
}

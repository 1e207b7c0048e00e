// Sending text and captions that exceed Telegram's limits as several messages. Parts go out in
// order; `onPartSent` lets the caller record each one (a bridge mapping) as it lands, and
// `startAt` resumes after a crash or a failure without resending the parts already delivered.
import { splitCaption } from './format.js';
import { CAPTION_LIMIT, MESSAGE_LIMIT, splitText } from './split-text.js';
import type {
  SendMediaOptions,
  SendTextOptions,
  SentMessage,
  TelegramChatId,
  TelegramClient,
  TelegramMediaKind,
} from './telegram-client.js';

export interface PartOptions {
  /** Index of the first part to send (parts before it were delivered earlier). */
  startAt?: number;
  onPartSent?: (index: number, sent: SentMessage) => void | Promise<void>;
}

/** The messages a text becomes (HTML-aware when parseMode is HTML). */
export function textParts(text: string, options: Pick<SendTextOptions, 'parseMode'> = {}): string[] {
  return splitText(text, MESSAGE_LIMIT, { html: options.parseMode === 'HTML' });
}

/** Part 0 is the media with a caption within 1024; the rest are follow-up texts. */
export function captionParts(
  caption: string | null,
  options: Pick<SendMediaOptions, 'parseMode'> = {},
): {
  caption: string | null;
  followUps: string[];
} {
  if (caption === null || caption === '') return { caption: null, followUps: [] };
  const split = splitCaption(caption, CAPTION_LIMIT, { html: options.parseMode === 'HTML' });
  return { caption: split.caption, followUps: split.followUp === null ? [] : textParts(split.followUp, options) };
}

/**
 * Sends `text` as one or more messages. The reply goes on the first part only and the keyboard
 * on the last, so buttons sit under the end of the text.
 */
export async function sendLongText(
  client: TelegramClient,
  chatId: TelegramChatId,
  text: string,
  options: SendTextOptions & PartOptions = {},
): Promise<SentMessage[]> {
  const { startAt = 0, onPartSent, ...sendOptions } = options;
  const parts = textParts(text, sendOptions);
  const sent: SentMessage[] = [];
  for (let index = startAt; index < parts.length; index++) {
    const message = await client.sendText(chatId, parts[index]!, {
      ...sendOptions,
      replyTo: index === 0 ? sendOptions.replyTo : undefined,
      keyboard: index === parts.length - 1 ? sendOptions.keyboard : undefined,
    });
    sent.push(message);
    await onPartSent?.(index, message);
  }
  return sent;
}

/** Sends media with its caption; a caption past 1024 characters continues in follow-up texts. */
export async function sendMediaWithCaption(
  client: TelegramClient,
  chatId: TelegramChatId,
  kind: TelegramMediaKind,
  file: Uint8Array | string,
  caption: string | null,
  options: SendMediaOptions & PartOptions = {},
): Promise<SentMessage[]> {
  const { startAt = 0, onPartSent, ...sendOptions } = options;
  const plan = captionParts(caption, sendOptions);
  const sent: SentMessage[] = [];
  if (startAt === 0) {
    const media = await client.sendMedia(chatId, kind, file, plan.caption, {
      ...sendOptions,
      keyboard: plan.followUps.length === 0 ? sendOptions.keyboard : undefined,
    });
    sent.push(media);
    await onPartSent?.(0, media);
  }
  for (let index = Math.max(1, startAt); index <= plan.followUps.length; index++) {
    const message = await client.sendText(chatId, plan.followUps[index - 1]!, {
      topicId: sendOptions.topicId,
      parseMode: sendOptions.parseMode,
      silent: sendOptions.silent,
      keyboard: index === plan.followUps.length ? sendOptions.keyboard : undefined,
    });
    sent.push(message);
    await onPartSent?.(index, message);
  }
  return sent;
}

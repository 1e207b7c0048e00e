// Telegram updates in igtg's terms: what the bridge needs to route a message, a command or a
// button press, with Telegram's traps already resolved (topic service replies, photo sizes, ms).
import type { EpochMs } from '../core/model.js';
import type { WireUpdate } from './wire-types.js';

export type TelegramChatType = 'private' | 'group' | 'supergroup' | 'channel';

export interface TelegramFileRef {
  fileId: string;
  fileUniqueId: string | null;
  fileName: string | null;
  mime: string | null;
  size: number | null;
}

export interface TelegramPhotoRef extends TelegramFileRef {
  width: number;
  height: number;
}

export interface TelegramCommand {
  /** Lower-case name without the slash and without `@botname`. */
  name: string;
  /** `@botname` the command was addressed to, if any (lower-case, without `@`). */
  botName: string | null;
  /** Everything after the command, trimmed. */
  args: string;
}

export interface TelegramIncomingMessage {
  chatId: number;
  chatType: TelegramChatType;
  chatTitle: string | null;
  isForum: boolean;
  messageId: number;
  /** Forum topic (message_thread_id) when the message was sent inside a topic. */
  topicId: number | null;
  fromId: number | null;
  fromName: string;
  fromUsername: string | null;
  fromIsBot: boolean;
  sentAt: EpochMs;
  editedAt: EpochMs | null;
  /** Message text or media caption. */
  text: string | null;
  /** Set when the text starts with a bot command (`/start CODE`). */
  command: TelegramCommand | null;
  /**
   * The message this one replies to. Null for a plain message in a forum topic, whose
   * `reply_to_message` is only the topic's creation service message.
   */
  replyToMessageId: number | null;
  /** Largest size of a photo. */
  photo: TelegramPhotoRef | null;
  document: TelegramFileRef | null;
  /** Other media the bridge does not forward but can name (video, voice, audio, animation, sticker). */
  otherMedia: string | null;
}

export interface TelegramCallback {
  id: string;
  fromId: number;
  fromName: string;
  /** Chat and message holding the pressed button (absent for very old messages). */
  chatId: number | null;
  messageId: number | null;
  data: string | null;
}

export type TelegramUpdate =
  | { updateId: number; kind: 'message'; edited: boolean; message: TelegramIncomingMessage; raw: WireUpdate }
  | { updateId: number; kind: 'callback'; callback: TelegramCallback; raw: WireUpdate }
  /** The bot's membership changed: `status` is `kicked` when a private user blocked the bot. */
  | {
      updateId: number;
      kind: 'membership';
      chatId: number;
      fromId: number;
      status: string;
      raw: WireUpdate;
    }
  | { updateId: number; kind: 'other'; raw: WireUpdate };

/** The offset that confirms every update of `updates` (highest update_id + 1), or `current`. */
export function nextOffset(updates: readonly { updateId: number }[], current: number | null): number | null {
  let next = current;
  for (const update of updates) {
    if (next === null || update.updateId + 1 > next) next = update.updateId + 1;
  }
  return next;
}

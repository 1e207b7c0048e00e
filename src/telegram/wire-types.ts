// The subset of Bot API wire objects igtg reads (shapes as in shared/formats/tg-updates.json).
// Only what mapping needs is typed; everything else passes through untouched in `raw`.

export interface WireUser {
  id: number;
  is_bot?: boolean;
  first_name?: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface WireChat {
  id: number;
  type: string;
  title?: string;
  first_name?: string;
  last_name?: string;
  username?: string;
  is_forum?: boolean;
}

export interface WirePhotoSize {
  file_id: string;
  file_unique_id?: string;
  width: number;
  height: number;
  file_size?: number;
}

export interface WireFile {
  file_id: string;
  file_unique_id?: string;
  file_name?: string;
  mime_type?: string;
  file_size?: number;
  duration?: number;
}

export interface WireMessage {
  message_id: number;
  message_thread_id?: number;
  is_topic_message?: boolean;
  from?: WireUser;
  chat: WireChat;
  date: number;
  edit_date?: number;
  text?: string;
  caption?: string;
  photo?: WirePhotoSize[];
  document?: WireFile;
  video?: WireFile;
  voice?: WireFile;
  audio?: WireFile;
  animation?: WireFile;
  sticker?: WireFile & { emoji?: string };
  reply_to_message?: WireMessage;
  forum_topic_created?: { name: string; icon_color?: number };
}

export interface WireCallbackQuery {
  id: string;
  from: WireUser;
  message?: WireMessage;
  chat_instance?: string;
  data?: string;
}

export interface WireChatMemberUpdated {
  chat: WireChat;
  from: WireUser;
  date: number;
  old_chat_member?: { status: string };
  new_chat_member?: { status: string };
}

export interface WireUpdate {
  update_id: number;
  message?: WireMessage;
  edited_message?: WireMessage;
  callback_query?: WireCallbackQuery;
  my_chat_member?: WireChatMemberUpdated;
}

// Bots may only react with these emoji (Bot API ReactionTypeEmoji); anything else is refused with
// "Bad Request: REACTION_INVALID". Note there is no ✅ or ✔: use 👍 or 👌 for "delivered".
// prettier-ignore
export const ALLOWED_REACTIONS: ReadonlySet<string> = new Set([
  '👍', '👎', '❤', '🔥', '🥰', '👏', '😁', '🤔', '🤯', '😱', '🤬', '😢', '🎉', '🤩', '🤮', '💩', '🙏', '👌', '🕊',
  '🤡', '🥱', '🥴', '😍', '🐳', '❤‍🔥', '🌚', '🌭', '💯', '🤣', '⚡', '🍌', '🏆', '💔', '🤨', '😐', '🍓', '🍾', '💋',
  '🖕', '😈', '😴', '😭', '🤓', '👻', '👨‍💻', '👀', '🎃', '🙈', '😇', '😨', '🤝', '✍', '🤗', '🫡', '🎅', '🎄', '☃',
  '💅', '🤪', '🗿', '🆒', '💘', '🙉', '🦄', '😘', '💊', '🙊', '😎', '👾', '🤷‍♂', '🤷', '🤷‍♀', '😡',
]);

/** Instagram reactions carry a variation selector (❤️); Telegram's list has none (❤). */
export function toTelegramReaction(emoji: string): string | null {
  const bare = emoji.replace(/\uFE0F/g, '');
  return ALLOWED_REACTIONS.has(bare) ? bare : null;
}

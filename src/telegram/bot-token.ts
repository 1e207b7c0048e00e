// What a bot token from @BotFather looks like: the bot's id, a colon, a secret of 20+ characters.
const BOT_TOKEN_SHAPE = /^\d{5,}:[A-Za-z0-9_-]{20,}$/;

export function looksLikeBotToken(token: string): boolean {
  return BOT_TOKEN_SHAPE.test(token);
}

/** How a token Telegram refuses is reported, wherever the bridge or setup meets it. */
export const TOKEN_REFUSED = 'Telegram does not accept this bot token';

// `igtg telegram setup`: token (IGTG_TELEGRAM_TOKEN or a prompt) checked with getMe and stored as
// the secret `telegram.token`; then the owner: IGTG_TELEGRAM_OWNER_ID, or pairing with a one-time code.
import { randomInt } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Context } from '../../cli/context.js';
import { IgtgError, UsageError } from '../../core/errors.js';
import { BotApiTelegramClient, telegramApiUrl } from '../../telegram/bot-api-client.js';
import { TOKEN_REFUSED, looksLikeBotToken } from '../../telegram/bot-token.js';
import { TelegramClientPort } from '../adapters/telegram-port.js';
import { DeliveryError } from '../ports.js';
import { waitForPairing } from './pairing.js';
import { parseUserId } from './settings-options.js';

async function promptLine(ctx: Context, question: string): Promise<string> {
  if (ctx.stdin.isTTY) ctx.out.options.stderr.write(question);
  const rl = createInterface({ input: ctx.stdin, terminal: false });
  try {
    for await (const line of rl) return line.trim();
    return '';
  } finally {
    rl.close();
  }
}

export async function telegramSetup(ctx: Context, options: { timeoutSec: number }): Promise<void> {
  if (!(options.timeoutSec > 0)) throw new UsageError('--timeout must be a positive number of seconds');
  // Checked before anything is stored.
  const envOwner = parseUserId(ctx.env.IGTG_TELEGRAM_OWNER_ID, 'IGTG_TELEGRAM_OWNER_ID');
  const token = ctx.env.IGTG_TELEGRAM_TOKEN?.trim() || (await promptLine(ctx, 'Bot token from @BotFather: '));
  if (!token) {
    throw new UsageError(
      ctx.stdin.isTTY
        ? 'no bot token given (type it, or set IGTG_TELEGRAM_TOKEN)'
        : 'no bot token given (set IGTG_TELEGRAM_TOKEN, or pass the token on standard input)',
    );
  }
  if (!looksLikeBotToken(token))
    throw new UsageError('that does not look like a bot token (123456:ABC…, from @BotFather)');
  const telegram = new TelegramClientPort(
    new BotApiTelegramClient({ token, apiUrl: telegramApiUrl(ctx.env), timeoutMs: 60_000 }),
  );
  let bot;
  try {
    bot = await telegram.getMe();
  } catch (error) {
    const reason = error instanceof DeliveryError && error.code === 401 ? TOKEN_REFUSED : (error as Error).message;
    throw new IgtgError(`cannot check the bot token: ${reason}`);
  }
  const secrets = await ctx.secrets();
  await secrets.set('telegram.token', token);
  ctx.out.info(`bot @${bot.username} checked; token stored in ${secrets.location}`);

  const settings = await ctx.settings();
  let owner: { userId: number; name: string | null };
  if (envOwner !== undefined) {
    owner = { userId: envOwner, name: null };
  } else {
    const code = String(randomInt(100_000, 1_000_000));
    ctx.out.instruct(`Send this to @${bot.username} in Telegram: /start ${code}`);
    const paired = await waitForPairing(telegram, code, {
      deadline: Date.now() + options.timeoutSec * 1000,
      now: Date.now,
    });
    if (!paired)
      throw new IgtgError(
        `nobody sent "/start ${code}" within ${options.timeoutSec} s; run \`igtg telegram setup\` again`,
      );
    owner = { userId: paired.userId, name: paired.name };
    await telegram
      .sendMessage(paired.chatId, 'Paired: this bot now serves you. Start the bridge with `igtg bridge`.')
      .catch(() => undefined);
  }
  settings.set('telegram.owner_id', String(owner.userId));
  const store = await ctx.openStore();
  await store.audit({
    at: Date.now(),
    actor: `telegram:${owner.userId}`,
    action: envOwner !== undefined ? 'owner_set' : 'paired',
    detail: null,
  });
  if (ctx.out.json) ctx.out.printJson({ bot: bot.username, owner_id: owner.userId });
  else ctx.out.line(`owner: ${owner.name ? `@${owner.name} (${owner.userId})` : `Telegram user ${owner.userId}`}`);
}

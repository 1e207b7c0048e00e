// `igtg telegram setup`: token (IGTG_TELEGRAM_TOKEN or a prompt) checked with getMe and stored as
// the secret `telegram.token`; then the owner: IGTG_TELEGRAM_OWNER_ID, or pairing with a one-time code.
import { randomInt } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Context } from '../../cli/context.js';
import { IgtgError, UsageError, errorMessage } from '../../core/errors.js';
import { TelegramPermanent } from '../../telegram/errors.js';
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

/**
 * A bot can only write to a user who opened its chat and pressed Start: an owner id without one
 * would have every message given up on ("chat not found") by the bridge.
 */
async function checkOwnerChat(client: BotApiTelegramClient, ownerId: number, botName: string): Promise<void> {
  try {
    await client.getChat(ownerId);
  } catch (error) {
    if (error instanceof TelegramPermanent) {
      throw new IgtgError(
        `Telegram user ${ownerId} has no chat with @${botName} (${error.description}): open the bot in Telegram ` +
          'and press Start, or check IGTG_TELEGRAM_OWNER_ID',
      );
    }
    throw new IgtgError(`cannot check the owner's chat: ${errorMessage(error)}`, undefined, { cause: error });
  }
}

export async function telegramSetup(ctx: Context, options: { timeoutSec: number }): Promise<void> {
  if (!(options.timeoutSec > 0)) throw new UsageError('--timeout must be a positive number of seconds');
  // Checked before anything is stored.
  const envOwner = parseUserId(ctx.env.IGTG_TELEGRAM_OWNER_ID, 'IGTG_TELEGRAM_OWNER_ID');
  const secrets = await ctx.secrets();
  const stored = await secrets.get('telegram.token');
  // Pairing again (a new owner, say) needs no token: the stored one is kept when none is given.
  const given =
    ctx.env.IGTG_TELEGRAM_TOKEN?.trim() ||
    (await promptLine(
      ctx,
      stored ? 'Bot token from @BotFather (Enter keeps the stored one): ' : 'Bot token from @BotFather: ',
    ));
  const token = given || stored;
  if (!token) {
    throw new UsageError(
      ctx.stdin.isTTY
        ? 'no bot token given (type it, or set IGTG_TELEGRAM_TOKEN)'
        : 'no bot token given (set IGTG_TELEGRAM_TOKEN, or pass the token on standard input)',
    );
  }
  if (!looksLikeBotToken(token))
    throw new UsageError('that does not look like a bot token (123456:ABC…, from @BotFather)');
  const client = new BotApiTelegramClient({ token, apiUrl: telegramApiUrl(ctx.env), timeoutMs: 60_000 });
  const telegram = new TelegramClientPort(client);
  let bot;
  try {
    bot = await telegram.getMe();
  } catch (error) {
    const reason = error instanceof DeliveryError && error.code === 401 ? TOKEN_REFUSED : (error as Error).message;
    throw new IgtgError(`cannot check the bot token: ${reason}`);
  }
  ctx.out.info(`bot @${bot.username} checked${given ? '' : ' (the stored token)'}`);

  const settings = await ctx.settings();
  let owner: { userId: number; name: string | null };
  if (envOwner !== undefined) {
    await checkOwnerChat(client, envOwner, bot.username ?? String(bot.id));
    owner = { userId: envOwner, name: null };
  } else {
    const code = String(randomInt(100_000, 1_000_000));
    ctx.out.instruct(`Send this to @${bot.username} in Telegram: /start ${code}`);
    const paired = await waitForPairing(telegram, code, {
      deadline: Date.now() + options.timeoutSec * 1000,
      now: Date.now,
    }).catch((error: unknown) => {
      if (error instanceof DeliveryError && error.code === 409) {
        throw new IgtgError(
          "another program is reading this bot's updates (a running igtg bridge?): stop it, run " +
            '`igtg telegram setup` again, then start it',
          undefined,
          { cause: error },
        );
      }
      throw error;
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
  // Stored once the owner is known: a setup that fails leaves the earlier token and owner as they were.
  if (token !== stored) await secrets.set('telegram.token', token);
  ctx.out.info(`token stored in ${secrets.location}`);
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

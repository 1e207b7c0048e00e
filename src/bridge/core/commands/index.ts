// Bot commands and inline buttons, by name and callback-data prefix.
import { parseCallbackData } from '../../../telegram/keyboards.js';
import type { CommandContext } from '../command-context.js';
import { BridgeMeta } from '../state-keys.js';
import {
  LEGACY_OLDER_ACTION,
  OLDER_ACTION,
  PICK_ACTION,
  THREADS_PAGE_ACTION,
  olderPageOf,
  threadOf,
} from './buttons.js';
import { help } from './help.js';
import { messages, showMessages } from './messages.js';
import { retry } from './retry.js';
import { search } from './search.js';
import { settings, settingsButton } from './settings.js';
import { status } from './status.js';
import { pickThread, threads, threadsPageButton } from './threads.js';

export type CommandHandler = (ctx: CommandContext, args: string) => Promise<void>;

export const COMMANDS: Record<string, CommandHandler> = {
  start: help,
  help,
  status,
  sync: async (ctx) => {
    ctx.controls.requestSync();
    await ctx.reply('Checking Instagram now.');
  },
  threads,
  messages,
  search,
  settings,
  retry,
  code: async (ctx, args) => {
    if (!ctx.instagram.submitCode) {
      await ctx.reply('This version cannot take Instagram codes in chat yet; run `igtg login` on the server.');
      return;
    }
    if (!/^\d{4,8}$/.test(args.trim())) {
      await ctx.reply('Usage: /code 123456');
      return;
    }
    try {
      await ctx.instagram.submitCode(args.trim());
      await ctx.reply('Code accepted; Instagram session restored.');
      ctx.controls.requestSync();
    } catch (error) {
      await ctx.reply(`Instagram refused the code: ${(error as Error).message}`);
    }
  },
};

export interface ParsedCommand {
  name: string;
  args: string;
  /** The bot named after `@` (lower case), null when none: in a group `/status@otherbot` is another bot's. */
  botName: string | null;
}

/** Parses `/name@bot args` into name, bot and args; null when the text is not a command. */
export function parseCommand(text: string): ParsedCommand | null {
  const match = /^\/([a-z0-9_]+)(?:@([a-z0-9_]+))?(?:\s+([\s\S]*))?$/i.exec(text.trim());
  if (!match) return null;
  return { name: match[1]!.toLowerCase(), args: (match[3] ?? '').trim(), botName: match[2]?.toLowerCase() ?? null };
}

/** Handles a button press; returns the short text shown to the owner. */
export async function handleButton(ctx: CommandContext, messageId: number, data: string): Promise<string | undefined> {
  const { action, arg } = parseCallbackData(data);
  switch (action) {
    case THREADS_PAGE_ACTION:
      await threadsPageButton(ctx, messageId, Number(arg) || 0);
      return undefined;
    case PICK_ACTION:
      return pickThread(ctx, await threadOf(ctx, arg));
    case OLDER_ACTION:
    case LEGACY_OLDER_ACTION: {
      const page = await olderPageOf(ctx, action, arg);
      if (!page) return 'That thread is not in the store any more.';
      await showMessages(ctx, page.threadId, page.range);
      return undefined;
    }
    case 's':
      return settingsButton(ctx, messageId, data);
    default:
      return 'unknown button';
  }
}

export { BridgeMeta };

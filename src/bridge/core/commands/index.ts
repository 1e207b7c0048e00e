// Bot commands and inline buttons, by name and callback-data prefix.
import type { CommandContext } from '../command-context.js';
import { BridgeMeta } from '../state-keys.js';
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

/** Parses `/name@bot args` into name and args; null when the text is not a command. */
export function parseCommand(text: string): { name: string; args: string } | null {
  const match = /^\/([a-z0-9_]+)(?:@[a-z0-9_]+)?(?:\s+([\s\S]*))?$/i.exec(text.trim());
  if (!match) return null;
  return { name: match[1]!.toLowerCase(), args: (match[2] ?? '').trim() };
}

/** Handles a button press; returns the short text shown to the owner. */
export async function handleButton(ctx: CommandContext, messageId: number, data: string): Promise<string | undefined> {
  if (data.startsWith('tp:')) {
    await threadsPageButton(ctx, messageId, Number(data.slice(3)) || 0);
    return undefined;
  }
  if (data.startsWith('t:')) return pickThread(ctx, data.slice(2));
  if (data.startsWith('mo:')) {
    const rest = data.slice(3);
    const cut = rest.lastIndexOf(':');
    const threadId = rest.slice(0, cut);
    const before = Number(rest.slice(cut + 1));
    if (threadId && Number.isFinite(before)) await showMessages(ctx, threadId, before);
    return undefined;
  }
  if (data.startsWith('s:')) return settingsButton(ctx, messageId, data);
  return 'unknown button';
}

export { BridgeMeta };

import type { Command } from 'commander';
import type { Message } from '../../core/model.js';
import type { Store } from '../../store/store.js';
import type { CommandRunner } from '../program.js';
import type { Context } from '../context.js';
import { parseDate, parseLimit, resolveOneThread } from '../read-options.js';
import { terminalLine } from '../format/terminal-text.js';

const DEFAULT_LIMIT = 50;

interface ShowOptions {
  limit?: string;
  before?: string;
  since?: string;
}

async function repliedTo(store: Store, messages: Message[]): Promise<Map<string, Message>> {
  const byId = new Map(messages.map((message) => [message.id, message]));
  const replies = new Map<string, Message>();
  for (const message of messages) {
    if (!message.replyTo || replies.has(message.replyTo)) continue;
    const original = byId.get(message.replyTo) ?? (await store.getMessage(message.threadId, message.replyTo));
    if (original) replies.set(message.replyTo, original);
  }
  return replies;
}

async function show(ctx: Context, threadInput: string, options: ShowOptions): Promise<void> {
  const limit = parseLimit(options.limit, DEFAULT_LIMIT);
  const before = parseDate(options.before, '--before');
  const since = parseDate(options.since, '--since');
  const store = await ctx.openStore({ mustExist: true, readOnlyIfNeeded: true });
  const thread = await resolveOneThread(store, threadInput);
  const messages = await store.listMessages(thread.id, { limit, before, since });
  if (ctx.out.json) {
    const { messageToJson } = await import('../../core/message-json.js');
    ctx.out.printJson(messages.map(messageToJson));
    return;
  }
  if (messages.length === 0) {
    ctx.out.info(`no messages in "${thread.title}" for this range`);
    return;
  }
  const { printMessages } = await import('../format/message-lines.js');
  ctx.out.line(ctx.out.style('bold', terminalLine(thread.title)));
  ctx.out.line();
  printMessages(ctx.out, messages, { replies: await repliedTo(store, messages) });
}

export function registerShow(program: Command, run: CommandRunner): void {
  program
    .command('show')
    .description("show a thread's messages, oldest to newest")
    .argument('<thread>', 'thread id or a unique part of its title')
    .option('--limit <n>', `the newest N messages of the range (default ${DEFAULT_LIMIT})`)
    .option('--before <date>', 'only messages before this date (2024-03-01, 2024-03-01T12:00, 7d)')
    .option('--since <date>', 'only messages at or after this date')
    .action(run((ctx: Context, thread: string, options: ShowOptions) => show(ctx, thread, options)));
}

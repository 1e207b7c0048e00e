import type { CommandContext } from '../command-context.js';

export const HELP_TEXT = [
  'igtg bridge: your Instagram DMs, here.',
  '',
  "Reply to a forwarded message to answer in its thread; in forum mode write in the thread's topic;",
  'anything else goes to the active thread (pick it with /threads).',
  '',
  '/threads – pick the active thread',
  '/messages [thread] – recent messages',
  '/search QUERY – search all messages',
  '/status – bridge and Instagram state',
  '/sync – check Instagram now',
  '/settings – mirror own messages, media, mute, poll interval',
  '/retry – resend dead letters',
  '/forum – (in a forum supergroup) one topic per thread',
  '/code CODE – answer an Instagram two-factor or challenge request',
].join('\n');

export async function help(ctx: CommandContext): Promise<void> {
  await ctx.reply(HELP_TEXT);
}

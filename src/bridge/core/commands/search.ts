import type { Keyboard } from '../../ports.js';
import type { CommandContext } from '../command-context.js';
import { senderLabel } from '../render.js';
import { truncate } from '../split-text.js';
import { SNIPPET_CLOSE, SNIPPET_OPEN } from '../../../store/store.js';
import { pickData } from './buttons.js';

export async function search(ctx: CommandContext, query: string): Promise<void> {
  if (!query) {
    await ctx.reply('Usage: /search WORDS');
    return;
  }
  let hits;
  try {
    hits = await ctx.store.search({ text: query, limit: 10 });
  } catch (error) {
    await ctx.reply(`Search failed: ${(error as Error).message}`);
    return;
  }
  if (hits.length === 0) {
    await ctx.reply('No messages found.');
    return;
  }
  const lines = hits.map((hit, i) => {
    const snippet = hit.snippet.split(SNIPPET_OPEN).join('«').split(SNIPPET_CLOSE).join('»');
    return `${i + 1}. ${hit.threadTitle} – ${senderLabel(hit.message)}: ${truncate(snippet.replace(/\n/g, ' '), 200)}`;
  });
  const seen = new Set<string>();
  const keyboard: Keyboard = [];
  for (const hit of hits) {
    if (seen.has(hit.threadId)) continue;
    seen.add(hit.threadId);
    keyboard.push([{ text: truncate(`open ${hit.threadTitle}`, 60), data: pickData(hit.threadId) }]);
  }
  await ctx.reply(lines.join('\n'), keyboard);
}

import type { Command } from 'commander';
import type { CommandRunner } from '../program.js';
import type { Context } from '../context.js';
import { parseLimit } from '../read-options.js';

async function threads(ctx: Context, options: { limit?: string }): Promise<void> {
  const limit = parseLimit(options.limit, undefined);
  const store = await ctx.openStore({ mustExist: true, readOnlyIfNeeded: true });
  const summaries = await store.listThreads({ limit });
  const { printThreads, threadToJson } = await import('../format/thread-list.js');
  if (ctx.out.json) {
    ctx.out.printJson(summaries.map(threadToJson));
    return;
  }
  if (summaries.length === 0) {
    ctx.out.info('no threads stored yet (run igtg import or igtg sync)');
    return;
  }
  printThreads(ctx.out, summaries);
}

export function registerThreads(program: Command, run: CommandRunner): void {
  program
    .command('threads')
    .description('list threads, newest activity first')
    .option('--limit <n>', 'at most this many threads')
    .action(run((ctx: Context, options: { limit?: string }) => threads(ctx, options)));
}

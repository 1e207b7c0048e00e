import { type Command, Option } from 'commander';
import { UsageError } from '../../core/errors.js';
import type { CommandRunner } from '../program.js';
import type { Context } from '../context.js';
import { normalizeForSearch } from '../../store/search-query.js';
import { parseDate, parseLimit, resolveThreadFilter } from '../read-options.js';

const DEFAULT_LIMIT = 20;

interface SearchOptions {
  thread: string[];
  from?: string;
  since?: string;
  until?: string;
  limit?: string;
  sort: 'relevance' | 'newest' | 'oldest';
}

async function search(ctx: Context, words: string[], options: SearchOptions): Promise<void> {
  // `-word` exclusions reach this as words: main.ts moves them past a `--` (search-words.ts).
  const limit = parseLimit(options.limit, DEFAULT_LIMIT);
  const since = parseDate(options.since, '--since');
  const until = parseDate(options.until, '--until');
  if (options.from !== undefined && normalizeForSearch(options.from).trim() === '') {
    throw new UsageError('--from must name a sender (a name or username; see igtg show)');
  }
  const store = await ctx.openStore({ mustExist: true, readOnlyIfNeeded: true });
  const threadIds = await resolveThreadFilter(store, options.thread);
  const hits = await store.search({
    text: words.join(' '),
    threadIds,
    from: options.from,
    since,
    until,
    sort: options.sort,
    limit,
  });
  const { hitToJson, printHits } = await import('../format/search-hits.js');
  if (ctx.out.json) {
    ctx.out.printJson(hits.map(hitToJson));
    return;
  }
  if (hits.length === 0) {
    ctx.out.info('no messages match');
    return;
  }
  printHits(ctx.out, hits);
}

export function registerSearch(program: Command, run: CommandRunner): void {
  program
    .command('search')
    .description('full-text search of stored messages')
    .argument('<query...>', 'words, "exact phrase", prefix*, -excluded, OR')
    .option(
      '--thread <id-or-title>',
      'only this thread (repeatable)',
      (value: string, previous: string[]) => [...previous, value],
      [],
    )
    .option('--from <name-or-username>', 'only messages from this sender')
    .option('--since <date>', 'only messages at or after this date (2024-03-01, 2024-03-01T12:00, 7d)')
    .option('--until <date>', 'only messages before this date')
    .option('--limit <n>', `at most this many results (default ${DEFAULT_LIMIT})`)
    .addOption(
      new Option('--sort <order>', 'result order').choices(['relevance', 'newest', 'oldest']).default('relevance'),
    )
    .action(run((ctx: Context, words: string[], options: SearchOptions) => search(ctx, words, options)));
}

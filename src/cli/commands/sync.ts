// `igtg sync`: pulls threads, users and messages from Instagram into the store (see src/sync/).
import type { Command } from 'commander';
import { IgtgError, UsageError } from '../../core/errors.js';
import type { Store } from '../../store/store.js';
import type { SyncProgress } from '../../sync/sync-engine.js';
import type { CommandRunner } from '../program.js';
import type { Context } from '../context.js';
import { StatusMeta } from '../../core/status-meta.js';
import { startSpinner } from '../spinner.js';

interface SyncFlags {
  full?: boolean;
  thread?: string[];
  media?: boolean;
  proxy?: string;
}

async function resolveThreads(store: Store, values: string[]): Promise<string[]> {
  const ids = new Set<string>();
  for (const value of values) {
    const found = (await store.findThreads(value)).filter((thread) => !thread.id.startsWith('archive:'));
    if (found.length > 0) for (const thread of found) ids.add(thread.id);
    else if (/^\d{5,64}$/.test(value.trim())) ids.add(value.trim());
    else
      throw new UsageError(
        `--thread: no Instagram thread matches "${value}" (run igtg sync first, or give the thread id)`,
      );
  }
  return [...ids];
}

function minutes(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.max(1, Math.round(ms / 1000))} s`;
}

function describe(progress: SyncProgress): string {
  const where =
    progress.phase === 'inbox'
      ? `inbox: ${progress.threadsTotal} threads to sync`
      : progress.phase === 'media'
        ? 'media of earlier messages'
        : `threads ${progress.threadsDone}/${progress.threadsTotal}`;
  return `${where} · ${progress.messagesAdded} new messages`;
}

async function sync(ctx: Context, flags: SyncFlags): Promise<void> {
  const [{ connectLoggedIn }, { runSync }, { InstagramError }, { acquireSyncLock }] = await Promise.all([
    import('../../instagram/connect.js'),
    import('../../sync/sync-engine.js'),
    import('../../instagram/errors.js'),
    import('../../sync/sync-lock.js'),
  ]);
  const lock = await acquireSyncLock(ctx.paths.stateDir, 'sync', {
    onWait: (holder) => ctx.out.info(`${holder}; waiting for it to finish…`),
  });
  ctx.onClose(() => lock.release());
  // Progress on a terminal; nothing under cron, --quiet or --json.
  const spinner = await startSpinner(ctx.out, 'connecting to Instagram');
  ctx.onClose(() => spinner?.stop());
  // Logged in before the store is opened: a sync that cannot start creates no empty store (which a
  // later export would take for a real one).
  const connection = await connectLoggedIn({
    env: ctx.env,
    settings: await ctx.settings(),
    secrets: await ctx.secrets(),
    proxy: flags.proxy ?? null,
    pacing: {
      onWait: ({ reason, delayMs }) =>
        ctx.out.info(
          reason === 'rate_limited'
            ? `Instagram asks to slow down; waiting ${minutes(delayMs)} before the next request`
            : `Instagram did not answer properly; trying again in ${minutes(delayMs)}`,
        ),
    },
  });
  ctx.onClose(() => connection.close());
  const store = await ctx.openStore();
  const threadIds = flags.thread?.length ? await resolveThreads(store, flags.thread) : null;

  let summary;
  try {
    summary = await runSync({
      client: connection.client,
      store,
      full: Boolean(flags.full),
      threadIds,
      mediaDir: flags.media ? ctx.paths.mediaDir : null,
      requests: () => connection.gate.requests,
      finalMeta: () => ({ [StatusMeta.lastSyncAt]: String(Date.now()) }),
      onProgress: spinner
        ? (progress) => {
            spinner.text = describe(progress);
          }
        : undefined,
      onWarning: (message) => ctx.out.warn(message),
      checkLock: () => lock.stillHeld(),
    });
  } catch (error) {
    if (
      error instanceof InstagramError &&
      (error.kind === 'rate_limited' || error.kind === 'network' || error.kind === 'server_error')
    ) {
      throw new IgtgError(
        `${error.message}; what was synced is kept — run igtg sync again later to continue`,
        error.exitCode,
        { cause: error },
      );
    }
    throw error;
  }
  spinner?.stop();

  if (ctx.out.json) {
    ctx.out.printJson(summary);
    return;
  }
  const media = summary.media_downloaded !== undefined ? `, ${summary.media_downloaded} media files` : '';
  // `threads` counts those this run looked at (an idle sync reads the top of the inbox only), not
  // those stored: worded so, a smaller number never reads as threads gone.
  ctx.out.line(
    `Synced: ${summary.messages_added} new messages in ${summary.threads_updated} threads${media} ` +
      `(${summary.threads} threads checked, ${summary.requests} requests, ${(summary.duration_ms / 1000).toFixed(1)} s).`,
  );
}

export function registerSync(program: Command, run: CommandRunner): void {
  program
    .command('sync')
    .description('pull threads, users and messages from Instagram into the store')
    .option('--full', 're-walk every thread from the start')
    .option('--thread <idOrTitle...>', 'only these threads')
    .option('--media', 'download photos, videos and voice notes')
    .option('--proxy <url>', 'proxy for Instagram requests (default: the instagram.proxy setting)')
    .action(run((ctx, flags: SyncFlags) => sync(ctx, flags)));
}

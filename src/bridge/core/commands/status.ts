import { toIso } from '../../../core/time.js';
import type { CommandContext } from '../command-context.js';
import { instagramPauseLine, readInstagramPause } from '../instagram-pause.js';
import { parseRealtimeStatus, realtimeLine } from '../realtime-status.js';
import { BridgeMeta } from '../state-keys.js';

function duration(ms: number): string {
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return d > 0 ? `${d}d ${h}h` : h > 0 ? `${h}h ${m}m` : `${m}m ${s % 60}s`;
}

export async function statusText(
  ctx: Pick<CommandContext, 'store' | 'instagram' | 'clock' | 'controls' | 'options'>,
): Promise<string> {
  const [stats, lastPoll, lastError, active, realtime] = await Promise.all([
    ctx.store.outboxStats(),
    ctx.store.getMeta(BridgeMeta.lastPollAt),
    ctx.store.getMeta(BridgeMeta.lastPollError),
    ctx.store.getMeta(BridgeMeta.activeThread),
    ctx.store.getMeta(BridgeMeta.realtime),
  ]);
  const activeThread = active ? await ctx.store.getThread(active) : null;
  const session = ctx.instagram.sessionState();
  const sessionText = {
    ok: 'logged in',
    logged_out: 'logged out – run `igtg login`',
    needs_code: 'waiting for a code (/code CODE)',
    unknown: 'not checked yet',
  }[session];
  const options = ctx.options.get();
  const pause = instagramPauseLine(await readInstagramPause(ctx.store, ctx.clock.now()));
  return [
    `Instagram: ${sessionText}`,
    `Last poll: ${lastPoll ? toIso(Number(lastPoll)) : 'never'}${lastError ? ` (error: ${lastError})` : ''}`,
    realtimeLine(parseRealtimeStatus(realtime)),
    `Poll interval: ${options.pollIntervalSec}s`,
    `Queue: ${stats.pending} pending, ${stats.deadLettered} dead letters${stats.deadLettered > 0 ? ' (/retry)' : ''}`,
    ...(pause ? [pause] : []),
    `Mode: ${options.forumChatId !== null ? 'forum' : 'private chat'}`,
    `Active thread: ${activeThread?.title ?? 'none'}`,
    `Uptime: ${duration(ctx.clock.now() - ctx.controls.startedAt)}`,
  ].join('\n');
}

export async function status(ctx: CommandContext): Promise<void> {
  await ctx.reply(await statusText(ctx));
}

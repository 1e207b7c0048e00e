// `igtg bridge`: the long-running process. Takes the profile lock, opens the store and both
// connectors, runs the bridge loops, writes a heartbeat, and on SIGINT/SIGTERM finishes the work
// in flight (at most 10 s) and exits 0.
import { randomInt } from 'node:crypto';
import type { Context } from '../cli/context.js';
import { BRIDGE_HEARTBEAT_MS, StatusMeta } from '../core/status-meta.js';
import { IgtgError, UsageError, errorMessage } from '../core/errors.js';
import { BotApiTelegramClient, telegramApiUrl } from '../telegram/bot-api-client.js';
import { TOKEN_REFUSED, looksLikeBotToken } from '../telegram/bot-token.js';
import { PacedTelegramClient } from '../telegram/paced-client.js';
import { Pacer, TELEGRAM_LIMITS } from '../telegram/pacer.js';
import { openInstagram } from './adapters/open-instagram.js';
import { startRealtime } from './adapters/start-realtime.js';
import { realtimeOffStatus, type RealtimeLink } from './adapters/realtime-link.js';
import { TelegramClientPort } from './adapters/telegram-port.js';
import { systemClock } from '../core/clock.js';
import { Bridge, type BridgeLog } from './core/bridge.js';
import { adoptBot } from './core/bot-change.js';
import { BridgeMeta } from './core/state-keys.js';
import { bridgeLog, createDaemonLogger } from './service/logger.js';
import { lockProfile } from './service/profile-lock.js';
import { parsePositiveNumber, parseUserId, settingsOptions } from './service/settings-options.js';
import { DeliveryError, type TelegramPort, type TgUser } from './ports.js';

export const SHUTDOWN_GRACE_MS = 10_000;

export interface DaemonFlags {
  pollInterval?: string;
  realtime: boolean;
}

export async function telegramToken(ctx: Context): Promise<string> {
  const fromEnv = ctx.env.IGTG_TELEGRAM_TOKEN?.trim();
  if (fromEnv) {
    if (!looksLikeBotToken(fromEnv)) {
      throw new UsageError('IGTG_TELEGRAM_TOKEN does not look like a bot token (123456:ABC…, from @BotFather)');
    }
    return fromEnv;
  }
  const stored = await (await ctx.secrets()).get('telegram.token');
  if (!stored) throw new IgtgError('no Telegram bot token; run `igtg telegram setup` (or set IGTG_TELEGRAM_TOKEN)');
  return stored;
}

function envNumber(env: NodeJS.ProcessEnv, name: string): number | undefined {
  return parsePositiveNumber(env[name], name);
}

/** Settles when `signal` aborts, at once if it already has (a listener added late would never run). */
function whenAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

function logLevel(env: NodeJS.ProcessEnv, verbose: boolean): string {
  const level = env.IGTG_LOG_LEVEL?.trim().toLowerCase();
  if (!level) return verbose ? 'debug' : 'info';
  if (!LOG_LEVELS.includes(level)) {
    throw new UsageError(`IGTG_LOG_LEVEL: "${env.IGTG_LOG_LEVEL}" is not a log level (${LOG_LEVELS.join(', ')})`);
  }
  return level;
}

/**
 * The bot, from getMe. While the Bot API cannot be reached (or rate-limits) the bridge waits for it
 * as it would for any outage, rather than exit; a refused token still fails at once. Null when
 * `signal` stopped the wait.
 */
async function botIdentity(telegram: TelegramPort, log: BridgeLog, signal: AbortSignal): Promise<TgUser | null> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await telegram.getMe();
    } catch (error) {
      if (error instanceof DeliveryError && (error.code === 401 || error.code === 404)) {
        throw new IgtgError(
          `${TOKEN_REFUSED} (${errorMessage(error)}); run \`igtg telegram setup\` with the token from @BotFather` +
            ' (or fix IGTG_TELEGRAM_TOKEN)',
          undefined,
          { cause: error },
        );
      }
      if (!(error instanceof DeliveryError) || !(error.transient || error.code === 429)) throw error;
      const waitMs = error.retryAfterMs ?? Math.min(60_000, 1_000 * 2 ** Math.min(attempt - 1, 6));
      log.warn({ error: errorMessage(error), retryInMs: waitMs }, 'Telegram Bot API not reachable; waiting for it');
      await systemClock.sleep(waitMs, signal);
      if (signal.aborted) return null;
    }
  }
}

/**
 * Whether the bridge opens the realtime link. It is a TLS socket of its own that cannot go through
 * an HTTP proxy: with instagram.proxy set, Instagram would see the address the proxy is there to
 * hide, so the bridge polls (through the proxy) instead, and says why.
 */
export function realtimeChoice(
  requested: boolean,
  settings: { get(key: string): unknown },
): { on: boolean; note: string | null } {
  if (!requested || settings.get('bridge.realtime') === false) return { on: false, note: null };
  if (settings.get('instagram.proxy')) {
    return { on: false, note: 'realtime is off: it cannot go through instagram.proxy; polling instead' };
  }
  return { on: true, note: null };
}

export async function runDaemon(ctx: Context, flags: DaemonFlags): Promise<void> {
  const { env } = ctx;
  const logger = await createDaemonLogger({
    level: logLevel(env, ctx.globals.verbose),
    // JSON for journald and pipes (or with --json); readable lines for a person at a terminal.
    pretty: ctx.out.isTTY && !ctx.out.json,
    color: ctx.out.options.color,
  });
  const log = bridgeLog(logger);
  const pollInterval =
    parsePositiveNumber(flags.pollInterval, '--poll-interval') ?? envNumber(env, 'IGTG_POLL_INTERVAL');
  const ownerId = parseUserId(env.IGTG_TELEGRAM_OWNER_ID, 'IGTG_TELEGRAM_OWNER_ID');
  const token = await telegramToken(ctx);

  const shutdown = new AbortController();
  // From here on a signal stops the bridge cleanly, also while it is still starting (waiting for
  // the Bot API, say).
  const onSignal = (signal: string) => {
    if (shutdown.signal.aborted) return;
    log.info({ signal }, 'stopping: finishing work in flight');
    shutdown.abort();
  };
  const sigint = () => onSignal('SIGINT');
  const sigterm = () => onSignal('SIGTERM');
  process.on('SIGINT', sigint);
  process.on('SIGTERM', sigterm);
  const release = await lockProfile(ctx.paths.stateDir, ctx.paths.profile, (error) => {
    log.error({ error: error.message }, 'bridge lock lost; stopping');
    shutdown.abort();
  });
  try {
    const store = await ctx.openStore();
    const settings = await ctx.settings();
    const options = settingsOptions(settings, {
      ...(pollInterval ? { pollIntervalSec: pollInterval } : {}),
      ...(ownerId ? { ownerId } : {}),
    });
    const paceMs =
      env.IGTG_TELEGRAM_PACE_MS !== undefined ? Number(env.IGTG_TELEGRAM_PACE_MS) : TELEGRAM_LIMITS.perChatIntervalMs;
    const pacer = new Pacer(systemClock, {
      ...TELEGRAM_LIMITS,
      perChatIntervalMs: paceMs,
      ...(paceMs === 0 ? { groupPerWindow: 1_000_000, globalPerSecond: 1_000_000 } : {}),
    });
    const telegram = new TelegramClientPort(
      new PacedTelegramClient(new BotApiTelegramClient({ token, apiUrl: telegramApiUrl(env) }), pacer),
    );
    const me = await botIdentity(telegram, log, shutdown.signal);
    if (!me) return; // stopped while the Bot API could not be reached
    await adoptBot(store, me.id, log);
    const instagram = openInstagram(ctx, store, log);
    const realtime = realtimeChoice(flags.realtime, settings);
    if (realtime.note) log.warn({}, realtime.note);
    const realtimeOn = realtime.on;
    let link: RealtimeLink | null = null;

    const bridge = new Bridge({
      botId: me.id,
      ...(me.username ? { botUsername: me.username } : {}),
      store,
      instagram,
      telegram,
      options,
      clock: systemClock,
      random: Math.random,
      log,
      leaseMs: envNumber(env, 'IGTG_BRIDGE_LEASE_MS') ?? 60_000,
      telegramTimeoutSec: envNumber(env, 'IGTG_TELEGRAM_POLL_TIMEOUT') ?? 25,
      // With realtime up, Instagram is asked only to reconcile (start-up, reconnects, /sync).
      shouldPoll: () => !(link?.connected() ?? false),
      loginCommand: ctx.paths.profile === 'default' ? 'igtg login' : `igtg --profile ${ctx.paths.profile} login`,
    });
    await bridge.initialise();
    // The lock was lost while starting (its file removed, its refresh stalled): this bridge may no
    // longer be the only one, so it does not start.
    if (shutdown.signal.aborted) return;
    if (realtimeOn) {
      link = await startRealtime({ env, store, instagram, bridge, log, after: bridge.firstPoll });
    } else {
      log.info({}, 'realtime off: polling only');
      await store.setMeta(BridgeMeta.realtime, JSON.stringify(realtimeOffStatus(Date.now())));
    }
    if (options.get().ownerId === null) {
      const code = String(randomInt(100_000, 1_000_000));
      await store.setMeta(BridgeMeta.pairingCode, code);
      log.info({ bot: me.username }, `no owner paired: send "/start ${code}" to the bot`);
    }
    log.info(
      {
        profile: ctx.paths.profile,
        bot: me.username,
        pollIntervalSec: options.get().pollIntervalSec,
        forum: options.get().forumChatId !== null,
        realtime: realtimeOn,
      },
      'bridge started',
    );

    const heartbeat = async () => {
      while (!shutdown.signal.aborted) {
        await store
          .setMeta(StatusMeta.bridgeHeartbeat, String(Date.now()))
          .catch((error) => log.warn({ error: errorMessage(error) }, 'heartbeat failed'));
        await link?.saveStatus().catch(() => undefined);
        await systemClock.sleep(BRIDGE_HEARTBEAT_MS, shutdown.signal);
      }
    };
    const loops = Promise.all([
      bridge.runPollLoop(shutdown.signal),
      bridge.runTelegramLoop(shutdown.signal),
      bridge.runDeliveryLoop(shutdown.signal),
      heartbeat(),
      whenAborted(shutdown.signal).then(async () => {
        await link?.stop().catch((error: unknown) => log.warn({ error: errorMessage(error) }, 'realtime stop failed'));
        await instagram.close();
      }),
    ]);
    await whenAborted(shutdown.signal);
    const finished = await Promise.race([
      loops.then(() => true),
      systemClock.sleep(SHUTDOWN_GRACE_MS - 500).then(() => false),
    ]);
    // The handlers stay installed until exit: libraries using signal-exit re-raise a signal when
    // they are the only listeners left, which would turn this clean stop into a kill.
    log.info({ clean: finished }, 'bridge stopped');
    // `igtg status` says "not running" at once, not once the heartbeat has gone stale.
    await store.setMeta(StatusMeta.bridgeHeartbeat, null).catch(() => undefined);
    if (!finished) {
      // Work still in flight is in the outbox and will be retried at the next start.
      await release().catch(() => undefined);
      await ctx.close().catch(() => undefined);
      process.exit(0);
    }
  } finally {
    await release().catch(() => undefined);
    // Idle keep-alive sockets of the HTTP clients must not hold the process after a clean stop.
    setTimeout(() => process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0), 2000).unref();
  }
}

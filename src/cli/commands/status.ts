import type { Command } from 'commander';
import { BRIDGE_STALE_MS, StatusMeta } from '../../core/status-meta.js';
import { StoreMissingError } from '../../core/errors.js';
import { toIso } from '../../core/time.js';
import type { Store } from '../../store/store.js';
import { pendingLoginState } from '../../instagram/pending-login-age.js';
import { InstagramSecrets } from '../../instagram/secret-names.js';
import { sessionDigest } from '../../instagram/session-keeper.js';
import { parseRealtimeStatus, realtimeLine } from '../../bridge/core/realtime-status.js';
import { BridgeMeta } from '../../bridge/core/state-keys.js';
import { bridgeProcessGone } from '../../bridge/service/profile-lock.js';
import { readInstagramPause } from '../../bridge/core/instagram-pause.js';
import type { CommandRunner } from '../program.js';
import type { Context } from '../context.js';

function isoOrNull(value: string | null): string | null {
  if (!value) return null;
  const ms = Number(value);
  return Number.isFinite(ms) ? toIso(ms) : null;
}

/** What status reads of the store; a store not created yet reads as empty (status never creates one). */
async function readStore(ctx: Context) {
  let store: Store;
  try {
    store = await ctx.openStore({ mustExist: true, readOnlyIfNeeded: true });
  } catch (error) {
    if (!(error instanceof StoreMissingError)) throw error;
    return {
      store: { kind: error.kind, location: error.location, exists: false },
      counts: { threads: 0, messages: 0, users: 0 },
      outbox: { pending: 0, deadLettered: 0 },
      meta: [null, null, null, null, null],
      pause: null,
    };
  }
  const [counts, outbox, pause, ...meta] = await Promise.all([
    store.counts(),
    store.outboxStats(),
    readInstagramPause(store, Date.now()),
    store.getMeta(StatusMeta.lastSyncAt),
    store.getMeta(StatusMeta.lastImportAt),
    store.getMeta(StatusMeta.bridgeHeartbeat),
    store.getMeta(BridgeMeta.lastPollAt),
    store.getMeta(BridgeMeta.realtime),
  ]);
  return { store: { kind: store.kind, location: store.location, exists: true }, counts, outbox, meta, pause };
}

async function status(ctx: Context): Promise<void> {
  const { store, counts, outbox, meta, pause } = await readStore(ctx);
  const [lastSync, lastImport, heartbeat, lastPoll, realtimeText] = meta;
  const realtime = parseRealtimeStatus(realtimeText);
  const running =
    heartbeat !== null && Date.now() - Number(heartbeat) < BRIDGE_STALE_MS && !bridgeProcessGone(ctx.paths.stateDir);
  const secrets = await ctx.secrets();
  const [session, username, pendingLogin, refused] = await Promise.all([
    secrets.get(InstagramSecrets.session),
    secrets.get(InstagramSecrets.username),
    secrets.get(InstagramSecrets.pendingLogin),
    secrets.get(InstagramSecrets.sessionRefused),
  ]);
  const report = {
    profile: ctx.paths.profile,
    instagram: {
      logged_in: session !== null,
      username: session !== null ? username : null,
      // Instagram answered login_required to the stored session (a sync or the bridge saw it).
      session_refused: session !== null && refused === sessionDigest(session),
      // A login begun with a password that still waits for its code (igtg login --code).
      pending_login: pendingLoginState(pendingLogin, Date.now()) === 'waiting',
    },
    secrets: { backend: secrets.backend, location: secrets.location },
    store,
    paths: { config: ctx.paths.configDir, data: ctx.paths.dataDir, media: ctx.paths.mediaDir },
    counts,
    last_sync_at: isoOrNull(lastSync),
    last_import_at: isoOrNull(lastImport),
    bridge: {
      running,
      heartbeat_at: isoOrNull(heartbeat),
      last_poll_at: isoOrNull(lastPoll),
      realtime: realtime && {
        enabled: realtime.enabled,
        // What a bridge that no longer beats last wrote is not a live link.
        connected: running && realtime.connected,
        connected_since: realtime.connected_since === null ? null : toIso(realtime.connected_since),
        reconnects: realtime.reconnects,
        last_event_at: realtime.last_event_at === null ? null : toIso(realtime.last_event_at),
        polling: realtime.polling,
        last_error: realtime.last_error,
      },
      outbox_pending: outbox.pending,
      dead_letters: outbox.deadLettered,
      // Sends to Instagram held after an action block (feedback_required), until this time.
      instagram_paused_until: pause ? toIso(pause.until) : null,
    },
  };
  if (ctx.out.json) {
    ctx.out.printJson(report);
    return;
  }
  const { out } = ctx;
  const row = (label: string, value: string) => out.line(`${out.style('bold', label.padEnd(14))} ${value}`);
  row('profile', report.profile);
  const login = report.instagram;
  row(
    'instagram',
    login.logged_in
      ? `logged in${login.username ? ` as ${login.username}` : ''}` +
          (login.session_refused
            ? login.pending_login
              ? ', but Instagram ended the session; a new login waits for a code (igtg login --code …)'
              : ', but Instagram ended the session (igtg login)'
            : '')
      : login.pending_login
        ? 'login waiting for a code (igtg login --code …)'
        : 'not logged in (igtg login)',
  );
  row('secrets', report.secrets.backend === 'keychain' ? 'OS keychain' : `file (${secrets.location})`);
  row(
    'store',
    `${report.store.kind} ${report.store.location}` +
      (report.store.exists ? '' : ' (not created yet: igtg import or igtg sync)'),
  );
  row('threads', String(counts.threads));
  row('messages', String(counts.messages));
  row('users', String(counts.users));
  row('last sync', report.last_sync_at ?? 'never');
  row('last import', report.last_import_at ?? 'never');
  const { bridge } = report;
  row(
    'bridge',
    bridge.running
      ? `running, last heartbeat ${bridge.heartbeat_at}`
      : bridge.heartbeat_at
        ? `not running (stopped without a word after ${bridge.heartbeat_at})`
        : 'not running',
  );
  if (bridge.running) {
    row('last poll', report.bridge.last_poll_at ?? 'never');
    row('realtime', realtimeLine(realtime).replace(/^Realtime: /, ''));
  }
  row('outbox', `${outbox.pending} pending, ${outbox.deadLettered} dead letters`);
  if (bridge.instagram_paused_until) {
    row('to instagram', `paused after an action block until ${bridge.instagram_paused_until} (/retry sends now)`);
  }
}

export function registerStatus(program: Command, run: CommandRunner): void {
  program.command('status').description('profile, store, counts, last sync and bridge state').action(run(status));
}

// Builds and starts the bridge's realtime link once the first poll has run (that poll opens the
// Instagram session and, on a first run, stores the history baseline). The receiver connects to
// IGTG_INSTAGRAM_REALTIME_URL (default Instagram's edge host) with the stored session and takes a
// fresh iris snapshot from the inbox before every (re)connect.
import { errorMessage } from '../../core/errors.js';
import type { Store } from '../../store/store.js';
import type { Bridge, BridgeLog } from '../core/bridge.js';
import type { BridgeInstagram } from './open-instagram.js';
import { RealtimeLink } from './realtime-link.js';

export interface StartRealtimeDeps {
  env: NodeJS.ProcessEnv;
  store: Store;
  instagram: BridgeInstagram;
  bridge: Bridge;
  log: BridgeLog;
  /** The link starts after this settles. */
  after: Promise<void>;
}

function envMs(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const value = Number(env[name]);
  return env[name] !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;
}

export async function startRealtime(deps: StartRealtimeDeps): Promise<RealtimeLink> {
  const { env, instagram, log } = deps;
  const [{ RealtimeReceiver }, { realtimeTargetFromEnv }, { DEFAULT_API_URL, normalizeApiUrl }] = await Promise.all([
    import('../../realtime/realtime-receiver.js'),
    import('../../realtime/realtime-url.js'),
    import('../../instagram/adapter/configure.js'),
  ]);
  const target = realtimeTargetFromEnv(env); // A malformed URL fails at start-up, not in the loop.
  let link: RealtimeLink | null = null;
  const receiver = new RealtimeReceiver({
    target,
    apiUrl: normalizeApiUrl(env.IGTG_INSTAGRAM_API_URL?.trim() || DEFAULT_API_URL),
    fetchIrisSnapshot: async () => {
      const client = instagram.current()?.client;
      if (!client?.irisSnapshot) throw new Error('not logged in to Instagram');
      return client.irisSnapshot();
    },
    usersOf: () => link!.usersOf(),
    ...(envMs(env, 'IGTG_REALTIME_WATCHDOG_MS') ? { watchdogMs: envMs(env, 'IGTG_REALTIME_WATCHDOG_MS') } : {}),
    ...(envMs(env, 'IGTG_REALTIME_BACKOFF_MS') ? { backoffBaseMs: envMs(env, 'IGTG_REALTIME_BACKOFF_MS') } : {}),
  });
  link = new RealtimeLink({
    store: deps.store,
    receiver,
    session: async () => (await instagram.current()?.keeper.load()) ?? null,
    forward: () => deps.bridge.forward(),
    reconcile: () => deps.bridge.requestSync(),
    log,
  });
  const started = link;
  void deps.after
    .then(() => started.start())
    .catch((error: unknown) => log.error({ error: errorMessage(error) }, 'realtime did not start'));
  return link;
}

// Meta keys under which sync, import and the bridge record what `igtg status` reports.
export const StatusMeta = {
  lastSyncAt: 'status.last_sync_at',
  lastImportAt: 'status.last_import_at',
  bridgeHeartbeat: 'bridge.heartbeat',
  /** The logged-in account's Instagram user id, as the inbox last said (the bridge tells its own reactions). */
  instagramViewerId: 'instagram.viewer_id',
} as const;

/** How often a running bridge writes its heartbeat. */
export const BRIDGE_HEARTBEAT_MS = 5_000;

/** A heartbeat older than this is a bridge that stopped without saying so (killed, crashed). */
export const BRIDGE_STALE_MS = 3 * BRIDGE_HEARTBEAT_MS;

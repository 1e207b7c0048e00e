// Meta keys under which sync, import and the bridge record what `igtg status` reports.
export const StatusMeta = {
  lastSyncAt: 'status.last_sync_at',
  lastImportAt: 'status.last_import_at',
  bridgeHeartbeat: 'bridge.heartbeat',
} as const;

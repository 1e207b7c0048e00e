// Keys under which the bridge keeps its state in the store's meta table.
export const BridgeMeta = {
  /** Store sequence number up to which stored messages were considered for forwarding. */
  forwardSeq: 'bridge.forward_seq',
  /** Next Telegram getUpdates offset (highest handled update_id + 1). */
  telegramOffset: 'bridge.telegram_offset',
  /** The bot (getMe id) the Telegram offset, mappings and reply keys belong to. */
  telegramBotId: 'bridge.telegram_bot_id',
  activeThread: 'bridge.active_thread',
  lastPollAt: 'bridge.last_poll_at',
  lastPollError: 'bridge.last_poll_error',
  startedAt: 'bridge.started_at',
  /**
   * 'pending' while the first sync of a never-synced store runs (that history is not forwarded),
   * then 'done'.
   */
  historyBaseline: 'bridge.history_baseline',
  /** JSON RealtimeStatus (see realtime-status.ts): realtime link state for /status and `igtg status`. */
  realtime: 'bridge.realtime',
  /** One-time code a Telegram user sends as `/start CODE` to become the owner. */
  pairingCode: 'bridge.pairing_code',
  muted: (threadId: string) => `bridge.muted.${threadId}`,
  /** client_context of a message the bridge sent to Instagram (value: thread id), for echo suppression. */
  sentContext: (clientContext: string) => `bridge.sent_cc.${clientContext}`,
  /**
   * Item id of a photo Instagram accepted for an outbox entry (by its client_context) whose caption
   * is still to send: a retry sends only the caption.
   */
  photoSent: (clientContext: string) => `bridge.photo_sent.${clientContext}`,
  /** Set once a stranger got the "private bot" reply. */
  strangerAnswered: (userId: number) => `bridge.stranger.${userId}`,
} as const;

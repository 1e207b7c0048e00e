// The realtime link's state as the bridge keeps it in the store (meta key `bridge.realtime`, JSON)
// for the bot's /status and `igtg status`. Times are epoch milliseconds.
import { toIso } from '../../core/time.js';

export interface RealtimeStatus {
  /** False when the bridge runs polling only (--no-realtime, bridge.realtime false). */
  enabled: boolean;
  connected: boolean;
  connected_since: number | null;
  reconnects: number;
  last_event_at: number | null;
  /** True while the bridge polls Instagram instead (realtime down or off). */
  polling: boolean;
  last_error: string | null;
  updated_at: number;
}

export function parseRealtimeStatus(text: string | null): RealtimeStatus | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as RealtimeStatus;
    return typeof value === 'object' && value !== null && typeof value.enabled === 'boolean' ? value : null;
  } catch {
    return null;
  }
}

export function realtimeLine(status: RealtimeStatus | null): string {
  if (!status || !status.enabled) return 'Realtime: off (polling only)';
  if (status.connected) {
    const since = status.connected_since ? toIso(status.connected_since) : '?';
    const last = status.last_event_at ? `, last event ${toIso(status.last_event_at)}` : '';
    return `Realtime: connected since ${since}, ${status.reconnects} reconnects${last}`;
  }
  const why = status.last_error ? ` (${status.last_error.slice(0, 120)})` : '';
  return `Realtime: down${why}, ${status.reconnects} reconnects – polling instead`;
}

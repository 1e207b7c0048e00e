// The bridge's adjustable options. The daemon backs them with the profile's settings (config.json);
// unit tests use an in-memory object. /settings and /forum change them while the bridge runs.
export interface BridgeOptions {
  mirrorOwn: boolean;
  media: boolean;
  /** Seconds between inbox polls (before jitter and the idle/active adjustments). */
  pollIntervalSec: number;
  maxAttempts: number;
  ownerId: number | null;
  forumChatId: number | null;
}

export interface BridgeOptionsPort {
  get(): BridgeOptions;
  update(
    patch: Partial<Pick<BridgeOptions, 'mirrorOwn' | 'media' | 'pollIntervalSec' | 'ownerId' | 'forumChatId'>>,
  ): void;
}

export const DEFAULT_OPTIONS: BridgeOptions = {
  mirrorOwn: false,
  media: true,
  pollIntervalSec: 60,
  maxAttempts: 8,
  ownerId: null,
  forumChatId: null,
};

export function memoryOptions(initial: Partial<BridgeOptions> = {}): BridgeOptionsPort {
  let current: BridgeOptions = { ...DEFAULT_OPTIONS, ...initial };
  return {
    get: () => current,
    update: (patch) => {
      current = { ...current, ...patch };
    },
  };
}

// Bounds that keep a hostile or broken archive from exhausting memory or disk. Real Instagram
// archives stay far below each of them: message files hold at most ~10,000 messages (a few MB).

export interface ArchiveLimits {
  /** Largest message_N.json / messages.json we parse. */
  maxJsonBytes: number;
  /** Largest message_N.html we parse. */
  maxHtmlBytes: number;
  /** Deepest nesting of arrays/objects in a JSON file (real files nest about 5 levels). */
  maxJsonDepth: number;
  /** Largest single entry (declared or real) of a zip, and largest media file copied. */
  maxEntryBytes: number;
  /** Sum of the declared uncompressed sizes of all zip entries. */
  maxTotalBytes: number;
  /** Most entries a zip (or files a folder walk) may hold. */
  maxEntries: number;
  /** Largest uncompressed/compressed ratio for entries bigger than `ratioMinBytes` (a zip bomb). */
  maxCompressionRatio: number;
  ratioMinBytes: number;
  /**
   * Most bytes all entries that expand past `maxCompressionRatio` may add up to, whatever their size:
   * many entries each just under `ratioMinBytes` are a zip bomb too (1,500 × 1 MiB of zeros: a
   * 1.8 MB zip, 1.5 GB on disk), and counting only such entries keeps random padding from hiding them.
   */
  maxHighRatioBytes: number;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export const DEFAULT_LIMITS: ArchiveLimits = {
  maxJsonBytes: 256 * MiB,
  maxHtmlBytes: 128 * MiB,
  maxJsonDepth: 64,
  maxEntryBytes: 2 * GiB,
  maxTotalBytes: 256 * GiB,
  maxEntries: 2_000_000,
  maxCompressionRatio: 200,
  ratioMinBytes: 1 * MiB,
  maxHighRatioBytes: 64 * MiB,
};

export function withLimits(overrides: Partial<ArchiveLimits> = {}): ArchiveLimits {
  return { ...DEFAULT_LIMITS, ...overrides };
}

export function formatBytes(bytes: number): string {
  if (bytes >= GiB) return `${(bytes / GiB).toFixed(1)} GiB`;
  if (bytes >= MiB) return `${(bytes / MiB).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}

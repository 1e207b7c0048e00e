// BridgeOptions backed by the profile's settings (config.json), with environment overrides:
// IGTG_TELEGRAM_OWNER_ID, IGTG_POLL_INTERVAL / --poll-interval. Changes made in chat are saved.
import type { Settings } from '../../config/settings.js';
import { UsageError } from '../../core/errors.js';
import type { BridgeOptions, BridgeOptionsPort } from '../core/options.js';

export interface OptionOverrides {
  pollIntervalSec?: number;
  ownerId?: number;
}

export function parsePositiveNumber(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new UsageError(`${name} must be a positive number, not "${raw.slice(0, 30)}"`);
  return value;
}

/** A Telegram user id: decimal digits only (`Number` would take 0x10 or 1e3). */
export function parseUserId(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value <= 0)
    throw new UsageError(`${name} must be a Telegram user id (a positive whole number), not "${raw.slice(0, 30)}"`);
  return value;
}

export function settingsOptions(settings: Settings, overrides: OptionOverrides): BridgeOptionsPort {
  const read = (): BridgeOptions => ({
    mirrorOwn: Boolean(settings.get('bridge.mirror_own')),
    media: Boolean(settings.get('bridge.media')),
    pollIntervalSec: overrides.pollIntervalSec ?? Number(settings.get('bridge.poll_interval')),
    maxAttempts: Number(settings.get('bridge.max_attempts')),
    ownerId: overrides.ownerId ?? (settings.get('telegram.owner_id') as number | undefined) ?? null,
    forumChatId: (settings.get('telegram.forum_chat_id') as number | undefined) ?? null,
  });
  let current = read();
  return {
    get: () => current,
    update(patch) {
      if (patch.mirrorOwn !== undefined) settings.set('bridge.mirror_own', String(patch.mirrorOwn));
      if (patch.media !== undefined) settings.set('bridge.media', String(patch.media));
      if (patch.pollIntervalSec !== undefined) {
        settings.set('bridge.poll_interval', String(patch.pollIntervalSec));
        delete overrides.pollIntervalSec;
      }
      if (patch.ownerId !== undefined && patch.ownerId !== null)
        settings.set('telegram.owner_id', String(patch.ownerId));
      if (patch.forumChatId !== undefined) {
        if (patch.forumChatId === null) settings.unset('telegram.forum_chat_id');
        else settings.set('telegram.forum_chat_id', String(patch.forumChatId));
      }
      current = read();
    },
  };
}

// The 2018–19 archive: one messages.json holding every conversation, senders as usernames and
// ISO times. Each conversation becomes a thread page in the current shape; `raws` keeps the items.
import { createHash } from 'node:crypto';
import { ArchiveFileError } from './archive-error.js';
import { parseMetaJson } from './json-thread.js';
import {
  describeZodError,
  legacyFileSchema,
  type LegacyFile,
  type LegacyItem,
  type MetaMessage,
} from './meta-schema.js';
import type { ParsedThreadFile } from './thread-file.js';

export interface LegacyThread extends ParsedThreadFile {
  /** Synthetic folder name (legacy files have none): from the participants' usernames. */
  folder: string;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** ISO 8601 with any number of fraction digits (Python writes microseconds) → epoch ms; null if unreadable. */
export function parseIsoMs(text: string): number | null {
  const match = ISO.exec(text.trim());
  if (!match) return null;
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s ?? '0'].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = fraction ? Math.floor(Number(`0.${fraction}`) * 1000) : 0;
  let result = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC rolls over (Feb 30 → Mar 2, 25:61 → the next day): a time that does not exist is refused.
  const back = new Date(result);
  if (back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    return null;
  }
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const [zoneHours, zoneMinutes] = [Number(digits.slice(0, 2)), Number(digits.slice(2))];
    if (zoneHours > 23 || zoneMinutes > 59) return null;
    result -= sign * (zoneHours * 60 + zoneMinutes) * 60_000;
  }
  return Number.isFinite(result) ? result : null;
}

export function legacyFolderName(participants: string[]): string {
  const names = [...new Set(participants)].sort();
  const joined = names.join('_').replace(/[^A-Za-z0-9._-]/g, '');
  if (joined && joined.length <= 120) return `legacy_${joined}`;
  return `legacy_${createHash('sha256').update(names.join('\u0000')).digest('hex').slice(0, 20)}`;
}

function toMessage(item: LegacyItem, timestampMs: number): MetaMessage {
  const message: MetaMessage = { sender_name: item.sender, timestamp_ms: timestampMs };
  if (item.text) message.content = item.text;
  else if (item.action) {
    message.content = item.action;
    message.type = 'Action';
  } else if (item.heart) {
    message.content = item.heart;
    message.type = 'Heart';
  } else if (item.link) message.content = item.link;
  const remote = item.media ?? item.media_url;
  if (remote) message.photos = [{ uri: remote }];
  if (item.media_share_url || item.media_share_caption || item.media_owner) {
    message.share = {
      link: item.media_share_url ?? null,
      share_text: item.media_share_caption ?? null,
      original_content_owner: item.media_owner ?? null,
    };
  } else if (item.story_share) {
    message.share = { share_text: item.story_share };
  } else if (item.profile_share_username) {
    message.share = {
      link: `https://www.instagram.com/${item.profile_share_username}/`,
      original_content_owner: item.profile_share_username,
    };
  }
  if (item.likes && item.likes.length > 0) {
    message.reactions = item.likes.map((like) => {
      const at = like.date ? parseIsoMs(like.date) : null;
      return { reaction: '❤️', actor: like.username, timestamp: at === null ? null : Math.floor(at / 1000) };
    });
  }
  return message;
}

export function parseLegacyFile(text: string, file: string, maxDepth: number): LegacyThread[] {
  // The 2018–19 files escape text correctly (shared/formats/ig-export-legacy-messages.json), so the
  // later files' repair is not run: on correct text it cannot tell a French "OÙ\u00a0?" from the bug.
  const value = parseMetaJson(text, file, maxDepth, false);
  const checked = legacyFileSchema.safeParse(value);
  if (!checked.success) throw new ArchiveFileError(file, describeZodError(checked.error));
  const conversations = value as LegacyFile;
  const byFolder = new Map<string, LegacyThread>();
  conversations.forEach((conversation, c) => {
    const folder = legacyFolderName(conversation.participants);
    let thread = byFolder.get(folder);
    if (!thread) {
      thread = {
        folder,
        title: null,
        participants: [...conversation.participants],
        isGroupHint: conversation.participants.length > 2,
        messages: [],
        raws: [],
        sentAt: null,
        repaired: true,
      };
      byFolder.set(folder, thread);
    }
    conversation.conversation.forEach((item, i) => {
      const at = parseIsoMs(item.created_at);
      if (at === null) {
        throw new ArchiveFileError(
          file,
          `[${c}].conversation[${i}].created_at: cannot read "${item.created_at}" as a time`,
        );
      }
      thread.messages.push(toMessage(item, at));
      thread.raws!.push(item);
    });
  });
  for (const thread of byFolder.values()) {
    // Newest first, like message_N.json (stable for equal times).
    const order = thread.messages
      .map((_, i) => i)
      .sort((a, b) => thread.messages[b]!.timestamp_ms - thread.messages[a]!.timestamp_ms || a - b);
    thread.messages = order.map((i) => thread.messages[i]!);
    thread.raws = order.map((i) => thread.raws![i]);
  }
  return [...byFolder.values()];
}

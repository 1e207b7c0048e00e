// Thread, user and sync-state <-> row mapping.
import type { Participant, Thread, ThreadSummary, User } from '../../core/model.js';
import type { SyncState } from '../store.js';
import { normalizeForSearch } from '../search-query.js';
import { bit, parseJson } from './connection.js';

export const THREAD_COLUMNS =
  't.id, t.title, t.is_group, t.is_request, t.participants, t.last_activity_at, t.source, t.archive_folder, t.message_count, t.last_message_at';

/** Newest activity of a thread, as ordered by the threads_activity index (same expression). */
export const THREAD_ACTIVITY = 'max(coalesce(t.last_activity_at, 0), coalesce(t.last_message_at, 0))';

export interface ThreadRow {
  id: string;
  title: string;
  is_group: number;
  is_request: number;
  participants: string;
  last_activity_at: number | null;
  source: string;
  archive_folder: string | null;
  message_count: number;
  last_message_at: number | null;
}

export function rowToThread(row: ThreadRow): Thread {
  return {
    id: row.id,
    title: row.title,
    isGroup: row.is_group === 1,
    isRequest: row.is_request === 1,
    participants: parseJson<Participant[]>(row.participants, []),
    lastActivityAt: row.last_activity_at,
    source: row.source as Thread['source'],
    archiveFolder: row.archive_folder,
  };
}

export function rowToSummary(row: ThreadRow): ThreadSummary {
  return { ...rowToThread(row), messageCount: row.message_count, lastMessageAt: row.last_message_at };
}

export function threadParams(thread: Thread) {
  return {
    id: thread.id,
    title: thread.title,
    titleNorm: normalizeForSearch(thread.title),
    isGroup: bit(thread.isGroup),
    isRequest: bit(thread.isRequest),
    participants: JSON.stringify(thread.participants ?? []),
    lastActivityAt: thread.lastActivityAt ?? null,
    source: thread.source,
    archiveFolder: thread.archiveFolder ?? null,
  };
}

export interface UserRow {
  id: string;
  username: string | null;
  full_name: string | null;
  profile_pic_url: string | null;
}

export function rowToUser(row: UserRow): User {
  return { id: row.id, username: row.username, fullName: row.full_name, profilePicUrl: row.profile_pic_url };
}

export function userParams(user: User) {
  return {
    id: user.id,
    username: user.username ?? null,
    fullName: user.fullName ?? null,
    profilePicUrl: user.profilePicUrl ?? null,
    usernameNorm: user.username ? normalizeForSearch(user.username) : null,
    fullNameNorm: user.fullName ? normalizeForSearch(user.fullName) : null,
  };
}

export interface SyncStateRow {
  key: string;
  older_cursor: string | null;
  newest_item_id: string | null;
  newest_item_at: number | null;
  complete: number;
  updated_at: number;
}

export function rowToSyncState(row: SyncStateRow): SyncState {
  return {
    key: row.key,
    olderCursor: row.older_cursor,
    newestItemId: row.newest_item_id,
    newestItemAt: row.newest_item_at,
    complete: row.complete === 1,
    updatedAt: row.updated_at,
  };
}

export function syncStateParams(state: SyncState) {
  return {
    key: state.key,
    olderCursor: state.olderCursor ?? null,
    newestItemId: state.newestItemId ?? null,
    newestItemAt: state.newestItemAt ?? null,
    complete: bit(state.complete),
    updatedAt: state.updatedAt,
  };
}

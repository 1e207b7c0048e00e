// Inbox and thread responses in the shapes of shared/formats/ig-inbox.json and ig-thread.json,
// with their cursors: the inbox's oldest_cursor is JSON in a string, a thread's is an item id.
import type { FakeInstagramState, FakeThread, FakeUser } from './fake-state.js';
import type { Json } from './items.js';

export function userJson(user: FakeUser): Json {
  return {
    pk: Number(user.pk),
    pk_id: user.pk,
    username: user.username,
    full_name: user.full_name,
    is_private: false,
    profile_pic_url: `https://scontent.cdninstagram.com/v/t51.2885-19/${user.pk}_n.jpg`,
    is_verified: false,
    has_anonymous_profile_picture: false,
  };
}

function itemPage(thread: FakeThread, cursor: string | null, limit: number): { items: Json[]; hasOlder: boolean } {
  let start = 0;
  if (cursor) {
    const index = thread.items.findIndex((item) => item.item_id === cursor);
    // An unknown cursor: continue with items older than the id (ids grow with time).
    start = index >= 0 ? index + 1 : thread.items.findIndex((item) => BigInt(String(item.item_id)) < BigInt(cursor));
    if (start < 0) start = thread.items.length;
  }
  const items = thread.items.slice(start, start + limit);
  return { items, hasOlder: start + limit < thread.items.length };
}

export function threadJson(state: FakeInstagramState, thread: FakeThread, cursor: string | null, limit: number): Json {
  const { items, hasOlder } = itemPage(thread, cursor, limit);
  const users = thread.userPks.map((pk) => state.users.get(pk)).filter((user): user is FakeUser => Boolean(user));
  const newest = thread.items[0];
  return {
    thread_id: thread.thread_id,
    thread_v2_id: thread.thread_v2_id,
    users: users.map(userJson),
    left_users: [],
    admin_user_ids: [],
    items,
    last_activity_at: thread.last_activity_at,
    muted: false,
    is_pin: false,
    named: thread.title !== null,
    canonical: !thread.is_group,
    pending: thread.pending,
    archived: false,
    thread_type: 'private',
    viewer_id: Number(state.viewer.pk),
    thread_title: thread.title ?? users[0]?.username ?? '',
    folder: 0,
    is_group: thread.is_group,
    input_mode: 0,
    read_state: 0,
    has_older: hasOlder,
    has_newer: false,
    last_seen_at: {},
    newest_cursor: newest ? newest.item_id : null,
    oldest_cursor: items.length ? items[items.length - 1]!.item_id : null,
    last_permanent_item: newest ?? null,
  };
}

interface InboxCursor {
  cursor_timestamp_seconds: number;
  cursor_thread_v2_id: number;
  /** Exact activity of the last thread shown (the fake's own addition, for a stable order). */
  cursor_timestamp_us: number;
}

export function inboxJson(
  state: FakeInstagramState,
  pending: boolean,
  cursor: string | null,
  threadMessageLimit: number,
): Json {
  const all = state.listThreads(pending);
  let start = 0;
  if (cursor) {
    const parsed = JSON.parse(cursor) as InboxCursor;
    start = all.findIndex(
      (thread) =>
        thread.last_activity_at < parsed.cursor_timestamp_us ||
        (thread.last_activity_at === parsed.cursor_timestamp_us &&
          Number(thread.thread_v2_id) < parsed.cursor_thread_v2_id),
    );
    if (start < 0) start = all.length;
  }
  const page = all.slice(start, start + state.inboxPageSize);
  const hasOlder = start + state.inboxPageSize < all.length;
  const last = page[page.length - 1];
  const oldest: InboxCursor | null = last
    ? {
        cursor_timestamp_seconds: Math.floor(last.last_activity_at / 1e6),
        cursor_thread_v2_id: Number(last.thread_v2_id),
        cursor_timestamp_us: last.last_activity_at,
      }
    : null;
  return {
    viewer: userJson(state.viewer),
    inbox: {
      threads: page.map((thread) => threadJson(state, thread, null, threadMessageLimit)),
      has_older: hasOlder,
      unseen_count: 0,
      unseen_count_ts: Date.now() * 1000,
      oldest_cursor: oldest ? JSON.stringify(oldest) : null,
      blended_inbox_enabled: true,
    },
    seq_id: 182,
    snapshot_at_ms: Date.now(),
    pending_requests_total: state.listThreads(true).length,
    has_pending_top_requests: false,
  };
}

// Raw inbox/thread JSON → igtg's Thread, User and Message records.
import type { Thread, User } from '../core/model.js';
import type { InboxPage, InboxThread, ThreadPage } from './client.js';
import { arr, idString, igTimeToMs, obj, str, type Json } from './ig-values.js';
import { mapItems } from './map-item.js';

export function mapUser(raw: Json | null): User | null {
  const id = idString(raw?.pk_id) ?? idString(raw?.pk);
  if (!raw || !id) return null;
  return {
    id,
    username: str(raw.username),
    fullName: str(raw.full_name),
    profilePicUrl: str(raw.profile_pic_url),
  };
}

function usersOf(raw: Json): User[] {
  const users: User[] = [];
  for (const entry of [...arr(raw.users), ...arr(raw.left_users)]) {
    const user = mapUser(obj(entry));
    if (user && !users.some((known) => known.id === user.id)) users.push(user);
  }
  return users;
}

function displayName(user: User): string {
  return user.fullName || user.username || user.id;
}

export function mapThread(raw: Json, isRequest: boolean): { thread: Thread; users: User[] } {
  const id = idString(raw.thread_id);
  if (!id) throw new Error('thread without thread_id');
  const users = usersOf(raw);
  const active = arr(raw.users)
    .map((entry) => mapUser(obj(entry)))
    .filter((user): user is User => user !== null);
  const title = str(raw.thread_title) ?? (active.map(displayName).join(', ') || id);
  return {
    thread: {
      id,
      title,
      isGroup: raw.is_group === true || active.length > 1,
      isRequest: isRequest || raw.pending === true,
      participants: active.map((user) => ({ userId: user.id, name: displayName(user), username: user.username })),
      lastActivityAt: igTimeToMs(raw.last_activity_at),
      source: 'api',
      archiveFolder: null,
    },
    users,
  };
}

export interface Viewer {
  id: string | null;
  name: string | null;
}

function itemsOf(raw: Json, thread: Thread, users: User[], viewer: Viewer) {
  return mapItems(arr(raw.items), {
    threadId: thread.id,
    viewerId: viewer.id ?? idString(raw.viewer_id),
    viewerName: viewer.name,
    users: new Map(users.map((user) => [user.id, user])),
  });
}

function cursorOf(value: unknown): string | null {
  if (typeof value === 'string' && value.length > 0) return value;
  // Some responses carry the cursor as an object: pass it back as the JSON Instagram would send.
  if (value && typeof value === 'object') return JSON.stringify(value);
  return null;
}

export function mapInboxThread(raw: Json, isRequest: boolean, viewer: Viewer): InboxThread {
  const { thread, users } = mapThread(raw, isRequest);
  return { thread, users, items: itemsOf(raw, thread, users, viewer), hasOlder: raw.has_older === true };
}

export function mapInboxPage(body: Json, isRequest: boolean, knownViewer: Viewer): InboxPage {
  const inbox = obj(body.inbox) ?? {};
  const viewerUser = mapUser(obj(body.viewer));
  const viewer: Viewer = viewerUser ? { id: viewerUser.id, name: displayName(viewerUser) } : knownViewer;
  const threads: InboxThread[] = [];
  for (const entry of arr(inbox.threads)) {
    const raw = obj(entry);
    if (raw && idString(raw.thread_id)) threads.push(mapInboxThread(raw, isRequest, viewer));
  }
  return {
    threads,
    olderCursor: inbox.has_older === true ? cursorOf(inbox.oldest_cursor) : null,
    viewer: viewerUser,
  };
}

export function mapThreadPage(body: Json, viewer: Viewer): ThreadPage {
  const raw = obj(body.thread);
  if (!raw) throw new Error('thread response without thread');
  const { thread, users } = mapThread(raw, false);
  // The thread endpoint does not say whether this is a request; the sync keeps what the inbox said.
  return {
    thread,
    users,
    items: itemsOf(raw, thread, users, viewer),
    olderCursor: raw.has_older === true ? cursorOf(raw.oldest_cursor) : null,
  };
}

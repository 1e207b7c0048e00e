// What the fake Instagram knows: one account (the viewer), other users, threads with items
// (newest first), valid sessions, and behaviours tests can set (the next login asks for a code,
// the next N requests fail with 429 / please-wait / 5xx / login_required / feedback_required).
import { randomBytes } from 'node:crypto';
import { buildItem, ITEM_KINDS, itemIdFor, type ItemKind, type Json } from './items.js';

export interface FakeUser {
  pk: string;
  username: string;
  full_name: string;
}

export interface FakeThread {
  thread_id: string;
  thread_v2_id: string;
  userPks: string[];
  title: string | null;
  is_group: boolean;
  pending: boolean;
  /** Newest first. */
  items: Json[];
  last_activity_at: number;
}

export type LoginBehaviour =
  'two_factor' | 'two_factor_totp' | 'challenge' | 'bad_password' | 'invalid_user' | 'please_wait';

export type FailureKind =
  | '429'
  | '429_html'
  | 'please_wait'
  | '500'
  | '503'
  | 'login_required'
  | 'feedback_required'
  | 'challenge_required'
  | 'network';

interface Failure {
  kind: FailureKind;
  match: RegExp | null;
}

export interface AddItemOptions {
  kind?: ItemKind;
  from?: string;
  text?: string;
  timestampUs?: number;
  clientContext?: string;
  reactions?: Array<{ emoji: string; senderPk: string; timestampUs?: number }>;
  repliedTo?: Json;
}

export class FakeInstagramState {
  baseUrl = '';
  viewer: FakeUser = { pk: '1098765432', username: 'alex.kim', full_name: 'Alex Kim' };
  password = 'correct horse';
  /** The code two-factor and challenge logins accept. */
  code = '123456';
  readonly users = new Map<string, FakeUser>();
  readonly threads = new Map<string, FakeThread>();
  readonly sessions = new Set<string>();
  readonly loginBehaviours: LoginBehaviour[] = [];
  readonly failures: Failure[] = [];
  /** Resends of two-factor SMS and challenge codes. */
  codesSent = 0;
  inboxPageSize = 20;
  threadPageSize = 20;
  private seq = 0;
  private clock = 1_700_000_000_000_000;

  constructor() {
    this.users.set(this.viewer.pk, this.viewer);
  }

  /** A strictly increasing microsecond time for new items. */
  nextTimestamp(stepUs = 1_000_000): number {
    this.clock += stepUs;
    return this.clock;
  }

  setClock(us: number): void {
    this.clock = us;
  }

  mediaUrl = (name: string): string => `${this.baseUrl}/fake-media/${name}`;

  addUser(fields: Partial<FakeUser> & { username: string }): FakeUser {
    const pk = fields.pk ?? String(2_000_000_000 + this.users.size);
    const user = { pk, username: fields.username, full_name: fields.full_name ?? fields.username };
    this.users.set(pk, user);
    return user;
  }

  addThread(fields: {
    users: FakeUser[];
    title?: string | null;
    pending?: boolean;
    threadId?: string;
    isGroup?: boolean;
  }): FakeThread {
    this.seq += 1;
    const threadId = fields.threadId ?? (340282366841710300949128000000000000000n + BigInt(this.seq)).toString();
    const thread: FakeThread = {
      thread_id: threadId,
      thread_v2_id: String(17_940_844_501_000_000 + this.seq),
      userPks: fields.users.map((user) => user.pk),
      title: fields.title ?? null,
      is_group: fields.isGroup ?? fields.users.length > 1,
      pending: fields.pending ?? false,
      items: [],
      last_activity_at: this.clock,
    };
    this.threads.set(threadId, thread);
    return thread;
  }

  addItem(thread: FakeThread, options: AddItemOptions = {}): Json {
    this.seq += 1;
    const timestampUs = options.timestampUs ?? this.nextTimestamp();
    const from = options.from ?? thread.userPks[this.seq % thread.userPks.length] ?? this.viewer.pk;
    const item = buildItem({
      kind: options.kind ?? 'text',
      itemId: itemIdFor(timestampUs, this.seq),
      userId: from,
      timestampUs,
      text: options.text,
      clientContext: options.clientContext,
      mediaUrl: this.mediaUrl,
      stringTimestamp: this.seq % 3 === 0,
    });
    if (from === this.viewer.pk) item.is_sent_by_viewer = true;
    if (options.reactions?.length) {
      item.reactions = {
        likes: [],
        likes_count: 0,
        emojis: options.reactions.map((reaction) => ({
          timestamp: reaction.timestampUs ?? timestampUs + 1000,
          sender_id: Number(reaction.senderPk),
          emoji: reaction.emoji,
          super_react_type: 'none',
        })),
      };
    }
    if (options.repliedTo) item.replied_to_message = options.repliedTo;
    // Items stay newest first whatever order they were added in.
    const index = thread.items.findIndex((other) => Number(other.timestamp) < timestampUs);
    if (index === -1) thread.items.push(item);
    else thread.items.splice(index, 0, item);
    thread.last_activity_at = Math.max(thread.last_activity_at, timestampUs);
    return item;
  }

  /** Threads of the inbox or the pending inbox, newest activity first. */
  listThreads(pending: boolean): FakeThread[] {
    return [...this.threads.values()]
      .filter((thread) => thread.pending === pending)
      .sort(
        (a, b) => b.last_activity_at - a.last_activity_at || Number(BigInt(b.thread_v2_id) - BigInt(a.thread_v2_id)),
      );
  }

  /** Every item id of every thread (for comparing with what igtg stored). */
  allItemIds(): Map<string, string[]> {
    return new Map(
      [...this.threads.values()].map((thread) => [thread.thread_id, thread.items.map((item) => String(item.item_id))]),
    );
  }

  failNextLogin(behaviour: LoginBehaviour): void {
    this.loginBehaviours.push(behaviour);
  }

  /** The next `count` requests (matching `match`, e.g. /direct_v2/) fail with `kind`. */
  failNext(count: number, kind: FailureKind, match?: RegExp): void {
    for (let i = 0; i < count; i += 1) this.failures.push({ kind, match: match ?? null });
  }

  takeFailure(path: string): FailureKind | null {
    const index = this.failures.findIndex((failure) => !failure.match || failure.match.test(path));
    if (index === -1) return null;
    return this.failures.splice(index, 1)[0]!.kind;
  }

  newSession(): string {
    const sessionid = `${this.viewer.pk}%3A${randomBytes(9).toString('base64url')}%3A27`;
    this.sessions.add(sessionid);
    return sessionid;
  }

  /** Seeds `threads` threads of `items` items each, cycling through every item kind. */
  seed(options: { threads?: number; items?: number; pending?: number; kinds?: readonly ItemKind[] } = {}): void {
    const threads = options.threads ?? 12;
    const items = options.items ?? 30;
    const pending = options.pending ?? 2;
    const kinds = options.kinds ?? ITEM_KINDS;
    const people: FakeUser[] = [];
    for (let i = 0; i < Math.max(3, Math.ceil(threads / 2)); i += 1) {
      people.push(this.addUser({ username: `friend.${i}`, full_name: `Friend ${i} Ünïcode` }));
    }
    const all: FakeThread[] = [];
    for (let t = 0; t < threads; t += 1) {
      const group = t % 5 === 4;
      const members = group
        ? [people[t % people.length]!, people[(t + 1) % people.length]!]
        : [people[t % people.length]!];
      all.push(
        this.addThread({ users: members, title: group ? `Group ${t} 🏕️` : null, pending: t >= threads - pending }),
      );
    }
    // Interleave items across threads so activity times are spread like a real inbox.
    for (let i = 0; i < items; i += 1) {
      for (const [t, thread] of all.entries()) {
        const kind = kinds[(i + t) % kinds.length]!;
        const from = i % 2 === 0 ? this.viewer.pk : thread.userPks[i % thread.userPks.length]!;
        const previous = thread.items[0];
        this.addItem(thread, {
          kind,
          from,
          text: `thread ${t} item ${i}`,
          reactions: i % 7 === 3 ? [{ emoji: '😂', senderPk: thread.userPks[0]! }] : undefined,
          repliedTo: i % 11 === 5 && previous ? { ...previous } : undefined,
        });
      }
    }
  }
}

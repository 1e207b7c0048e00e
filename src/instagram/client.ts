// The InstagramClient port: everything igtg asks of Instagram, in igtg's own terms. One adapter
// (adapter/) implements it on instagram-private-api; the rest of igtg never sees the library.
import type { EpochMs, Message, Thread, User } from '../core/model.js';

/** What Instagram wants before it finishes a password login. */
export type CodeRequest =
  | {
      kind: 'two_factor';
      /** SMS, or an authenticator app (TOTP). */
      method: 'sms' | 'totp';
      /** Where an SMS went ("the number ending in 31"); null for an authenticator app. */
      destination: string | null;
      /** True when a new SMS can be requested. */
      canResend: boolean;
    }
  | {
      kind: 'challenge';
      /** Null until a method is chosen (then the code is on its way). */
      method: ChallengeMethod | null;
      /** Methods offered, with the masked contact ("email a•••@e•••.com"). */
      choices: Array<{ method: ChallengeMethod; label: string }>;
      destination: string | null;
    };

export type ChallengeMethod = 'sms' | 'email';

/**
 * A login waiting for a code, serializable so a second `igtg login --code` process can finish it.
 * Holds cookies of the half-done login: kept in the SecretStore, never printed.
 */
export interface PendingLogin {
  version: 1;
  username: string;
  request: CodeRequest;
  /** two_factor_identifier or challenge api_path plus the adapter's serialized session. */
  data: Record<string, string>;
  session: string;
  createdAt: EpochMs;
}

export type LoginOutcome = { status: 'ok'; user: User } | { status: 'needs_code'; pending: PendingLogin };

/** Cookies from a browser, as `igtg login --cookies/--sessionid` reads them. */
export interface BrowserCookies {
  sessionid: string;
  csrftoken?: string;
  ds_user_id?: string;
  mid?: string;
  ig_did?: string;
}

export interface InboxThread {
  thread: Thread;
  users: User[];
  /** The few newest items the inbox carries, newest first. */
  items: Message[];
  /** Whether older items exist beyond `items`. */
  hasOlder: boolean;
}

export interface InboxPage {
  threads: InboxThread[];
  /** Pass back verbatim to get the next (older) page; null at the end. */
  olderCursor: string | null;
  viewer: User | null;
}

export interface ThreadPage {
  thread: Thread;
  users: User[];
  /** Newest first. */
  items: Message[];
  olderCursor: string | null;
}

export interface SendResult {
  itemId: string;
  threadId: string;
  clientContext: string | null;
  sentAt: EpochMs;
}

export interface InstagramClient {
  /** Password login; may need a code (two-factor or challenge) before it completes. */
  login(username: string, password: string): Promise<LoginOutcome>;
  /** Finishes a pending login with the code the user received. */
  submitCode(pending: PendingLogin, code: string): Promise<LoginOutcome>;
  /** Asks Instagram to send the code again (SMS for two-factor, the chosen method for a challenge). */
  resendCode(pending: PendingLogin): Promise<PendingLogin>;
  /** For a challenge: where to send the code. */
  chooseChallengeMethod(pending: PendingLogin, method: ChallengeMethod): Promise<PendingLogin>;
  /** Restores a session saved by `serializeSession` (no request). */
  resumeSession(serialized: string): Promise<void>;
  /** Uses a browser's cookies and verifies them with one request. */
  loginWithCookies(cookies: BrowserCookies): Promise<User>;
  /** The logged-in user (one request). */
  currentUser(): Promise<User>;
  inboxPage(cursor: string | null): Promise<InboxPage>;
  pendingInboxPage(cursor: string | null): Promise<InboxPage>;
  /** A page of a thread's items, newest first; `cursor` walks to older items. */
  threadPage(threadId: string, cursor: string | null): Promise<ThreadPage>;
  userInfo(userId: string): Promise<User>;
  sendText(threadId: string, text: string, clientContext: string): Promise<SendResult>;
  sendPhoto(threadId: string, jpeg: Buffer, clientContext: string): Promise<SendResult>;
  downloadMedia(url: string): Promise<Buffer>;
  /** The session (cookies, authorization, device) as an opaque string for the SecretStore. */
  serializeSession(): Promise<string>;
  /** The logged-in user id known from the session, if any (no request). */
  sessionUserId(): string | null;
  /**
   * Where a realtime (iris) subscription starts: `seq_id` and `snapshot_at_ms` of a fresh inbox
   * request (one request). Optional: clients without realtime support leave it out.
   */
  irisSnapshot?(): Promise<{ seqId: number; snapshotAtMs: number }>;
}

/** Called by an adapter after every request whose response changed the session. */
export type SessionListener = (serialized: string) => void;

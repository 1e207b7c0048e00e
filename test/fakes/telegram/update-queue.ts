// getUpdates as the Bot API server does it: updates stay until a call with a higher offset
// confirms them; a long poll holds the request until an update arrives or the timeout passes;
// a newer poll terminates an older one with 409; allowed_updates persists between calls.
import { tgErrors } from './api-error.js';

export type WireUpdateObject = { update_id: number } & Record<string, unknown>;

/** What the server sends when allowed_updates was never set or set to []. */
const DEFAULT_EXCLUDED = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

export interface PollRequest {
  offset?: number;
  limit?: number;
  timeoutSec?: number;
  allowedUpdates?: string[];
}

interface Waiter {
  wake(): void;
  supersede(): void;
  finish(updates: WireUpdateObject[]): void;
}

export class UpdateQueue {
  private updates: WireUpdateObject[] = [];
  private allowed: Set<string> | null = null;
  private waiter: Waiter | null = null;

  constructor(
    private nextId: number,
    private readonly maxTimeoutSec: number,
  ) {}

  /** Queues an update of `type` (`message`, `callback_query`, …) and wakes a waiting poll. */
  push(type: string, body: Record<string, unknown>): WireUpdateObject {
    const update = { update_id: this.nextId++, [type]: body } as WireUpdateObject;
    this.updates.push(update);
    this.waiter?.wake();
    return update;
  }

  /** Updates not yet confirmed (whatever allowed_updates says). */
  pending(): WireUpdateObject[] {
    return [...this.updates];
  }

  /**
   * Resolves with the updates to deliver. `onClose` is how the server says the client went away;
   * a poll superseded by a newer one rejects with 409 Conflict.
   */
  poll(request: PollRequest, onClose: (listener: () => void) => void): Promise<WireUpdateObject[]> {
    if (request.allowedUpdates !== undefined) {
      this.allowed = request.allowedUpdates.length > 0 ? new Set(request.allowedUpdates) : null;
    }
    const offset = request.offset ?? 0;
    if (offset < 0) this.updates = this.updates.slice(offset);
    else if (offset > 0) this.updates = this.updates.filter((u) => u.update_id >= offset);
    const limit = Math.min(100, Math.max(1, request.limit ?? 100));
    const ready = (): WireUpdateObject[] => {
      // The real server never creates updates of types the bot did not ask for.
      this.updates = this.updates.filter((u) => this.isAllowed(u));
      return this.updates.slice(0, limit);
    };
    const now = ready();
    const timeoutSec = Math.min(this.maxTimeoutSec, Math.max(0, request.timeoutSec ?? 0));
    this.waiter?.supersede();
    if (now.length > 0 || timeoutSec === 0) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => waiter.finish([]), timeoutSec * 1000);
      const waiter: Waiter = {
        wake: () => {
          const updates = ready();
          if (updates.length > 0) waiter.finish(updates);
        },
        supersede: () => {
          done();
          reject(tgErrors.conflict());
        },
        finish: (updates) => {
          done();
          resolve(updates);
        },
      };
      const done = (): void => {
        clearTimeout(timer);
        if (this.waiter === waiter) this.waiter = null;
      };
      this.waiter = waiter;
      onClose(done);
    });
  }

  /** Ends a waiting poll with no updates (server shutdown). */
  release(): void {
    this.waiter?.finish([]);
  }

  private isAllowed(update: WireUpdateObject): boolean {
    const type = Object.keys(update).find((key) => key !== 'update_id') ?? '';
    return this.allowed ? this.allowed.has(type) : !DEFAULT_EXCLUDED.has(type);
  }
}

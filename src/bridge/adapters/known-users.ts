// The users the realtime link names senders and reactors by. Realtime payloads carry user ids only,
// and polls and reconciliations store new users while the link runs, so an id missing from the map
// sends the link back to the store before the item is stored: a contact who wrote first after the
// link came up is named like everyone else, and a known name is never replaced by the placeholder.
import { errorMessage } from '../../core/errors.js';
import type { Message, Reaction, User } from '../../core/model.js';
import type { Store } from '../../store/store.js';
import type { BridgeLog } from '../core/bridge.js';
import { placeholderSenderName } from '../../instagram/map-item.js';

/** How long an id the store did not know is not looked up again (each look-up reads every user). */
const MISS_TTL_MS = 60_000;

export class KnownUsers {
  private users = new Map<string, User>();
  /** Ids the store did not know, with when they were looked up. */
  private readonly misses = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly log: BridgeLog,
    private readonly now: () => number = Date.now,
  ) {}

  /** Known users by id, for the mapping of realtime payloads. */
  map(): ReadonlyMap<string, User> {
    return this.users;
  }

  async refresh(): Promise<void> {
    try {
      this.users = new Map((await this.store.listUsers()).map((user) => [user.id, user]));
    } catch (error) {
      this.log.warn({ error: errorMessage(error) }, 'cannot read users');
    }
  }

  /**
   * The message with the names its mapping could not give (its sender, its reactors), from the store;
   * `stored` is the same item as stored before, whose sender name is kept over a placeholder.
   */
  async named(message: Message, stored: () => Promise<Message | null>): Promise<Message> {
    const reactions = await Promise.all(message.reactions.map((reaction) => this.namedReaction(reaction)));
    const { senderId } = message;
    if (senderId === null || message.fromMe || message.senderName !== placeholderSenderName(senderId)) {
      return { ...message, reactions };
    }
    const user = await this.find(senderId);
    const senderName = user?.fullName || user?.username || (await stored())?.senderName || message.senderName;
    return { ...message, senderName, reactions };
  }

  /** The reaction with its actor's username when it was mapped with the bare id. */
  async namedReaction(reaction: Reaction): Promise<Reaction> {
    if (reaction.actorId === null || reaction.actor !== reaction.actorId) return reaction;
    const username = (await this.find(reaction.actorId))?.username;
    return username ? { ...reaction, actor: username } : reaction;
  }

  private async find(id: string): Promise<User | undefined> {
    if (this.users.has(id)) return this.users.get(id);
    const missedAt = this.misses.get(id);
    if (missedAt !== undefined && this.now() - missedAt < MISS_TTL_MS) return undefined;
    await this.refresh();
    if (!this.users.has(id)) this.misses.set(id, this.now());
    else this.misses.delete(id);
    return this.users.get(id);
  }
}

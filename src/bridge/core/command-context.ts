// What a bot command handler gets: the store, both ports, options, and a few bridge controls.
import type { Store } from '../../store/store.js';
import type { Clock } from '../../core/clock.js';
import type { InstagramPort, Keyboard, TelegramPort, TgMessage } from '../ports.js';
import type { BridgeOptionsPort } from './options.js';

export interface BridgeControls {
  /** Wakes the poll loop for an immediate sync. */
  requestSync(): void;
  startedAt: number;
}

export interface CommandContext {
  store: Store;
  telegram: TelegramPort;
  instagram: InstagramPort;
  options: BridgeOptionsPort;
  clock: Clock;
  controls: BridgeControls;
  /** The chat (and topic) the command came from. */
  chatId: number;
  topicId: number | undefined;
  message: TgMessage | null;
  /** The thread a command acts on: a forum topic's own thread, else the active thread. */
  currentThread(): Promise<string | null>;
  reply(text: string, keyboard?: Keyboard): Promise<void>;
  /** Replaces the text of the message a button belongs to: already that text is done; other refusals send it anew. */
  edit(messageId: number, text: string, keyboard?: Keyboard): Promise<void>;
}

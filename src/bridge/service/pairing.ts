// `igtg telegram setup` pairing: waits for `/start CODE` in a private chat with the bot and returns
// the sender's user id.
//
// Telegram confirms (drops) every update below the offset a getUpdates call asks for, and what
// waits there belongs to the bridge: the owner's reply sent while it was stopped, say. So pairing
// reads without confirming anything: the bridge handles every update at its next start (the
// `/start CODE` itself gets the help answer). Only a full batch without the code makes it read on
// past that batch, which confirms it (Telegram offers no other way to see further).
import { setTimeout as sleep } from 'node:timers/promises';
import type { TelegramPort, TgUpdate } from '../ports.js';
import { parseCommand } from '../core/commands/index.js';

/** Most updates one getUpdates call returns. */
const BATCH = 100;
/** How long to wait before reading unconfirmed updates again for new ones (Telegram answers at once). */
const RECHECK_MS = 1000;

interface Paired {
  userId: number;
  chatId: number;
  name: string;
}

/** A `/start` in a private chat: the pairing attempt, with the code it gives. */
function startOf(update: TgUpdate): { args: string; chatId: number } | null {
  const message = update.message;
  const command = message?.text ? parseCommand(message.text) : null;
  if (!message?.from || message.chat.type !== 'private' || command?.name !== 'start') return null;
  return { args: command.args, chatId: message.chat.id };
}

function pairingOf(update: TgUpdate, code: string): Paired | null {
  const message = update.message;
  if (!message?.from || startOf(update)?.args !== code) return null;
  return {
    userId: message.from.id,
    chatId: message.chat.id,
    name: message.from.username ?? message.from.first_name ?? String(message.from.id),
  };
}

export async function waitForPairing(
  telegram: TelegramPort,
  code: string,
  options: { deadline: number; now: () => number; pollSeconds?: number; signal?: AbortSignal },
): Promise<Paired | null> {
  let offset = 0;
  let newest = -1;
  // Attempts from before this setup (still unconfirmed, maybe days old) get no answer.
  const startedSec = Math.floor(options.now() / 1000) - 60;
  while (options.now() < options.deadline && !options.signal?.aborted) {
    const remaining = Math.max(1, Math.floor((options.deadline - options.now()) / 1000));
    const updates = await telegram.getUpdates(offset, Math.min(options.pollSeconds ?? 20, remaining), options.signal);
    for (const update of updates) {
      const paired = pairingOf(update, code);
      if (paired) return paired;
      const start = update.update_id > newest && (update.message?.date ?? 0) >= startedSec ? startOf(update) : null;
      if (start?.args) {
        // Someone is trying to pair with a mistyped code: say so, once (the same updates come back).
        await telegram
          .sendMessage(
            start.chatId,
            'That is not the pairing code: send /start followed by the code igtg telegram setup shows.',
          )
          .catch(() => undefined);
      }
    }
    const last = updates.at(-1)?.update_id ?? -1;
    if (updates.length >= BATCH) {
      offset = last + 1;
    } else if (updates.length > 0 && last <= newest) {
      // Only updates seen before, which Telegram hands back at once: wait a little for new ones.
      await sleep(RECHECK_MS, undefined, { signal: options.signal }).catch(() => undefined);
    }
    newest = Math.max(newest, last);
  }
  return null;
}

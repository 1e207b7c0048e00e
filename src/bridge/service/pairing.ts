// `igtg telegram setup` pairing: waits for `/start CODE` in a private chat with the bot and returns
// the sender's user id. Other updates are confirmed and ignored.
import type { TelegramPort } from '../ports.js';
import { parseCommand } from '../core/commands/index.js';

export async function waitForPairing(
  telegram: TelegramPort,
  code: string,
  options: { deadline: number; now: () => number; pollSeconds?: number; signal?: AbortSignal },
): Promise<{ userId: number; chatId: number; name: string } | null> {
  let offset = 0;
  while (options.now() < options.deadline && !options.signal?.aborted) {
    const remaining = Math.max(1, Math.floor((options.deadline - options.now()) / 1000));
    const updates = await telegram.getUpdates(offset, Math.min(options.pollSeconds ?? 20, remaining), options.signal);
    for (const update of updates) {
      offset = Math.max(offset, update.update_id + 1);
      const message = update.message;
      const command = message?.text ? parseCommand(message.text) : null;
      if (message?.from && message.chat.type === 'private' && command?.name === 'start' && command.args === code) {
        // Confirm what was read, so the bridge does not see the pairing message again.
        await telegram.getUpdates(offset, 0).catch(() => undefined);
        return {
          userId: message.from.id,
          chatId: message.chat.id,
          name: message.from.username ?? message.from.first_name ?? String(message.from.id),
        };
      }
    }
  }
  return null;
}

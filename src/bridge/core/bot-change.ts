// Telegram's update ids and message ids belong to one bot. When the owner sets up another bot
// (`igtg telegram setup` with a new token), the stored update position would skip the new bot's
// updates and old reply mappings would send replies to the wrong thread: both start afresh.
import type { Store } from '../../store/store.js';
import type { BridgeLog } from './bridge.js';
import { BridgeMeta } from './state-keys.js';

export async function adoptBot(store: Store, botId: number, log: BridgeLog): Promise<void> {
  const known = await store.getMeta(BridgeMeta.telegramBotId);
  if (known === String(botId)) return;
  if (known !== null) {
    await store.setMeta(BridgeMeta.telegramOffset, null);
    await store.clearMappings();
    log.info({ previousBot: Number(known), bot: botId }, 'another Telegram bot: its updates and replies start afresh');
  }
  await store.setMeta(BridgeMeta.telegramBotId, String(botId));
}

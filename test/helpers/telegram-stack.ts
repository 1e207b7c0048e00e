// The bridge's real Telegram client stack (BotApiTelegramClient, pacing, port) pointed at a fake Bot
// API, without pacing delays: for integration tests of the bridge's Telegram side.
import { TelegramClientPort } from '../../src/bridge/adapters/telegram-port.js';
import { BotApiTelegramClient } from '../../src/telegram/bot-api-client.js';
import { PacedTelegramClient } from '../../src/telegram/paced-client.js';
import { Pacer } from '../../src/telegram/pacer.js';
import type { FakeTelegram } from '../fakes/telegram/index.js';

const realClock = {
  now: () => Date.now(),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

export function unpacedTelegramPort(tg: Pick<FakeTelegram, 'token' | 'url'>): TelegramClientPort {
  const pacer = new Pacer(realClock, {
    perChatIntervalMs: 0,
    groupPerWindow: 1_000_000,
    groupWindowMs: 60_000,
    globalPerSecond: 1_000_000,
  });
  return new TelegramClientPort(
    new PacedTelegramClient(new BotApiTelegramClient({ token: tg.token, apiUrl: tg.url }), pacer),
  );
}

// The fake Telegram Bot API: start it, inject what users do through `state`, read `calls`.
export {
  startFakeTelegram,
  DEFAULT_FAKE_TOKEN,
  type FakeCall,
  type FakeTelegram,
  type FakeTelegramOptions,
} from './server.js';
export {
  FakeTelegramState,
  DEFAULT_BOT,
  DEFAULT_OWNER,
  type FakeMessage,
  type FakeUser,
  type FakeChat,
} from './state.js';
export { FakeApiError, tgErrors } from './api-error.js';

// Runs the fake Telegram Bot API by hand:
//   node --import tsx test/fakes/telegram/cli.ts --port 8081 --token 123:abc [--rate-limit]
// then point igtg at it with IGTG_TELEGRAM_API_URL=http://127.0.0.1:8081.
import { parseArgs } from 'node:util';
import { startFakeTelegram } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8081' },
    host: { type: 'string', default: '127.0.0.1' },
    token: { type: 'string' },
    'rate-limit': { type: 'boolean', default: false },
  },
});

const fake = await startFakeTelegram({
  port: Number(values.port),
  host: values.host,
  token: values.token,
  rateLimits: values['rate-limit'] ? { perChatIntervalMs: 1000, perGroupPerMinute: 20 } : undefined,
});
console.log(JSON.stringify({ url: fake.url, token: fake.token, owner: fake.state.owner.id }));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void fake.close().then(() => process.exit(0));
  });
}

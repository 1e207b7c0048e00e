// Runs the fake Instagram by hand:
//   node --import tsx test/fakes/instagram/cli.ts --port 7777 --seed
// then IGTG_INSTAGRAM_API_URL=http://127.0.0.1:7777 igtg login --username alex.kim (password "correct horse").
import { parseArgs } from 'node:util';
import { startFakeInstagram } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '7777' },
    seed: { type: 'boolean', default: false },
    threads: { type: 'string' },
    items: { type: 'string' },
    'two-factor': { type: 'boolean', default: false },
    challenge: { type: 'boolean', default: false },
  },
});

const fake = await startFakeInstagram({
  port: Number(values.port),
  seed: values.seed
    ? {
        threads: values.threads ? Number(values.threads) : undefined,
        items: values.items ? Number(values.items) : undefined,
      }
    : false,
});
if (values['two-factor']) fake.state.failNextLogin('two_factor');
if (values.challenge) fake.state.failNextLogin('challenge');
process.stdout.write(
  `fake Instagram on ${fake.url} — user ${fake.state.viewer.username}, password "${fake.state.password}", code ${fake.state.code}\n` +
    `${fake.state.threads.size} threads; export IGTG_INSTAGRAM_API_URL=${fake.url}\n`,
);
const stop = () => {
  void fake.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

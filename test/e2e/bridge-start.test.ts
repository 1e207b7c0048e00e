// The bridge started while the Bot API cannot be reached waits for it (as for any outage) and still
// stops cleanly on SIGTERM; it does not exit with an error.
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runIgtg, tempHome } from '../helpers/cli.js';
import { startFakeTelegram } from '../fakes/telegram/server.js';

const { home, cleanup } = tempHome('igtg-bridge-start-');
afterAll(cleanup);

describe('igtg bridge start-up', () => {
  it('waits for an unreachable Bot API, then stops cleanly on SIGTERM', async () => {
    const daemon = execa(process.execPath, [join(ROOT, 'bin', 'igtg.js'), '--json', 'bridge', '--no-realtime'], {
      reject: false,
      env: {
        IGTG_HOME: home,
        IGTG_SECRETS: 'file',
        NO_COLOR: '1',
        IGTG_TELEGRAM_TOKEN: '123456:ABCdefGHIjklMNOpqrSTUvwx',
        IGTG_TELEGRAM_API_URL: 'http://127.0.0.1:9', // the discard port: nothing answers
      },
    });
    let logs = '';
    daemon.stdout!.on('data', (chunk: Buffer) => (logs += chunk.toString()));
    const deadline = Date.now() + 30_000;
    while (!/not reachable; waiting for it[\s\S]*not reachable; waiting for it/.test(logs) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    daemon.kill('SIGTERM');
    const result = await daemon;
    expect(result.exitCode).toBe(0);
    const lines = logs
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { msg: string; error?: string });
    expect(
      lines.filter((line) => line.msg === 'Telegram Bot API not reachable; waiting for it').length,
    ).toBeGreaterThanOrEqual(2);
    expect(lines.at(-1)!.msg).toBe('stopping: finishing work in flight');
    expect(result.stderr).toBe('');
  }, 60_000);

  it('refuses in one line a token Telegram does not accept, or one not shaped like a token', async () => {
    const tg = await startFakeTelegram();
    try {
      const env = { IGTG_SECRETS: 'file', IGTG_TELEGRAM_API_URL: tg.url };
      const wrong = await runIgtg(['bridge', '--no-realtime'], {
        home,
        env: { ...env, IGTG_TELEGRAM_TOKEN: '123456:WRONGdefGHIjklMNOpqrSTUvwx' },
      });
      expect([wrong.exitCode, wrong.stderr]).toEqual([
        1,
        'error: Telegram does not accept this bot token (Telegram getMe failed: Unauthorized); run `igtg telegram setup` with the token from @BotFather (or fix IGTG_TELEGRAM_TOKEN)',
      ]);
      expect(String(wrong.stdout) + String(wrong.stderr)).not.toContain('WRONGdef');
      const shapeless = await runIgtg(['bridge', '--no-realtime'], {
        home,
        env: { ...env, IGTG_TELEGRAM_TOKEN: 'abc def' },
      });
      expect([shapeless.exitCode, shapeless.stderr]).toEqual([
        2,
        'error: IGTG_TELEGRAM_TOKEN does not look like a bot token (123456:ABC…, from @BotFather)',
      ]);
    } finally {
      await tg.close();
    }
  }, 60_000);
});

// The built binary's bridge against the fake Telegram Bot API with nobody logged in to Instagram:
// the owner is told once, Telegram commands keep working, and messages stored in the profile's
// store (as sync or realtime would) are forwarded. The Instagram side itself is covered by
// bridge-instagram.test.ts, bridge-realtime.test.ts and bridge-crash.test.ts.
import { type ResultPromise, execa } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { until } from '../helpers/bridge-world.js';
import { BIN, runIgtg, tempHome } from '../helpers/cli.js';
import { startFakeTelegram, tgErrors, type FakeTelegram } from '../fakes/telegram/index.js';
import { message, thread } from '../unit/bridge-fakes.js';

let fake: FakeTelegram;
let home: { home: string; cleanup: () => void };
let daemon: ResultPromise | null = null;

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    IGTG_HOME: home.home,
    IGTG_SECRETS: 'file',
    NO_COLOR: '1',
    IGTG_TELEGRAM_API_URL: fake.url,
    IGTG_TELEGRAM_TOKEN: fake.token,
    IGTG_TELEGRAM_OWNER_ID: String(fake.state.owner.id),
    IGTG_POLL_INTERVAL: '1',
    IGTG_SYNC_PAUSE_MS: '0',
    IGTG_TELEGRAM_PACE_MS: '0',
    IGTG_TELEGRAM_POLL_TIMEOUT: '1',
    IGTG_INSTAGRAM_API_URL: 'http://127.0.0.1:9',
    ...extra,
  };
}

function startBridge(extra: Record<string, string> = {}): ResultPromise {
  return execa(process.execPath, [BIN, 'bridge'], { env: env(extra), extendEnv: true, reject: false, stdin: 'ignore' });
}

async function openProfileStore(): Promise<Store> {
  return openSqliteStore(join(home.home, 'profiles', 'default', 'igtg.db'));
}

beforeEach(async () => {
  fake = await startFakeTelegram();
  home = tempHome('igtg-bridge-e2e-');
});

afterEach(async () => {
  if (daemon && daemon.exitCode === null) {
    daemon.kill('SIGKILL');
    await daemon;
  }
  daemon = null;
  await fake.close();
  home.cleanup();
});

describe('igtg bridge (built binary, fake Telegram)', () => {
  it('forwards stored Instagram messages, routes a reply to the right thread, ignores strangers, exits 0 on SIGTERM', async () => {
    daemon = startBridge();
    const owner = fake.state.owner.id;
    // The missing Instagram session is reported to the owner once.
    await until('session notice', () =>
      fake.state
        .sent(owner)
        .find(
          (m) =>
            m.text ===
            '⚠ This bridge is not logged in to Instagram. Run `igtg login` on the server; Telegram commands keep working meanwhile.',
        ),
    );

    const store = await openProfileStore();
    try {
      await store.write({
        threads: [thread('t1', { title: 'Zoë' }), thread('t2', { title: 'Bob' })],
        messages: [message('t1', 'i1', { text: 'hallo' }), message('t2', 'j1', { text: 'yo' })],
      });
      const forwarded = await until('forwarded message', () =>
        fake.state.sent(owner).find((m) => m.text?.endsWith('hallo')),
      );
      await until('second thread', () => fake.state.sent(owner).find((m) => m.text?.endsWith('\nyo')));

      fake.state.userSends({ text: 'answer to Zoë', replyTo: forwarded.messageId });
      const entry = await until('to_instagram entry', async () => {
        const claimed = await store.claimDue('to_instagram', Date.now() + 10 * 60_000, 10, 1);
        return claimed.find((e) => (e.payload as { text?: string }).text === 'answer to Zoë');
      });
      expect((entry.payload as { threadId: string }).threadId).toBe('t1');
      expect(entry.clientContext).toMatch(/^\d+$/);

      // A stranger: one "private bot" reply, then silence.
      const stranger = fake.state.addUser({ id: 4242, first_name: 'Eve' });
      fake.state.userSends({ from: stranger.id, text: '/threads' });
      fake.state.userSends({ from: stranger.id, text: '/status' });
      fake.state.userSends({ text: '/status' });
      await until('owner status reply', () =>
        fake.state.sent(owner).find((m) => m.text?.startsWith('Instagram: logged out')),
      );
      expect(fake.state.sent(stranger.id).map((m) => m.text)).toEqual(['This is a private bot.']);
      const audit = await store.listAudit(20);
      expect(audit.filter((a) => a.actor === 'telegram:4242')).toHaveLength(2);
    } finally {
      await store.close();
    }

    const status = await runIgtg(['status', '--json'], { home: home.home });
    expect(JSON.parse(String(status.stdout)).bridge).toMatchObject({ running: true, heartbeat_at: expect.any(String) });
    const pidFile = join(home.home, 'profiles', 'default', 'state', 'bridge.pid');
    expect(readFileSync(pidFile, 'utf8')).toBe(String(daemon.pid));

    const second = await runIgtg(['bridge'], { home: home.home, env: env() });
    expect(second.exitCode).toBe(1);
    expect(second.stderr).toContain('already running');

    daemon.kill('SIGTERM');
    const result = await daemon;
    expect(result.exitCode).toBe(0);
    const logs = String(result.stdout)
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { msg: string });
    expect(logs.some((l) => l.msg === 'bridge stopped')).toBe(true);
    expect(existsSync(pidFile)).toBe(false);
    const after = await runIgtg(['status', '--json'], { home: home.home });
    expect(JSON.parse(String(after.stdout)).bridge).toMatchObject({ running: false, heartbeat_at: null });
    expect(String((await runIgtg(['status'], { home: home.home })).stdout)).toMatch(/^bridge +not running$/m);
    expect(String(result.stdout)).not.toContain('hallo');
    expect(String(result.stdout)).not.toContain(fake.token);
  }, 90_000);

  /** Starts the bridge and switches forum mode on in a new supergroup. */
  async function startForum() {
    const forum = fake.state.addForum({ botIsAdmin: true });
    const bridge = startBridge();
    daemon = bridge;
    fake.state.userSends({ chatId: forum.id, text: '/forum' });
    await until('forum confirmation', () => fake.state.sent(forum.id).find((m) => m.text?.startsWith('Forum mode on')));
    return { forum, bridge, store: await openProfileStore() };
  }

  /** Stores thread t9 "Carla" with one message, "ciao"; its copy in the forum, once the bridge sent it. */
  async function forwardToTopic(store: Store, forumId: number) {
    await store.write({
      threads: [thread('t9', { title: 'Carla' })],
      messages: [message('t9', 'k1', { text: 'ciao' })],
    });
    return until('message in topic', () => fake.state.sent(forumId).find((m) => m.text === 'ciao'));
  }

  it('forum mode: /forum in a supergroup, one topic per thread, a message in a topic goes to its thread', async () => {
    const { forum, bridge, store } = await startForum();
    try {
      const sent = await forwardToTopic(store, forum.id);
      const topics = fake.state.topics(forum.id);
      expect([...topics.values()].map((t) => t.name)).toEqual(['Carla']);
      expect(sent.topicId).toBe([...topics.keys()][0]);
      fake.state.userSends({ chatId: forum.id, topicId: sent.topicId!, text: 'in the topic' });
      const entry = await until('to_instagram entry', async () => {
        const claimed = await store.claimDue('to_instagram', Date.now() + 10 * 60_000, 10, 1);
        return claimed.find((e) => (e.payload as { text?: string }).text === 'in the topic');
      });
      expect((entry.payload as { threadId: string }).threadId).toBe('t9');
    } finally {
      await store.close();
    }
    bridge.kill('SIGTERM');
    const result = await bridge;
    expect(result.exitCode, String(result.stdout) + String(result.stderr)).toBe(0);
  });

  it("forum mode: ignores other bots' commands, and /messages in a topic shows that topic's thread", async () => {
    const { forum, bridge, store } = await startForum();
    try {
      const forwarded = await forwardToTopic(store, forum.id);

      fake.state.userSends({ chatId: forum.id, text: '/status@otherbot' });
      fake.state.userSends({ chatId: forum.id, text: '/status@IG_Import_Bot' });
      await until('status reply', () => fake.state.sent(forum.id).find((m) => m.text?.startsWith('Instagram:')));
      fake.state.userSends({ chatId: forum.id, topicId: forwarded.topicId!, text: '/messages' });
      const page = await until('answer to /messages', () =>
        fake.state.sent(forum.id).find((m) => /^(💬|Which thread\?)/.test(m.text ?? '')),
      );
      expect(page.topicId).toBe(forwarded.topicId);
      expect(page.text).toContain('ciao');
      expect(fake.state.sent(forum.id).filter((m) => m.text?.startsWith('Instagram:'))).toHaveLength(1);
    } finally {
      await store.close();
    }
    bridge.kill('SIGTERM');
    const result = await bridge;
    expect(result.exitCode, String(result.stdout) + String(result.stderr)).toBe(0);
  });
});

describe('igtg bridge install / telegram setup', () => {
  it('writes a systemd user unit under XDG_CONFIG_HOME and removes it again', async () => {
    const xdg = join(home.home, 'xdg');
    const install = await runIgtg(['bridge', 'install'], {
      home: home.home,
      env: { XDG_CONFIG_HOME: xdg, IGTG_POLL_INTERVAL: '30', IGTG_TELEGRAM_TOKEN: 'secret' },
    });
    expect(install.exitCode).toBe(0);
    expect(install.stderr).toContain('loginctl enable-linger');
    const { readFileSync, existsSync } = await import('node:fs');
    const unit = readFileSync(join(xdg, 'systemd', 'user', 'igtg-bridge-default.service'), 'utf8');
    expect(unit).toContain('Restart=on-failure');
    expect(unit).toMatch(/EnvironmentFile=-.*bridge\.env/);
    expect(unit).toMatch(/ExecStart=.*igtg\.js --profile default bridge/);
    const envFile = readFileSync(join(home.home, 'profiles', 'default', 'bridge.env'), 'utf8');
    expect(envFile).toContain('IGTG_POLL_INTERVAL=30');
    expect(envFile).not.toContain('=secret');
    const uninstall = await runIgtg(['bridge', 'uninstall'], {
      home: home.home,
      env: { XDG_CONFIG_HOME: xdg, PATH: '/nonexistent' },
    });
    expect(existsSync(join(xdg, 'systemd', 'user', 'igtg-bridge-default.service'))).toBe(false);
    expect(uninstall.exitCode).toBe(0);
    // Nothing left to remove: --json still answers.
    const again = await runIgtg(['--json', 'bridge', 'uninstall'], {
      home: home.home,
      env: { XDG_CONFIG_HOME: xdg, PATH: '/nonexistent' },
    });
    expect(again.exitCode).toBe(0);
    expect(JSON.parse(String(again.stdout))).toEqual({ removed: null });
  });

  it('keeps the unit it wrote and says how to start it when --now cannot reach a user systemd', async () => {
    const { chmodSync, existsSync, mkdirSync, writeFileSync } = await import('node:fs');
    const xdg = join(home.home, 'xdg-now');
    const bin = join(home.home, 'fake-bin');
    mkdirSync(bin, { recursive: true });
    // What systemctl says in a container or an ssh session without a user bus.
    writeFileSync(join(bin, 'systemctl'), '#!/bin/sh\necho "Failed to connect to bus: No medium found" >&2\nexit 1\n');
    chmodSync(join(bin, 'systemctl'), 0o755);
    const unit = join(xdg, 'systemd', 'user', 'igtg-bridge-default.service');
    const hint = 'from a login session, run: systemctl --user enable --now igtg-bridge-default.service';
    const failed = await runIgtg(['bridge', 'install', '--now'], {
      home: home.home,
      env: { XDG_CONFIG_HOME: xdg, PATH: bin },
    });
    expect([failed.exitCode, failed.stderr]).toEqual([
      1,
      `error: wrote ${unit} but could not start it: systemctl --user daemon-reload failed: Failed to connect to bus: No medium found; ${hint}`,
    ]);
    expect(existsSync(unit)).toBe(true);
    const missing = await runIgtg(['bridge', 'install', '--now'], {
      home: home.home,
      env: { XDG_CONFIG_HOME: xdg, PATH: '/nonexistent' },
    });
    expect([missing.exitCode, missing.stderr]).toEqual([
      1,
      `error: wrote ${unit} but could not start it: systemctl was not found (no systemd?); ${hint}`,
    ]);
  });

  /** `telegram setup` against the fake; resolves once it has shown a pairing code on `stream`. */
  async function startSetup(globalArgs: string[], stream: 'stdout' | 'stderr') {
    const setup = execa(process.execPath, [BIN, ...globalArgs, 'telegram', 'setup', '--timeout', '30'], {
      env: {
        IGTG_HOME: home.home,
        IGTG_SECRETS: 'file',
        NO_COLOR: '1',
        IGTG_TELEGRAM_API_URL: fake.url,
        IGTG_TELEGRAM_TOKEN: fake.token,
      },
      extendEnv: true,
      reject: false,
      stdin: 'ignore',
    });
    const shown = { text: '' };
    setup[stream]!.on('data', (chunk: Buffer) => (shown.text += chunk.toString()));
    const code = await until('pairing code', () => /\/start (\d{6})/.exec(shown.text)?.[1]);
    return { setup, code, shown };
  }

  it('checks the token, stores it and pairs the owner with /start CODE', async () => {
    const { setup, code, shown } = await startSetup([], 'stdout');
    fake.state.userSends({ text: '/start 000000' });
    fake.state.userSends({ text: `/start ${code}` });
    const result = await setup;
    expect(result.exitCode).toBe(0);
    expect(shown.text).toContain(`(${fake.state.owner.id})`);
    const config = await runIgtg(['config', 'get', 'telegram.owner_id'], { home: home.home });
    expect(String(config.stdout).trim()).toBe(String(fake.state.owner.id));
    // The mistyped code was answered, once.
    expect(fake.state.sent(fake.state.owner.id).map((m) => m.text)).toEqual([
      'That is not the pairing code: send /start followed by the code igtg telegram setup shows.',
      'Paired: this bot now serves you. Start the bridge with `igtg bridge`.',
    ]);
  });

  it("leaves the updates waiting for the bridge (an owner's reply sent while it was stopped) unconfirmed", async () => {
    const waiting = fake.state.userSends({ text: 'yes, at 8!' });
    const { setup, code } = await startSetup([], 'stdout');
    fake.state.userSends({ text: `/start ${code}` });
    expect((await setup).exitCode).toBe(0);
    const pending = fake.state.pendingUpdates().map((update) => update.update_id);
    expect(pending).toContain(waiting.update.update_id);
  });

  it('with --json, shows the pairing code on stderr and keeps stdout JSON', async () => {
    const { setup, code } = await startSetup(['--json'], 'stderr');
    fake.state.userSends({ text: `/start ${code}` });
    const result = await setup;
    expect(result.exitCode).toBe(0);
    expect(() => JSON.parse(String(result.stdout))).not.toThrow();
  });

  it('sets the owner from IGTG_TELEGRAM_OWNER_ID once Telegram knows their chat, re-pairs on the stored token', async () => {
    const base = { IGTG_TELEGRAM_API_URL: fake.url, IGTG_TELEGRAM_TOKEN: fake.token };
    const secretsFile = join(home.home, 'profiles', 'default', 'secrets.json');
    // A user who never pressed Start in the bot's chat: the bridge could never write to them.
    const stranger = await runIgtg(['telegram', 'setup'], {
      home: home.home,
      env: { ...base, IGTG_TELEGRAM_OWNER_ID: '4242' },
    });
    expect(stranger.exitCode).toBe(1);
    expect(String(stranger.stderr).split('\n').at(-1)).toMatch(
      /^error: Telegram user 4242 has no chat with @\S+ \(Bad Request: chat not found\): open the bot in Telegram and press Start, or check IGTG_TELEGRAM_OWNER_ID$/,
    );
    expect(existsSync(secretsFile) ? readFileSync(secretsFile, 'utf8') : '').not.toContain('telegram.token');

    const owner = String(fake.state.owner.id);
    const set = await runIgtg(['telegram', 'setup'], {
      home: home.home,
      env: { ...base, IGTG_TELEGRAM_OWNER_ID: owner },
    });
    expect([set.exitCode, set.stdout]).toEqual([0, `owner: Telegram user ${owner}`]);
    const again = await runIgtg(['telegram', 'setup'], {
      home: home.home,
      env: { IGTG_TELEGRAM_API_URL: fake.url, IGTG_TELEGRAM_TOKEN: '', IGTG_TELEGRAM_OWNER_ID: owner },
    });
    expect([again.exitCode, again.stdout]).toEqual([0, `owner: Telegram user ${owner}`]);
    expect(again.stderr).toContain('checked (the stored token)');

    const fresh = tempHome('igtg-bridge-setup-');
    try {
      const missing = await runIgtg(['telegram', 'setup'], { home: fresh.home, env: { IGTG_TELEGRAM_TOKEN: '' } });
      expect([missing.exitCode, missing.stderr]).toEqual([
        2,
        'error: no bot token given (set IGTG_TELEGRAM_TOKEN, or pass the token on standard input)',
      ]);
    } finally {
      fresh.cleanup();
    }
  });

  it('pairing while another program reads the bot (a running bridge) stops in one line, storing nothing', async () => {
    fake.state.failNext('getUpdates', tgErrors.conflict(), 100);
    const result = await runIgtg(['telegram', 'setup', '--timeout', '20'], {
      home: home.home,
      env: { IGTG_TELEGRAM_API_URL: fake.url, IGTG_TELEGRAM_TOKEN: fake.token },
    });
    expect(result.exitCode).toBe(1);
    expect(String(result.stderr).split('\n').at(-1)).toBe(
      "error: another program is reading this bot's updates (a running igtg bridge?): stop it, run `igtg telegram setup` again, then start it",
    );
    const secretsFile = join(home.home, 'profiles', 'default', 'secrets.json');
    expect(existsSync(secretsFile) ? readFileSync(secretsFile, 'utf8') : '').not.toContain('telegram.token');
  });

  it('refuses an IGTG_TELEGRAM_API_URL that is no URL instead of waiting for it forever', async () => {
    for (const command of [['telegram', 'setup'], ['bridge']]) {
      const result = await runIgtg(command, {
        home: home.home,
        env: {
          IGTG_TELEGRAM_TOKEN: '123456:ABCdefGHIjklMNOpqrSTUvwx',
          IGTG_TELEGRAM_OWNER_ID: '1',
          IGTG_TELEGRAM_API_URL: 'notaurl',
        },
        timeoutMs: 20_000,
      });
      expect([result.exitCode, result.stderr], command.join(' ')).toEqual([
        2,
        'error: IGTG_TELEGRAM_API_URL: "notaurl" is not a URL',
      ]);
    }
  });
});

import { spawnSync } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { BridgeMeta } from '../../src/bridge/core/state-keys.js';
import { StatusMeta } from '../../src/core/status-meta.js';
import { ROOT, runIgtg, tempHome } from '../helpers/cli.js';
import { withProfileStore } from '../helpers/profile-store.js';

const { home, cleanup } = tempHome();
afterAll(cleanup);

const ESC = String.fromCharCode(27);
const COMMANDS = [
  'login',
  'logout',
  'sync',
  'import',
  'search',
  'threads',
  'show',
  'export',
  'bridge',
  'status',
  'config',
  'completion',
];

describe('igtg basics', () => {
  it('--help lists every command', async () => {
    const result = await runIgtg(['--help'], { home });
    expect(result.exitCode).toBe(0);
    for (const command of COMMANDS) expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const result = await runIgtg(['--version'], { home });
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim()).toBe(pkg.version);
    // Its shortcut fails like every command when stdout cannot be written: one line, exit 1.
    const full = spawnSync(process.execPath, [join(ROOT, 'bin', 'igtg.js'), '--version'], {
      stdio: ['ignore', openSync('/dev/full', 'w'), 'pipe'],
      encoding: 'utf8',
    });
    expect([full.status, full.stderr]).toEqual([
      1,
      'error: cannot write the output: ENOSPC: no space left on device, write\n',
    ]);
  });

  it('help asked for exits 0; no command at all shows help on stderr and exits 2, as scripts expect', async () => {
    expect((await runIgtg(['help'], { home })).exitCode).toBe(0);
    expect((await runIgtg(['help', 'import'], { home })).exitCode).toBe(0);
    for (const args of [[], ['telegram']]) {
      const result = await runIgtg(args, { home });
      expect(result.exitCode).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^Usage: igtg /);
    }
  });

  it('an unknown IGTG_LOG_LEVEL is a usage error naming the levels', async () => {
    const result = await runIgtg(['bridge', '--no-realtime'], { home, env: { IGTG_LOG_LEVEL: 'verbose' } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim()).toBe(
      'error: IGTG_LOG_LEVEL: "verbose" is not a log level (trace, debug, info, warn, error, fatal, silent)',
    );
  });

  it('an unknown command is a usage error (exit 2) without a stack trace', async () => {
    const result = await runIgtg(['frobnicate'], { home });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/unknown command 'frobnicate'/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('a bad global option value is a usage error', async () => {
    const result = await runIgtg(['--profile', '../x', 'status'], { home });
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
  it('stops quietly when its reader closes the pipe early', async () => {
    const child = execa(process.execPath, [join(ROOT, 'bin', 'igtg.js'), 'completion', 'bash'], {
      reject: false,
      env: { IGTG_HOME: home, IGTG_SECRETS: 'file', NO_COLOR: '1' },
    });
    // As `igtg … | head -0` does: the reading end is gone before anything is written.
    child.stdout!.destroy();
    const result = await child;
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
  });
});

describe('igtg status', () => {
  let json: Record<string, unknown>;
  beforeAll(async () => {
    const result = await runIgtg(['status', '--json'], {
      home,
      // No keychain and no session bus: status must still work.
      env: { IGTG_SECRETS: undefined, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent' },
    });
    // --json keeps stdout for the report; where the secrets went is still said, on stderr.
    expect(String(result.stderr).trim().split('\n')).toEqual([
      expect.stringMatching(
        /^warning: no OS keychain reachable \(.+\); secrets are kept in .+secrets\.json \(mode 0600\)$/,
      ),
    ]);
    expect(result.exitCode).toBe(0);
    json = JSON.parse(result.stdout) as Record<string, unknown>;
  });

  it('prints valid JSON describing the profile and store', () => {
    expect(json.profile).toBe('default');
    // Status reads; it never creates the store.
    expect(json.store).toEqual({
      kind: 'sqlite',
      location: join(home, 'profiles', 'default', 'igtg.db'),
      exists: false,
    });
    expect(json.counts).toEqual({ threads: 0, messages: 0, users: 0 });
    expect(json.last_sync_at).toBeNull();
    expect(json.instagram).toEqual({ logged_in: false, username: null, session_refused: false, pending_login: false });
    expect(json.secrets).toEqual({ backend: 'file', location: join(home, 'profiles', 'default', 'secrets.json') });
  });

  it('creates its files private to the user', async () => {
    const own = tempHome();
    try {
      const imported = await runIgtg(['import', join(ROOT, 'examples', 'sample-archive'), '--no-media'], {
        home: own.home,
      });
      expect(imported.exitCode).toBe(0);
      const dir = join(own.home, 'profiles', 'default');
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(statSync(join(dir, 'igtg.db')).mode & 0o777).toBe(0o600);
    } finally {
      own.cleanup();
    }
  });

  it('keeps profiles apart', async () => {
    const result = await runIgtg(['--profile', 'work', 'status', '--json'], { home });
    expect(JSON.parse(result.stdout).store.location).toBe(join(home, 'profiles', 'work', 'igtg.db'));
  });

  it('reports an unreadable store in one line', async () => {
    const bogus = join(home, 'not-a-db.db');
    await import('node:fs').then((fs) => fs.writeFileSync(bogus, 'this is not sqlite '.repeat(400)));
    const result = await runIgtg(['status'], { home, env: { IGTG_DB: bogus } });
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(bogus);
  });
});

describe('colour', () => {
  it('never colours with NO_COLOR or --no-color, even when forced', async () => {
    for (const env of [
      { NO_COLOR: '1', FORCE_COLOR: '1' },
      { NO_COLOR: undefined, FORCE_COLOR: '1' },
    ]) {
      const args = env.NO_COLOR ? ['status'] : ['--no-color', 'status'];
      const result = await runIgtg(args, { home, env });
      expect(result.exitCode).toBe(0);
      expect(result.stdout).not.toContain(`${ESC}[`);
    }
  });

  it('colours when forced and allowed', async () => {
    const result = await runIgtg(['status'], { home, env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(result.stdout).toContain(`${ESC}[1m`);
  });
});

describe('shell completions', () => {
  it('bash completion is valid bash and names the commands', async () => {
    const result = await runIgtg(['completion', 'bash'], { home });
    expect(result.exitCode).toBe(0);
    for (const command of COMMANDS) expect(result.stdout).toContain(command);
    const syntax = await execa('bash', ['-n'], { input: result.stdout, reject: false });
    expect(syntax.exitCode).toBe(0);
  });

  it('completes the values of options that take one of a list, in bash and fish', async () => {
    const bashScript = (await runIgtg(['completion', 'bash'], { home })).stdout;
    const complete = async (...words: string[]) => {
      const script = `${bashScript}\nCOMP_WORDS=(${words.map((word) => `"${word}"`).join(' ')}); COMP_CWORD=${words.length - 1}; _igtg; echo "\${COMPREPLY[*]}"`;
      return (await execa('bash', ['-c', script])).stdout;
    };
    expect(await complete('igtg', 'export', '--format', '')).toBe('html md json jsonl csv');
    expect(await complete('igtg', 'export', '-f', 'js')).toBe('json jsonl');
    expect(await complete('igtg', 'search', 'pizza', '--sort', 'n')).toBe('newest');
    // Elsewhere, the options as before.
    expect(await complete('igtg', 'search', '--so')).toBe('--sort');

    const fishScript = join(home, 'igtg.fish');
    writeFileSync(fishScript, (await runIgtg(['completion', 'fish'], { home })).stdout);
    const fish = await execa('fish', ['-c', `source ${fishScript}; complete -C 'igtg export --format '`]);
    expect(fish.stdout.split('\n')).toEqual(['csv', 'html', 'json', 'jsonl', 'md']);
  });

  it('zsh completion is valid zsh and offers the values of --format', async () => {
    const result = await runIgtg(['completion', 'zsh'], { home });
    expect(result.stdout).toContain("'--format:value:(html md json jsonl csv)'");
    const syntax = await execa('zsh', ['-n'], { input: result.stdout, reject: false });
    expect(syntax.exitCode).toBe(0);
  });

  it.each([
    ['bash', 'completions/igtg.bash'],
    ['zsh', 'completions/_igtg'],
    ['fish', 'completions/igtg.fish'],
  ])('completions/ holds the current %s script (npm run completions)', async (shell, file) => {
    const result = await runIgtg(['completion', shell], { home });
    expect(`${result.stdout}\n`).toBe(readFileSync(join(ROOT, file), 'utf8'));
  });

  it('an unknown shell is a usage error', async () => {
    const result = await runIgtg(['completion', 'tcsh'], { home });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/unknown shell "tcsh"/);
  });
});

describe('igtg status after a bridge that was killed', () => {
  const killed = tempHome('igtg-status-killed-');
  afterAll(() => killed.cleanup());

  it('says the bridge is not running once its heartbeat is stale, and shows no realtime state', async () => {
    const beat = Date.now() - 60_000;
    await withProfileStore(killed.home, async (store) => {
      await store.setMeta(StatusMeta.bridgeHeartbeat, String(beat));
      const realtime = {
        enabled: true,
        connected: true,
        connected_since: beat - 60_000,
        reconnects: 0,
        last_event_at: beat,
        polling: false,
        last_error: null,
      };
      await store.setMeta(BridgeMeta.realtime, JSON.stringify(realtime));
    });
    const json = await runIgtg(['status', '--json'], { home: killed.home });
    expect(JSON.parse(String(json.stdout)).bridge).toMatchObject({
      running: false,
      heartbeat_at: new Date(beat).toISOString(),
      // What the killed bridge last wrote is kept, but its link is not reported as up.
      realtime: { enabled: true, connected: false, reconnects: 0 },
    });
    const text = String((await runIgtg(['status'], { home: killed.home })).stdout);
    expect(text).toContain(`not running (stopped without a word after ${new Date(beat).toISOString()})`);
    expect(text).not.toMatch(/^realtime/m);
  });

  it('says so at once when the bridge process of this machine is gone, even with a fresh heartbeat', async () => {
    const beat = Date.now();
    await withProfileStore(killed.home, (store) => store.setMeta(StatusMeta.bridgeHeartbeat, String(beat)));
    const running = await runIgtg(['status', '--json'], { home: killed.home });
    expect(JSON.parse(String(running.stdout)).bridge).toMatchObject({ running: true });
    const gone = spawnSync(process.execPath, ['-e', '']);
    const stateDir = join(killed.home, 'profiles', 'default', 'state');
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(join(stateDir, 'bridge.pid'), String(gone.pid));
    const json = await runIgtg(['status', '--json'], { home: killed.home });
    expect(JSON.parse(String(json.stdout)).bridge).toMatchObject({
      running: false,
      heartbeat_at: new Date(beat).toISOString(),
    });
  });
});

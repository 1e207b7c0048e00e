// Is an OS keychain usable here? On Linux the answer needs a Secret Service on the D-Bus session
// bus, and a D-Bus call can hang for its full 25 s timeout, so the check runs in a child process
// that is killed after a short timeout. macOS and Windows always have their keychain.
//
// A plain read cannot tell: @napi-rs/keyring answers "no entry" when no Secret Service exists and
// quietly keeps values in the kernel keyring instead (lost at logout). So the child asks the
// Secret Service to list the service's entries (fails without one) and, when the profile has none
// yet, stores, reads back and deletes a probe entry (fails when no keyring collection is usable).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export interface KeychainProbe {
  reachable: boolean;
  /** Why not, in a few words (no secret in it). */
  reason: string;
}

export interface KeychainProbeOptions {
  service: string;
  profile: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
}

// Runs as `node -e SCRIPT keyringModule service profile`; prints "r" once the module is loaded
// (the timeout starts then, so a slow machine is not mistaken for a wedged bus), then "ok" or
// "fail:<reason>".
const PROBE_SCRIPT = `
const [keyringPath, service, profile] = process.argv.slice(1);
const firstLine = (e) => String(e && e.message ? e.message : e).split('\\n')[0];
let answer;
try {
  const keyring = require(keyringPath);
  process.stdout.write('r');
  const found = keyring.findCredentials(service);
  if (found.some((c) => c.account.startsWith(profile + ':'))) {
    answer = 'ok';
  } else {
    const entry = new keyring.Entry(service, profile + ':.probe');
    entry.setPassword('probe');
    const back = entry.getPassword();
    entry.deletePassword();
    answer = back === 'probe' ? 'ok' : 'fail:the keychain did not keep a test entry';
  }
} catch (error) {
  answer = 'fail:' + firstLine(error);
}
process.stdout.write(answer);
`;

/** How long starting the probe (Node and the native module) may take on a very busy machine. */
const STARTUP_LIMIT_MS = 15_000;

/** False when no session bus can exist (no address, no $XDG_RUNTIME_DIR/bus, no X11 to autolaunch). */
export function sessionBusConceivable(env: NodeJS.ProcessEnv): boolean {
  if (env.DBUS_SESSION_BUS_ADDRESS) return true;
  if (env.XDG_RUNTIME_DIR && existsSync(join(env.XDG_RUNTIME_DIR, 'bus'))) return true;
  return Boolean(env.DISPLAY);
}

export async function probeKeychain(options: KeychainProbeOptions): Promise<KeychainProbe> {
  if (process.platform === 'darwin' || process.platform === 'win32') return { reachable: true, reason: '' };
  if (!sessionBusConceivable(options.env)) return { reachable: false, reason: 'no D-Bus session bus' };
  const keyringPath = createRequire(import.meta.url).resolve('@napi-rs/keyring');
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, ['-e', PROBE_SCRIPT, keyringPath, options.service, options.profile], {
      env: options.env,
      stdio: ['ignore', 'pipe', 'ignore'],
      windowsHide: true,
    });
    let output = '';
    let started = false;
    let timedOut = false;
    const giveUp = () => {
      timedOut = true;
      child.kill('SIGKILL');
    };
    let timer = setTimeout(giveUp, STARTUP_LIMIT_MS);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      if (!started && output.startsWith('r')) {
        started = true;
        clearTimeout(timer);
        timer = setTimeout(giveUp, options.timeoutMs);
      }
    });
    child.on('error', () => {
      clearTimeout(timer);
      resolvePromise({ reachable: false, reason: 'the keychain check could not start' });
    });
    child.on('close', () => {
      clearTimeout(timer);
      const answer = output.slice(started ? 1 : 0).trim();
      if (answer === 'ok') return resolvePromise({ reachable: true, reason: '' });
      if (answer.startsWith('fail:'))
        return resolvePromise({ reachable: false, reason: answer.slice(5) || 'unknown error' });
      resolvePromise({
        reachable: false,
        reason: timedOut ? `no answer within ${options.timeoutMs} ms` : 'the keychain check failed',
      });
    });
  });
}

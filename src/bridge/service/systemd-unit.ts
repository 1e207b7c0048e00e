// The systemd user unit for a profile's bridge, and the environment file next to the profile's
// config that carries IGTG_* settings (never tokens or passwords: those stay in the SecretStore).
import { join, resolve } from 'node:path';
import { absoluteStoreTarget } from '../../store/open-store.js';
import { homedir } from 'node:os';

export function unitName(profile: string): string {
  return `igtg-bridge-${profile}.service`;
}

export function unitDir(env: NodeJS.ProcessEnv): string {
  return join(env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config'), 'systemd', 'user');
}

/**
 * systemd expands `%x` specifiers in every setting, and `$VAR` in ExecStart's arguments (not in the
 * program's own path): those signs are doubled to stay literal.
 */
function literal(text: string, dollars = false): string {
  return text.replace(dollars ? /[%$]/g : /%/g, (sign) => sign + sign);
}

/** One ExecStart word: quoted (with `"` and `\` escaped) unless plain. */
function quote(arg: string, index: number): string {
  const escaped = literal(arg, index > 0);
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(escaped) ? escaped : `"${escaped.replace(/(["\\])/g, '\\$1')}"`;
}

export function unitText(options: { profile: string; node: string; bin: string; envFile: string }): string {
  const exec = [options.node, options.bin, '--profile', options.profile, 'bridge'].map(quote).join(' ');
  return [
    '[Unit]',
    `Description=igtg Instagram <-> Telegram bridge (profile ${options.profile})`,
    'Wants=network-online.target',
    'After=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    `EnvironmentFile=-${literal(options.envFile)}`,
    `ExecStart=${exec}`,
    'Restart=on-failure',
    'RestartSec=10',
    'KillSignal=SIGTERM',
    'TimeoutStopSec=15',
    '',
    '[Install]',
    'WantedBy=default.target',
    '',
  ].join('\n');
}

/** Names of variables that hold secrets (IGTG_SECRETS only picks where secrets are kept: it stays). */
const SECRET_NAME = /TOKEN|PASSWORD|SESSION|SECRET(?!S$)/i;

/**
 * A path setting as the service must see it: the service starts in the home folder, not where
 * `bridge install` ran, so a relative IGTG_HOME or SQLite IGTG_DB is made absolute from `cwd`.
 */
function forService(key: string, value: string, cwd: string): string {
  if (key === 'IGTG_HOME' || XDG_DIRS.test(key)) return resolve(cwd, value);
  if (key === 'IGTG_DB') return absoluteStoreTarget(value, cwd);
  return value;
}

/** The XDG folders igtg keeps its files in: set in a shell, they are not in a user service's environment. */
const XDG_DIRS = /^XDG_(CONFIG|DATA|STATE)_HOME$/;

/** IGTG_* variables (and XDG folders) of the current environment worth keeping for the service. */
export function environmentFileText(env: NodeJS.ProcessEnv, profile: string, cwd: string = process.cwd()): string {
  const lines = [
    '# Environment of the igtg bridge service: IGTG_* settings and XDG folders only (Instagram and Telegram secrets live in',
    "# the SecretStore). Private (0600): a database URL's password, if it has one, is in IGTG_DB.",
  ];
  lines.push(`IGTG_PROFILE=${profile}`);
  for (const [key, value] of Object.entries(env).sort(([a], [b]) => a.localeCompare(b))) {
    const wanted = (key.startsWith('IGTG_') && key !== 'IGTG_PROFILE' && !SECRET_NAME.test(key)) || XDG_DIRS.test(key);
    if (!wanted || value === undefined) continue;
    // An empty value (an unset variable) would only hide the profile's own settings.
    if (/[\n\r]/.test(value) || value.trim() === '') continue;
    lines.push(`${key}=${forService(key, value.trim(), cwd)}`);
  }
  return `${lines.join('\n')}\n`;
}

// Runs the built `igtg` binary as a user would, with its own IGTG_HOME and no keychain.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'igtg.js');

export interface RunOptions {
  home: string;
  env?: Record<string, string | undefined>;
  input?: string;
  timeoutMs?: number;
}

export interface CliResult {
  exitCode: number | undefined;
  signal: string | undefined;
  stdout: string;
  stderr: string;
}

/** Runs `igtg ...args`; never rejects: inspect exitCode, stdout and stderr. */
export async function runIgtg(args: string[], options: RunOptions): Promise<CliResult> {
  const result = await execa(process.execPath, [BIN, ...args], {
    reject: false,
    input: options.input ?? '',
    timeout: options.timeoutMs ?? 60_000,
    env: {
      IGTG_HOME: options.home,
      IGTG_SECRETS: 'file',
      NO_COLOR: '1',
      IGTG_DB: undefined,
      ...options.env,
    },
    extendEnv: true,
  });
  return { exitCode: result.exitCode, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh temporary IGTG_HOME, removed by the returned cleanup. */
export function tempHome(prefix = 'igtg-test-'): { home: string; cleanup: () => void } {
  const home = mkdtempSync(join(tmpdir(), prefix));
  return { home, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

/** `igtg login` to the fake Instagram as its account, alex.kim (password "correct horse"). */
export function loginToFake(home: string, env: Record<string, string | undefined>): Promise<CliResult> {
  return runIgtg(['login', '-u', 'alex.kim', '--password-stdin'], { home, env, input: 'correct horse' });
}

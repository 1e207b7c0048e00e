// Runs the built `igtg` binary on a real pseudo-terminal (util-linux `script`), as a person at a
// terminal would: stderr is a TTY, so progress bars and spinners are drawn.
import { execa } from 'execa';
import { BIN } from './cli.js';

export interface TerminalResult {
  exitCode: number | undefined;
  /** Everything the terminal received, escape sequences included (stdout and stderr interleaved). */
  screen: string;
}

const quote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;

/** `columns` 0 is a terminal that reports no size, as a pty opened without one does. */
export async function runIgtgInTerminal(
  args: string[],
  options: { home: string; env?: Record<string, string>; columns?: number; timeoutMs?: number },
): Promise<TerminalResult> {
  const command = [process.execPath, BIN, ...args].map(quote).join(' ');
  const columns = options.columns ?? 100;
  const result = await execa('script', ['-qfec', `stty cols ${columns} rows 30; exec ${command}`, '/dev/null'], {
    reject: false,
    input: '',
    timeout: options.timeoutMs ?? 60_000,
    env: { IGTG_HOME: options.home, IGTG_SECRETS: 'file', NO_COLOR: '1', IGTG_DB: undefined, ...options.env },
    extendEnv: true,
    stripFinalNewline: false,
  });
  return { exitCode: result.exitCode, screen: String(result.stdout) };
}

/** Cursor hidden (ESC[?25l) at some point must be shown again (ESC[?25h) by the end. */
export function cursorRestored(screen: string): boolean {
  return screen.lastIndexOf('\u001b[?25h') > screen.lastIndexOf('\u001b[?25l');
}

// Everything a command prints goes through Output, so --json, --quiet and colour rules hold everywhere.
import type { Writable } from 'node:stream';
import { terminalLines } from './format/terminal-text.js';

/** A notice may quote what others wrote (an archive's file names): its control characters are shown, not obeyed. */
const safe = (text: string) => terminalLines(text).join('\n');

export interface OutputOptions {
  json: boolean;
  quiet: boolean;
  verbose: boolean;
  /** Colour on stdout. */
  color: boolean;
  /** Colour on stderr (warnings, errors, detail); as `color` when not given. */
  stderrColor?: boolean;
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
}

const CODES = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
} as const;
export type Style = keyof typeof CODES;

function paint(style: Style, text: string): string {
  const [open, close] = CODES[style];
  return `\u001b[${open}m${text}\u001b[${close}m`;
}

export class Output {
  constructor(readonly options: OutputOptions) {}

  get json(): boolean {
    return this.options.json;
  }

  get isTTY(): boolean {
    return Boolean(this.options.stdout.isTTY);
  }

  /** True when progress bars and spinners may be drawn (stderr is a terminal and not --quiet/--json). */
  get interactive(): boolean {
    return Boolean(this.options.stderr.isTTY) && !this.options.quiet && !this.options.json;
  }

  /** `text` styled for stdout. */
  style(style: Style, text: string): string {
    return this.options.color ? paint(style, text) : text;
  }

  private errStyle(style: Style, text: string): string {
    return (this.options.stderrColor ?? this.options.color) ? paint(style, text) : text;
  }

  /** A line of the command's result on stdout. */
  line(text = ''): void {
    this.options.stdout.write(`${text}\n`);
  }

  /** What a command did when its result is elsewhere (a file written): on stdout; silenced by --quiet, as cron wants. */
  report(text: string): void {
    if (!this.options.quiet) this.line(text);
  }

  /** Something the user must act on: on stdout, or on stderr when stdout carries JSON; never silenced. */
  instruct(text: string): void {
    (this.options.json ? this.options.stderr : this.options.stdout).write(`${safe(text)}\n`);
  }

  /** The command's result as JSON on stdout. */
  printJson(value: unknown): void {
    this.options.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** A notice on stderr; silenced by --quiet and --json. */
  info(text: string): void {
    if (this.options.quiet || this.options.json) return;
    this.options.stderr.write(`${safe(text)}\n`);
  }

  /** A warning on stderr; silenced only by --quiet. */
  warn(text: string): void {
    if (this.options.quiet) return;
    this.options.stderr.write(`${this.errStyle('yellow', 'warning:')} ${safe(text)}\n`);
  }

  /** Detail shown with --verbose only. */
  debug(text: string): void {
    if (!this.options.verbose) return;
    this.options.stderr.write(`${this.errStyle('dim', safe(text))}\n`);
  }

  error(text: string): void {
    this.options.stderr.write(`${this.errStyle('red', 'error:')} ${safe(text)}\n`);
  }
}

/** Colour is on only for a terminal, and never with NO_COLOR (any value) or --no-color. */
export function colorEnabled(flag: boolean, env: NodeJS.ProcessEnv, stream: { isTTY?: boolean }): boolean {
  if (!flag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

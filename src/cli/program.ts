// The command tree. Each command lives in its own file under commands/ and imports its heavy
// modules inside its action, so `igtg --help` and `igtg --version` stay fast.
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { Context, type GlobalOptions } from './context.js';
import { Output, colorEnabled } from './output.js';
import { registerBridge } from './commands/bridge.js';
import { registerCompletion } from './commands/completion.js';
import { registerConfig } from './commands/config.js';
import { registerExport } from './commands/export.js';
import { registerImport } from './commands/import.js';
import { registerLogin, registerLogout } from './commands/login.js';
import { registerSearch } from './commands/search.js';
import { registerShow } from './commands/show.js';
import { registerStatus } from './commands/status.js';
import { registerSync } from './commands/sync.js';
import { registerTelegram } from './commands/telegram.js';
import { registerThreads } from './commands/threads.js';

export interface ProgramIO {
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** Turns a command handler into a commander action that builds the Context and always closes it. */
export type CommandRunner = <A extends unknown[]>(
  handler: (ctx: Context, ...args: A) => Promise<void>,
) => (...args: unknown[]) => Promise<void>;

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export function buildProgram(io: ProgramIO): Command {
  const program = new Command('igtg');
  program
    .description('Keep your Instagram DMs in your own database and bridge them to your own Telegram bot')
    .version(packageVersion(), '-V, --version', 'print the version')
    .option('--json', 'machine-readable output', false)
    .addOption(
      new Option('-p, --profile <name>', 'profile (one Instagram account each)').env('IGTG_PROFILE').default('default'),
    )
    .option('-v, --verbose', 'more detail, stack traces on errors', false)
    .option('-q, --quiet', 'only errors and results', false)
    .option('--no-color', 'no colours (NO_COLOR is honoured too)')
    .showSuggestionAfterError(true)
    .configureHelp({ sortSubcommands: false })
    .exitOverride();

  program.configureOutput({
    writeOut: (text) => io.stdout.write(text),
    writeErr: (text) => io.stderr.write(text),
  });

  const run: CommandRunner = (handler) => {
    return async (...args: unknown[]) => {
      const command = args[args.length - 1] as Command;
      const globals = command.optsWithGlobals() as GlobalOptions & Record<string, unknown>;
      const out = new Output({
        json: Boolean(globals.json),
        quiet: Boolean(globals.quiet),
        verbose: Boolean(globals.verbose),
        color: colorEnabled(globals.color !== false, io.env, io.stdout),
        stderrColor: colorEnabled(globals.color !== false, io.env, io.stderr),
        stdout: io.stdout as never,
        stderr: io.stderr as never,
      });
      const ctx = new Context(
        {
          json: Boolean(globals.json),
          profile: String(globals.profile ?? 'default'),
          verbose: Boolean(globals.verbose),
          quiet: Boolean(globals.quiet),
          color: globals.color !== false,
        },
        out,
        io.env,
        () => io.stdin,
      );
      try {
        await (handler as (ctx: Context, ...rest: unknown[]) => Promise<void>)(ctx, ...args.slice(0, -1));
      } finally {
        await ctx.close();
      }
    };
  };

  registerLogin(program, run);
  registerLogout(program, run);
  registerSync(program, run);
  registerImport(program, run);
  registerSearch(program, run);
  registerThreads(program, run);
  registerShow(program, run);
  registerExport(program, run);
  registerBridge(program, run);
  registerTelegram(program, run);
  registerStatus(program, run);
  registerConfig(program, run);
  registerCompletion(program, run);
  return program;
}

// Entry point of the `igtg` binary: parse, run, and turn every failure into one line and an exit code.
import { CommanderError } from 'commander';
import { ExitCode, IgtgError, errorMessage } from '../core/errors.js';
import { terminalLine } from './format/terminal-text.js';
import { buildProgram } from './program.js';
import { separateSearchWords } from './search-words.js';

const verbose = process.argv.includes('--verbose') || process.argv.includes('-v');
const color = !process.argv.includes('--no-color') && !process.env.NO_COLOR && Boolean(process.stderr.isTTY);

function printError(message: string): void {
  const label = color ? '\u001b[31merror:\u001b[39m' : 'error:';
  process.stderr.write(`${label} ${terminalLine(message.split('\n')[0] ?? '')}\n`);
}

async function main(): Promise<number> {
  // An empty IGTG_PROFILE (an unset variable in a script or unit file) means the default profile,
  // as an empty IGTG_DB means the configured store; commander would take "" as the profile's name.
  if (process.env.IGTG_PROFILE?.trim() === '') delete process.env.IGTG_PROFILE;
  const program = buildProgram({
    env: process.env,
    // process.stdin builds a stream on first access: only commands that read it pay for it.
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    stderr: process.stderr,
  });
  try {
    await program.parseAsync(separateSearchWords(program, process.argv));
    return process.exitCode === undefined ? ExitCode.ok : Number(process.exitCode);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its message; asked-for help and version are successes, and
      // help shown because no command was given (exit code 1, on stderr) is a usage error.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.ok;
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    if (error instanceof IgtgError) {
      printError(error.message);
      if (verbose && error.cause) process.stderr.write(`${String((error.cause as Error).stack ?? error.cause)}\n`);
      return error.exitCode;
    }
    printError(`unexpected failure: ${errorMessage(error)}${verbose ? '' : ' (run with --verbose for details)'}`);
    if (verbose && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return ExitCode.user;
  }
}

// A reader that stops early (`igtg search … | head`) closes the pipe: that ends the output, it is
// not a failure worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  // A command that listens too (an export to stdout) owns the failure: a cut-short export must not
  // look like a success to cron.
  if (process.stdout.listenerCount('error') > 1) return;
  if (error.code !== 'EPIPE') printError(`cannot write the output: ${errorMessage(error)}`);
  process.exit(error.code === 'EPIPE' ? ExitCode.ok : ExitCode.user);
});

process.exitCode = await main();

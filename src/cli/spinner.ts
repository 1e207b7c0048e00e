// A spinner on stderr for waits with nothing to count (a sync's requests, an import's index pass).
// Drawn only where progress may be (Output.interactive): under cron, --quiet or --json nothing is.
// While it spins, ora tidies every other write to the terminal (a warning is printed above it).
import type { Output } from './output.js';

export interface Spinner {
  set text(text: string);
  /** Removes the spinner line (once; later calls do nothing). */
  stop(): void;
}

export async function startSpinner(out: Output, text: string): Promise<Spinner | null> {
  // A terminal that reports no width (a pty opened without a size) makes ora's line counting run
  // away: each redraw would erase more lines than the last. Such a terminal gets no spinner.
  const columns = (out.options.stderr as { columns?: number }).columns;
  if (!out.interactive || !columns) return null;
  const { default: ora } = await import('ora');
  const spinner = ora({
    text,
    stream: out.options.stderr,
    // ora otherwise puts stdin in raw mode, which swallows Ctrl+C while a blocking step runs.
    discardStdin: false,
    // Output.interactive already decided; ora's own check would also turn it off under CI=true.
    isEnabled: true,
    color: out.options.color ? 'cyan' : false,
  }).start();
  return {
    set text(value: string) {
      spinner.text = value;
    },
    stop() {
      spinner.stop();
    },
  };
}

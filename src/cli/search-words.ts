// `igtg search pancakes -pie` excludes "pie". Commander would read `-pie` as the global `-p ie`
// (profile "ie"), `-Vanilla` as `-V` and `-quinoa` as `-q`, wherever they stand. So before parsing,
// the words of a search are sorted out here: its options (and the global ones) stay where they are,
// every other token is a query word and goes after a `--`, where commander takes it as it is.
import type { Command, Option } from 'commander';
import { UsageError } from '../core/errors.js';

interface Known {
  /** Option names (`--limit`, `-p`) → whether they take a value. */
  takesValue: Map<string, boolean>;
}

function knownOptions(commands: Command[]): Known {
  const takesValue = new Map<string, boolean>();
  for (const command of commands) {
    for (const option of command.options as readonly Option[]) {
      const needsValue = option.required || option.optional;
      if (option.long) takesValue.set(option.long, needsValue);
      if (option.short) takesValue.set(option.short, needsValue);
    }
  }
  for (const help of ['--help', '-h']) takesValue.set(help, false);
  return { takesValue };
}

/** Index of the subcommand's name in argv (after node and the script), skipping global options. */
function commandIndex(argv: readonly string[], globals: Known): number {
  for (let i = 2; i < argv.length; i += 1) {
    const token = argv[i]!;
    if (!token.startsWith('-') || token === '-') return i;
    if (token === '--') return -1;
    const name = token.includes('=') ? token.slice(0, token.indexOf('=')) : token;
    if (globals.takesValue.get(name) && !token.includes('=')) i += 1;
  }
  return -1;
}

/** argv with the query words of `igtg search` after a `--`; any other command's argv as it was. */
export function separateSearchWords(program: Command, argv: readonly string[]): string[] {
  const globals = knownOptions([program]);
  const at = commandIndex(argv, globals);
  const search = program.commands.find((command) => command.name() === 'search');
  if (at === -1 || argv[at] !== 'search' || !search) return [...argv];
  const known = knownOptions([program, search]);
  const options: string[] = [];
  const words: string[] = [];
  for (let i = at + 1; i < argv.length; i += 1) {
    const token = argv[i]!;
    if (token === '--') {
      words.push(...argv.slice(i + 1));
      break;
    }
    const name = token.startsWith('--') && token.includes('=') ? token.slice(0, token.indexOf('=')) : token;
    const takesValue = known.takesValue.get(name);
    if (takesValue !== undefined) {
      // Left for commander, a bare `-p` would take the `--` put before the words as its value.
      if (takesValue && name === token && i + 1 === argv.length) {
        throw new UsageError(`option '${token}' needs a value (see igtg search --help)`);
      }
      options.push(token);
      if (takesValue && name === token && i + 1 < argv.length) options.push(argv[(i += 1)]!);
    } else if (/^--[a-z]/iu.test(token)) {
      // A mistyped option must not quietly become a search word; after `--` it may.
      const like = closest(
        name,
        [...known.takesValue.keys()].filter((option) => option.startsWith('--')),
      );
      throw new UsageError(`unknown option '${name}' (${like ? `did you mean ${like}? ` : ''}see igtg search --help)`);
    } else {
      words.push(token);
    }
  }
  return [...argv.slice(0, at + 1), ...options, ...(words.length > 0 ? ['--', ...words] : [])];
}

/** The candidate nearest to `typed` (edit distance, a swap counting once), if it is near enough. */
function closest(typed: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Math.max(1, Math.floor((typed.length - 2) * 0.4));
  for (const candidate of candidates) {
    const distance = editDistance(typed, candidate);
    if (distance <= bestDistance && (best === null || distance < editDistance(typed, best))) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j += 1) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}

import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { separateSearchWords } from '../../src/cli/search-words.js';
import { UsageError } from '../../src/core/errors.js';

const program = buildProgram({
  env: {},
  stdin: new PassThrough() as never,
  stdout: new PassThrough(),
  stderr: new PassThrough(),
});
const argv = (...args: string[]) => ['node', 'igtg', ...args];
const separate = (...args: string[]) => separateSearchWords(program, argv(...args)).slice(2);

describe('separateSearchWords', () => {
  it('refuses an option left without its value rather than giving it the words separator', () => {
    for (const args of [
      ['search', 'pizza', '-p'],
      ['search', 'pizza', '--limit'],
    ]) {
      expect(() => separate(...args)).toThrow(UsageError);
      expect(() => separate(...args)).toThrow(`option '${args.at(-1)}' needs a value (see igtg search --help)`);
    }
    expect(separate('search', 'pizza', '--json')).toEqual(['search', '--json', '--', 'pizza']);
  });

  it('takes -word as an excluded word even when it starts like a global short option', () => {
    expect(separate('search', 'pancakes', '-pie', '-Vanilla', '-quinoa')).toEqual([
      'search',
      '--',
      'pancakes',
      '-pie',
      '-Vanilla',
      '-quinoa',
    ]);
    expect(separate('search', '-pancakes -the')).toEqual(['search', '--', '-pancakes -the']);
  });

  it('keeps options of search and global ones, with their values, in front of the words', () => {
    expect(
      separate(
        '-p',
        'work',
        'search',
        'pizza',
        '--thread',
        'Zoë',
        '-tonight',
        '--limit=3',
        '--json',
        '-p',
        'x',
        'OR',
        'pie',
      ),
    ).toEqual([
      '-p',
      'work',
      'search',
      '--thread',
      'Zoë',
      '--limit=3',
      '--json',
      '-p',
      'x',
      '--',
      'pizza',
      '-tonight',
      'OR',
      'pie',
    ]);
    expect(separate('search', '--help')).toEqual(['search', '--help']);
  });

  it('takes everything after -- as words, and refuses an unknown --option before it', () => {
    expect(separate('search', '--json', '--', 'pizza', '--limt')).toEqual([
      'search',
      '--json',
      '--',
      'pizza',
      '--limt',
    ]);
    expect(() => separate('search', 'pizza', '--limt', '3')).toThrow(
      new UsageError("unknown option '--limt' (did you mean --limit? see igtg search --help)"),
    );
  });

  it('suggests the option meant by a typo, and nothing for a word far from every option', () => {
    const error = (...argv: string[]) => {
      try {
        separate(...argv);
      } catch (caught) {
        return (caught as Error).message;
      }
      return null;
    };
    expect(error('search', 'pizza', '--sinse', '7d')).toContain('did you mean --since?');
    expect(error('search', 'pizza', '--untill', '7d')).toContain('did you mean --until?');
    expect(error('search', 'pizza', '--form', 'Zoë')).toContain('did you mean --from?');
    expect(error('search', 'pizza', '--thred', 'x')).toContain('did you mean --thread?');
    expect(error('search', 'pizza', '--pancakes')).toBe("unknown option '--pancakes' (see igtg search --help)");
  });

  it('leaves other commands alone', () => {
    expect(separate('show', 'Zoë', '-pie')).toEqual(['show', 'Zoë', '-pie']);
    expect(separate('--profile', 'search', 'threads')).toEqual(['--profile', 'search', 'threads']);
    expect(separate('--profile=search', 'threads', '-x')).toEqual(['--profile=search', 'threads', '-x']);
  });
});

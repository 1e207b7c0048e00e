import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Output } from '../../src/cli/output.js';

function sink(): Writable & { text: string } {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      stream.text += chunk.toString();
      done();
    },
  }) as Writable & { text: string };
  stream.text = '';
  return stream;
}

describe('Output colours', () => {
  it('colours stdout and stderr each by their own rule', () => {
    const stdout = sink();
    const stderr = sink();
    // stdout a terminal, stderr redirected to a file: `igtg … 2>err.txt`.
    const out = new Output({
      json: false,
      quiet: false,
      verbose: false,
      color: true,
      stderrColor: false,
      stdout,
      stderr,
    });
    out.line(out.style('bold', 'hit'));
    out.warn('careful');
    out.error('broken');
    expect(stdout.text).toBe('\u001b[1mhit\u001b[22m\n');
    expect(stderr.text).toBe('warning: careful\nerror: broken\n');

    const both = sink();
    new Output({
      json: false,
      quiet: false,
      verbose: false,
      color: false,
      stderrColor: true,
      stdout,
      stderr: both,
    }).warn('x');
    expect(both.text).toBe('\u001b[33mwarning:\u001b[39m x\n');
  });
});

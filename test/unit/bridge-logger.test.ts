// The daemon's log: JSON lines for machines, readable lines on a terminal, secrets redacted in both.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createDaemonLogger } from '../../src/bridge/service/logger.js';

async function logOnce(pretty: boolean): Promise<string> {
  const sink = new PassThrough();
  const chunks: string[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  const logger = await createDaemonLogger({ level: 'info', pretty, color: false, destination: sink });
  logger.info({ thread: 't1', token: '123:SECRET', text: 'private words' }, 'forwarded');
  logger.debug({ thread: 't1' }, 'not at info level');
  logger.flush();
  await new Promise((resolve) => setImmediate(resolve));
  return chunks.join('');
}

describe('bridge logger', () => {
  it('writes one JSON object per line with secrets and message text redacted', async () => {
    const lines = (await logOnce(false)).trim().split('\n');
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(entry).toMatchObject({ level: 30, msg: 'forwarded', thread: 't1', token: '[redacted]', text: '[redacted]' });
  });

  it('writes readable lines for a terminal, still redacted', async () => {
    const output = await logOnce(true);
    expect(output).toMatch(/INFO.*forwarded/);
    expect(() => JSON.parse(output.trim())).toThrow();
    expect(output).toContain('thread: "t1"');
    expect(output).not.toMatch(/SECRET|private words/);
    expect(output).not.toContain('not at info level');
    expect(output).not.toContain('\u001b[');
  });
});

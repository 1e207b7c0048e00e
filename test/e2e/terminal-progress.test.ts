// Progress on a real terminal (a pseudo-terminal from util-linux `script`): import's bars and
// indexing spinner, sync's spinner; each cleared at the end with the cursor shown again.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { metaJson, writeTree } from '../fixtures/archive/build-archive.js';
import { startFakeInstagram } from '../fakes/instagram/server.js';
import { ROOT, loginToFake, tempHome } from '../helpers/cli.js';
import { cursorRestored, runIgtgInTerminal } from '../helpers/terminal.js';

const SAMPLE = join(ROOT, 'examples', 'sample-archive');

let home: string;
let cleanup: () => void;
beforeEach(() => {
  ({ home, cleanup } = tempHome('igtg-tty-'));
});
afterEach(() => cleanup());

/** An archive of one thread big enough for more than one write, so the import ends with an index pass. */
function bigArchive(messages: number): string {
  const root = join(home, 'big-archive');
  const start = Date.UTC(2024, 0, 1);
  return writeTree(root, {
    'your_instagram_activity/messages/inbox/bigthread_1234/message_1.json': metaJson({
      participants: [{ name: 'Zoë Müller' }, { name: 'Alex Kim' }],
      title: 'Zoë Müller',
      messages: Array.from({ length: messages }, (_, i) => ({
        sender_name: i % 2 ? 'Alex Kim' : 'Zoë Müller',
        timestamp_ms: start + (messages - i) * 60_000,
        content: `message number ${i}`,
      })),
    }),
  });
}

describe('progress on a terminal', () => {
  it('draws the importing bar of an import, then clears it for the summary', async () => {
    const result = await runIgtgInTerminal(['import', SAMPLE], { home });
    expect(result.exitCode).toBe(0);
    expect(result.screen).not.toContain('checking');
    expect(result.screen).toMatch(/importing +\[.*\] 5\/5 files \| 24 messages/);
    expect(result.screen).toContain('Imported 4 threads: 24 messages read, 24 new, 4 media files.');
    expect(cursorRestored(result.screen)).toBe(true);
  });

  it('draws a checking bar first when --skip-bad checks every file before writing', async () => {
    const result = await runIgtgInTerminal(['import', '--skip-bad', SAMPLE], { home });
    expect(result.exitCode).toBe(0);
    expect(result.screen).toMatch(/checking +\[.*\] 5\/5 files \| 24 messages/);
    expect(result.screen).toMatch(/importing +\[.*\] 5\/5 files \| 24 messages/);
    expect(cursorRestored(result.screen)).toBe(true);
  });

  it('spins while a big import builds its search index', async () => {
    const result = await runIgtgInTerminal(['import', '--no-media', bigArchive(12_000)], { home });
    expect(result.exitCode).toBe(0);
    expect(result.screen).toContain('indexing 12,000 messages for search');
    expect(result.screen).toContain('12000 new');
    // The spinner line is erased before the summary is written.
    const summaryAt = result.screen.indexOf('Imported 1 thread');
    expect(result.screen.lastIndexOf('indexing', summaryAt)).toBeGreaterThan(-1);
    expect(result.screen.slice(result.screen.lastIndexOf('indexing', summaryAt), summaryAt)).toContain('\u001b[');
    expect(cursorRestored(result.screen)).toBe(true);
  });

  it('keeps its output bounded on a terminal that reports no width', async () => {
    const result = await runIgtgInTerminal(['import', '--no-media', bigArchive(12_000)], { home, columns: 0 });
    expect(result.exitCode).toBe(0);
    expect(result.screen).toContain('12000 new');
    expect(result.screen.length).toBeLessThan(50_000);
  });

  it('spins with the threads and messages of a sync, and ends with the summary', async () => {
    const fake = await startFakeInstagram({ seed: { threads: 6, items: 5, pending: 0 } });
    try {
      const env = { IGTG_INSTAGRAM_API_URL: fake.url, IGTG_SYNC_PAUSE_MS: '0', IGTG_BACKOFF_BASE_MS: '1' };
      expect((await loginToFake(home, env)).exitCode).toBe(0);
      const result = await runIgtgInTerminal(['sync'], { home, env });
      expect(result.exitCode).toBe(0);
      expect(result.screen).toContain('connecting to Instagram');
      const summaryAt = result.screen.indexOf('Synced: 30 new messages in 6 threads');
      expect(summaryAt).toBeGreaterThan(-1);
      // The spinner is gone before the summary, not drawn again under it.
      expect(result.screen.slice(summaryAt)).not.toMatch(/connecting|threads \d+\/\d+ ·/);
      expect(cursorRestored(result.screen)).toBe(true);
    } finally {
      await fake.close();
    }
  });
});

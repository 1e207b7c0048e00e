// The read commands' filters on an imported archive: relative dates counted back from now, and the
// default number of search results.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIgtg, tempHome } from '../helpers/cli.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { ME, metaJson, writeTree } from '../fixtures/archive/build-archive.js';

/** Each test runs the binary several times; shared CI machines can be slow to start processes. */
const SLOW = 120_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TIDES_FOLDER = 'tides_50001';
const PANCAKES_FOLDER = 'pancakes_50002';

const { home, cleanup } = tempHome('igtg-read-filters-');
afterAll(cleanup);
const folder = tempFolder('igtg-read-filters-');

// Hours away from each day boundary, so the time between building the archive and running a
// command never moves a message across a `--since`/`--until`.
const AGES: Record<string, number> = {
  'one day': DAY,
  'nearly three days': 3 * DAY - 2 * HOUR,
  'over three days': 3 * DAY + 2 * HOUR,
  'ten days': 10 * DAY,
  'forty days': 40 * DAY,
};
const PANCAKES = 30;

function thread(title: string, messages: Array<{ content: string; timestamp_ms: number }>) {
  return metaJson({
    participants: [{ name: title }, { name: ME }],
    // Newest first, as Meta writes the file.
    messages: messages
      .sort((a, b) => b.timestamp_ms - a.timestamp_ms)
      .map((message) => ({ sender_name: title, ...message, is_geoblocked_for_viewer: false })),
    title,
  });
}

beforeAll(async () => {
  const now = Date.now();
  const base = 'your_instagram_activity/messages/inbox';
  const root = writeTree(folder.fresh('archive'), {
    [`${base}/${TIDES_FOLDER}/message_1.json`]: thread(
      'Tide Watcher',
      Object.entries(AGES).map(([age, ms]) => ({ content: `tide ${age} ago`, timestamp_ms: now - ms })),
    ),
    [`${base}/${PANCAKES_FOLDER}/message_1.json`]: thread(
      'Pancake Club',
      Array.from({ length: PANCAKES }, (_, i) => ({
        content: `pancake number ${i + 1}`,
        timestamp_ms: 1_700_000_000_000 + i * 60_000,
      })),
    ),
  });
  const imported = await runIgtg(['import', '--json', root], { home });
  expect(imported.stderr).toBe('');
  expect(JSON.parse(String(imported.stdout))).toMatchObject({ messages_added: Object.keys(AGES).length + PANCAKES });
}, SLOW);

async function texts(...args: string[]): Promise<string[]> {
  const result = await runIgtg([...args, '--json'], { home });
  expect(result.stderr, args.join(' ')).toBe('');
  expect(result.exitCode, args.join(' ')).toBe(0);
  return (JSON.parse(String(result.stdout)) as Array<{ text: string }>).map((message) => message.text).sort();
}

describe('relative dates', { timeout: SLOW }, () => {
  it('select what search finds', async () => {
    expect(await texts('search', 'tide', '--since', '7d')).toEqual([
      'tide nearly three days ago',
      'tide one day ago',
      'tide over three days ago',
    ]);
    expect(await texts('search', 'tide', '--until', '25d')).toEqual(['tide forty days ago']);
    expect(await texts('search', 'tide', '--since', '30d', '--until', '7d')).toEqual(['tide ten days ago']);
  });

  it('select what show prints', async () => {
    expect(await texts('show', `archive:${TIDES_FOLDER}`, '--since', '3d')).toEqual([
      'tide nearly three days ago',
      'tide one day ago',
    ]);
    expect(await texts('show', `archive:${TIDES_FOLDER}`, '--before', '5d')).toEqual([
      'tide forty days ago',
      'tide ten days ago',
    ]);
  });
});

describe('search without --limit', { timeout: SLOW }, () => {
  it('returns the best 20 of more matches', async () => {
    expect(await texts('search', 'pancake')).toHaveLength(20);
    expect(await texts('search', 'pancake', '--limit', String(PANCAKES))).toHaveLength(PANCAKES);
  });
});

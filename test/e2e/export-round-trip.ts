// Round-trip checks shared by the export e2e tests: every machine format, parsed back, equals what
// `igtg show --json` prints for the same threads.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { runIgtg } from '../helpers/cli.js';
import { csvToMessages } from '../unit/export-fixtures.js';

type Json = Record<string, unknown>;

async function igtgJson(args: string[], home: string): Promise<unknown> {
  const result = await runIgtg(['--json', ...args], { home });
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  return JSON.parse(result.stdout);
}

/** `igtg show --json` of each thread (every message), keyed by thread id. */
async function shownMessages(home: string, threadIds: string[]): Promise<Map<string, Json[]>> {
  const shown = new Map<string, Json[]>();
  for (const id of threadIds) shown.set(id, (await igtgJson(['show', id, '--limit', '10000000'], home)) as Json[]);
  return shown;
}

function byThread(messages: Json[]): Map<string, Json[]> {
  const grouped = new Map<string, Json[]>();
  for (const message of messages) {
    const id = message.thread_id as string;
    grouped.set(id, [...(grouped.get(id) ?? []), message]);
  }
  return grouped;
}

const withoutTitle = ({ thread_title: _title, ...message }: Json) => message;

/** Exports json, jsonl and csv from the profile of `home` and compares each with `igtg show --json`. */
export async function expectRoundTrip(home: string, dir: string): Promise<{ threads: number; messages: number }> {
  const out = (format: string) => join(dir, `round-trip.${format}`);
  for (const format of ['json', 'jsonl', 'csv']) {
    const summary = (await igtgJson(['export', '--format', format, '--out', out(format)], home)) as Json;
    expect(summary).toMatchObject({ format, out: out(format), files: 1, nothing_new: false });
  }
  const doc = JSON.parse(readFileSync(out('json'), 'utf8')) as { threads: Array<Json & { messages: Json[] }> };
  const threadIds = doc.threads.map((thread) => thread.thread_id as string);
  const shown = await shownMessages(home, threadIds);
  const titles = new Map(doc.threads.map((thread) => [thread.thread_id as string, thread.title]));

  expect(new Map(doc.threads.map((thread) => [thread.thread_id, thread.messages]))).toEqual(shown);

  const jsonl = readFileSync(out('jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Json);
  for (const message of jsonl) expect(message.thread_title).toBe(titles.get(message.thread_id as string));
  expect(byThread(jsonl.map(withoutTitle))).toEqual(shown);

  const csv = csvToMessages(readFileSync(out('csv'), 'utf8'));
  for (const message of csv) expect(message.thread_title).toBe(titles.get(message.thread_id as string));
  expect(byThread(csv.map(withoutTitle))).toEqual(shown);

  const messages = [...shown.values()].reduce((sum, list) => sum + list.length, 0);
  return { threads: threadIds.length, messages };
}

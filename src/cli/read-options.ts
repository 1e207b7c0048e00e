// Option values shared by the read commands (search, threads, show), checked before any store work.
import { IgtgError, UsageError } from '../core/errors.js';
import type { EpochMs, Thread } from '../core/model.js';
import { parseDateInput } from '../core/time.js';
import { normalizeForSearch } from '../store/search-query.js';
import type { Store } from '../store/store.js';
import { terminalLine } from './format/terminal-text.js';

const LISTED_CANDIDATES = 5;

export function parseLimit(
  value: string | undefined,
  fallback: number | undefined,
  option = '--limit',
): number | undefined {
  if (value === undefined) return fallback;
  const trimmed = value.trim();
  if (!/^\d+$/u.test(trimmed) || Number(trimmed) < 1 || !Number.isSafeInteger(Number(trimmed))) {
    throw new UsageError(`${option}: "${value}" is not a positive whole number`);
  }
  return Number(trimmed);
}

export function parseDate(value: string | undefined, option: string): EpochMs | undefined {
  return value === undefined ? undefined : parseDateInput(value, option);
}

function describe(thread: Thread): string {
  return terminalLine(`"${thread.title}" (${thread.id})`);
}

/** THREAD of `igtg show`: an id, or a title match that must be unique (an exact title wins). */
export async function resolveOneThread(store: Store, input: string): Promise<Thread> {
  const wanted = input.trim();
  if (!wanted)
    throw new UsageError('THREAD must not be empty (give a thread id or part of its title; see igtg threads)');
  const matches = await store.findThreads(wanted);
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) throw new IgtgError(`no thread matches "${wanted}" (see igtg threads)`);
  const exact = matches.filter((thread) => normalizeForSearch(thread.title) === normalizeForSearch(wanted));
  if (exact.length === 1) return exact[0]!;
  const listed = matches.slice(0, LISTED_CANDIDATES).map(describe).join(', ');
  const more = matches.length > LISTED_CANDIDATES ? ` and ${matches.length - LISTED_CANDIDATES} more` : '';
  throw new UsageError(`"${wanted}" matches ${matches.length} threads: ${listed}${more}; give the thread id`);
}

/** `--thread` of `igtg search`: every thread each value matches (id or title). */
export async function resolveThreadFilter(store: Store, inputs: string[]): Promise<string[] | undefined> {
  if (inputs.length === 0) return undefined;
  const ids = new Set<string>();
  for (const input of inputs) {
    const wanted = input.trim();
    const matches = wanted ? await store.findThreads(wanted) : [];
    if (matches.length === 0) throw new IgtgError(`--thread: no thread matches "${input}" (see igtg threads)`);
    for (const thread of matches) ids.add(thread.id);
  }
  return [...ids];
}

// `igtg import` after `igtg sync`: an archive thread holding a conversation already stored from the
// API goes into that API thread instead of a thread of its own, and its messages that an API
// message already holds (same sender name, same millisecond, same text) are not stored again.
// Threads match by their participants' display names, the owner left out, as the sync does the
// other way round (src/sync/archive-merge.ts). Only unambiguous matches count: one API thread per
// archive thread and one archive thread per API thread (a same title settles a tie); an archive
// thread noted on an API thread (`archiveFolder`) goes back into it, which keeps re-imports stable.
import { MessageKeys, participantKey, participantNames, pickByTitle } from '../core/conversation-match.js';
import type { Thread, ThreadSummary } from '../core/model.js';
import type { Store } from '../store/store.js';

/** Store meta key where `igtg sync` keeps the owner's display name (SyncMeta.ownerName). */
export const SYNC_OWNER_META = 'sync.owner_name';

export type MatchStore = Pick<Store, 'listThreads' | 'streamMessages' | 'getMeta'>;

interface Claim {
  archive: Thread;
  /** The API thread already notes this archive thread's folder. */
  noted: boolean;
}

function addTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The one claim an API thread accepts: the noted one, else a single claim, else the one with its title. */
function winner(target: Thread, claims: Claim[]): Thread | null {
  const noted = claims.filter((claim) => claim.noted);
  if (noted.length === 1) return noted[0]!.archive;
  return pickByTitle(
    claims.map((claim) => claim.archive),
    target.title,
  );
}

/**
 * For the archive threads of this import (ids `archive:<folder>`, participants by display name),
 * the API threads they join: archive thread id → the API thread record to write (its stored
 * fields, with `archiveFolder` set when it had none). An archive thread already stored as a thread
 * of its own keeps being imported into it.
 */
export async function matchApiThreads(
  store: MatchStore,
  archiveThreads: readonly Thread[],
  archiveOwner: string | null,
  /** The store's threads when the caller has listed them already. */
  storedThreads?: readonly ThreadSummary[],
): Promise<Map<string, Thread>> {
  const matches = new Map<string, Thread>();
  if (archiveThreads.length === 0) return matches;
  const stored = storedThreads ?? (await store.listThreads());
  const storedIds = new Set(stored.map((thread) => thread.id));
  const owners = [archiveOwner, await store.getMeta(SYNC_OWNER_META)];

  const byKey = new Map<string, Thread[]>();
  const byFolder = new Map<string, Thread[]>();
  for (const summary of stored) {
    if (summary.source !== 'api') continue;
    const { messageCount: _count, lastMessageAt: _last, ...thread } = summary;
    if (thread.archiveFolder) addTo(byFolder, thread.archiveFolder, thread);
    const key = participantKey(participantNames(thread.participants), owners);
    if (key) addTo(byKey, key, thread);
  }
  if (byKey.size === 0 && byFolder.size === 0) return matches;

  const claims = new Map<string, { target: Thread; claims: Claim[] }>();
  for (const archive of archiveThreads) {
    if (storedIds.has(archive.id)) continue;
    const noted = archive.archiveFolder ? (byFolder.get(archive.archiveFolder) ?? []) : [];
    let target = noted.length === 1 ? noted[0]! : null;
    if (!target) {
      const key = participantKey(participantNames(archive.participants), owners);
      if (key) target = pickByTitle(byKey.get(key) ?? [], archive.title);
    }
    if (!target) continue;
    const entry = claims.get(target.id) ?? { target, claims: [] };
    entry.claims.push({ archive, noted: noted.length === 1 });
    claims.set(target.id, entry);
  }

  for (const { target, claims: list } of claims.values()) {
    const archive = winner(target, list);
    if (archive) matches.set(archive.id, { ...target, archiveFolder: target.archiveFolder ?? archive.archiveFolder });
  }
  return matches;
}

/** The API messages of a thread by sender, millisecond and text, to skip their archive copies. */
export async function apiMessageKeys(store: Pick<Store, 'streamMessages'>, threadId: string): Promise<MessageKeys> {
  const keys = new MessageKeys();
  for await (const message of store.streamMessages({ threadIds: [threadId] })) {
    if (message.source === 'api') keys.add(message);
  }
  return keys;
}

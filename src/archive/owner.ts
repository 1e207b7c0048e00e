// Who the archive belongs to (their messages are `fromMe`). The archive never says so directly;
// the heuristic, in order:
//   1. the participant present in every thread (deleted accounts, "Instagram User", never count);
//   2. if several are, drop anyone who is the title of a two-person thread (a 1:1 thread is titled
//      with the *other* person's name);
//   3. if still several, the one who wrote "You created the group." style lines;
//   4. the name stored by an earlier import, if it is still a candidate;
//   5. the archive's file name `instagram-<username>-<date>…` when threads list usernames (legacy);
//   6. otherwise, when nobody is in every thread (the owner left some groups), whoever is in the
//      most threads if that is unique and at least half of them. Else unknown: nothing is fromMe.

export interface OwnerEvidence {
  threads: Array<{ participants: string[]; title: string | null }>;
  /** Senders of "You …" system lines, with counts. */
  ownLineSenders: Map<string, number>;
  /** Owner found by an earlier import (store meta). */
  previous: string | null;
  /** Username from the archive's file name, if it has the usual form. */
  archiveUsername: string | null;
}

const DELETED = /^instagram user$/i;

export function usernameFromArchiveName(name: string): string | null {
  const match = /^instagram-(.+?)-\d{4}-?\d{2}-?\d{2}/.exec(name);
  return match ? match[1]! : null;
}

function unique<T>(items: T[]): T | null {
  return items.length === 1 ? items[0]! : null;
}

export function guessOwner(evidence: OwnerEvidence): string | null {
  const { threads } = evidence;
  if (threads.length === 0) return null;
  const presence = new Map<string, number>();
  for (const thread of threads) {
    for (const name of new Set(thread.participants)) {
      if (DELETED.test(name)) continue;
      presence.set(name, (presence.get(name) ?? 0) + 1);
    }
  }
  let candidates = [...presence].filter(([, count]) => count === threads.length).map(([name]) => name);
  if (candidates.length === 0) {
    const ranked = [...presence].sort((a, b) => b[1] - a[1]);
    const [first, second] = ranked;
    if (first && first[1] * 2 >= threads.length && (!second || second[1] < first[1])) return first[0];
    return null;
  }
  if (candidates.length === 1) return candidates[0]!;
  const otherSides = new Set(
    threads.filter((thread) => thread.participants.length === 2 && thread.title).map((thread) => thread.title!),
  );
  const notTitles = candidates.filter((name) => !otherSides.has(name));
  if (notTitles.length > 0) candidates = notTitles;
  if (candidates.length === 1) return candidates[0]!;
  const writers = candidates.filter((name) => (evidence.ownLineSenders.get(name) ?? 0) > 0);
  if (writers.length > 0) {
    const best = Math.max(...writers.map((name) => evidence.ownLineSenders.get(name)!));
    const top = unique(writers.filter((name) => evidence.ownLineSenders.get(name) === best));
    if (top) return top;
  }
  if (evidence.previous && candidates.includes(evidence.previous)) return evidence.previous;
  if (evidence.archiveUsername && candidates.includes(evidence.archiveUsername)) return evidence.archiveUsername;
  return null;
}

// Recognising the same conversation from Meta's archive and from the API: threads by their
// participants' display names (the owner left out), messages by sender name, millisecond and text.
// Used both ways: sync after import (src/sync/archive-merge.ts) and import after sync
// (src/archive/match-api-threads.ts). No I/O here.
import type { Message, Participant } from './model.js';

export function normalizeName(name: string | null | undefined): string {
  return (name ?? '').normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('en');
}

/**
 * The participants' names, normalized, sorted and joined, leaving out `ownerNames`; null when no one
 * is left (a thread with oneself, or no participants at all).
 */
export function participantKey(
  names: Iterable<string>,
  ownerNames: Iterable<string | null | undefined>,
): string | null {
  const owners = new Set([...ownerNames].map(normalizeName).filter(Boolean));
  const set = new Set([...names].map(normalizeName).filter((name) => name && !owners.has(name)));
  return set.size === 0 ? null : [...set].sort().join('\u0001');
}

export function participantNames(participants: readonly Participant[]): string[] {
  return participants.map((participant) => participant.name);
}

/** Of several candidates, the one whose title equals `title` (normalized), when exactly one does. */
export function pickByTitle<T extends { title: string | null }>(
  candidates: readonly T[],
  title: string | null,
): T | null {
  if (candidates.length === 1) return candidates[0]!;
  const same = candidates.filter((candidate) => normalizeName(candidate.title) === normalizeName(title));
  return same.length === 1 ? same[0]! : null;
}

export type MessageKeyFields = Pick<Message, 'senderName' | 'sentAt' | 'text'>;

/** Messages by sender and millisecond, to recognise the same message from the other source. */
export class MessageKeys {
  private readonly texts = new Map<string, Array<string | null>>();

  get size(): number {
    return this.texts.size;
  }

  add(message: MessageKeyFields): void {
    const key = `${normalizeName(message.senderName)}|${message.sentAt}`;
    this.texts.set(key, [...(this.texts.get(key) ?? []), message.text]);
  }

  /** Same sender, same millisecond, and the same text (or no text on either side, e.g. a photo). */
  matches(message: MessageKeyFields): boolean {
    const texts = this.texts.get(`${normalizeName(message.senderName)}|${message.sentAt}`);
    if (!texts) return false;
    const text = message.text?.trim() || null;
    return texts.some((other) => {
      const otherText = other?.trim() || null;
      return text === null || otherText === null || text === otherText;
    });
  }
}

// Whose archive it is, guessed before any file is parsed, for an import done in one pass
// (import-one-pass.ts): the same heuristic as owner.ts over the participants Meta lists at the head
// of each thread's first file. Titles and "You …" lines, at the end and all through the files, are
// not looked at; the guess is checked against all of the evidence once everything is read.
import { decodeMetaText } from './decode-meta-text.js';
import type { ThreadPlan } from './layouts.js';
import { guessOwner } from './owner.js';
import type { ArchiveSource } from './source.js';

/** Bytes read of each first file: real participant lists take a few hundred. */
export const HEAD_BYTES = 16 * 1024;

const OPENING = /^\s*\{\s*"participants"\s*:\s*\[/;

/**
 * The participants' names (repaired) when the text starts like Meta's JSON, `{"participants": [...]`,
 * and the list ends within it; null otherwise.
 */
export function headParticipants(head: string): string[] | null {
  const bom = head.charCodeAt(0) === 0xfeff ? 1 : 0;
  const opening = OPENING.exec(head.slice(bom));
  if (!opening) return null;
  const start = bom + opening[0].length - 1;
  const end = closingBracket(head, start);
  if (end < 0) return null;
  let list: unknown;
  try {
    list = JSON.parse(head.slice(start, end + 1));
  } catch {
    return null;
  }
  if (!Array.isArray(list)) return null;
  const names: string[] = [];
  for (const item of list) {
    const name = (item as { name?: unknown } | null)?.name;
    if (typeof name !== 'string') return null;
    names.push(decodeMetaText(name));
  }
  return names;
}

/** Index of the `]` that closes the `[` at `start`, skipping strings; -1 when the text ends first. */
function closingBracket(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i += 1; // a backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) depth += 1;
    else if (c === 0x5d || c === 0x7d) {
      depth -= 1;
      if (depth === 0) return c === 0x5d ? i : -1;
    }
  }
  return -1;
}

/**
 * The owner as far as the heads tell, or null when they cannot: a thread whose first file is not
 * JSON or does not start with its participants, or no single candidate.
 */
export async function guessOwnerFromHeads(
  source: ArchiveSource,
  threads: readonly ThreadPlan[],
  evidence: { previous: string | null; archiveUsername: string | null },
): Promise<string | null> {
  const seen: Array<{ participants: string[]; title: null }> = [];
  for (const thread of threads) {
    const first = thread.files[0];
    if (first?.format !== 'json') return null;
    let head: Buffer;
    try {
      head = await source.readHead(first.path, HEAD_BYTES);
    } catch {
      return null; // the import itself will say what is wrong with the file
    }
    const participants = headParticipants(head.toString('utf8'));
    if (!participants) return null;
    seen.push({ participants, title: null });
  }
  return guessOwner({ threads: seen, ownLineSenders: new Map(), ...evidence });
}

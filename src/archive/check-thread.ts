// The checking pass of an import, for one thread: every page is parsed and validated (message
// strings are left as Meta wrote them; names and titles are repaired) and folded into the thread's
// facts, the names seen and who wrote "You …" system lines. Runs on the importer's thread or on a
// checker thread (check-worker.ts) with the same result.
import { isOwnSystemLine } from './classify.js';
import { decodeMetaText } from './decode-meta-text.js';
import { parseJsonThreadFile } from './json-thread.js';
import type { ThreadFileRef } from './layouts.js';
import type { ArchiveLimits } from './limits.js';
import type { ArchiveSource } from './source.js';
import { maxBytesFor, readArchiveText, type ParsedThreadFile } from './thread-file.js';
import type { ThreadFacts } from './to-model.js';

export interface CheckedThread {
  facts: ThreadFacts;
  /** Names seen, in order of appearance → whether they are usernames (legacy archives). */
  names: Map<string, boolean>;
  /** Senders of "You …" system lines → how many. */
  ownLines: Map<string, number>;
}

export function newFacts(folder: string, isRequest: boolean, namesAreUsernames: boolean): ThreadFacts {
  return { folder, title: null, participants: [], isGroup: false, isRequest, lastActivityAt: null, namesAreUsernames };
}

export function startCheck(folder: string, isRequest: boolean): CheckedThread {
  return { facts: newFacts(folder, isRequest, false), names: new Map(), ownLines: new Map() };
}

/**
 * A page's text, parsed. The checking pass (`writing` false) repairs only names and titles; the
 * writing pass repairs everything. Both validate: it is cheap next to parsing, and a file changed
 * between the passes is refused rather than half-trusted.
 */
export async function parsePage(
  text: string,
  file: ThreadFileRef,
  limits: ArchiveLimits,
  timeZone: string,
  writing: boolean,
): Promise<ParsedThreadFile> {
  if (file.format === 'html') {
    // The HTML parser is loaded only for archives exported as HTML.
    const { parseHtmlThreadFile } = await import('./html-thread.js');
    return parseHtmlThreadFile(text, file.path, timeZone);
  }
  return parseJsonThreadFile(text, file.path, limits.maxJsonDepth, writing);
}

/** Reads and parses a page for writing: every string repaired. */
export async function readPage(
  source: ArchiveSource,
  file: ThreadFileRef,
  limits: ArchiveLimits,
  timeZone: string,
): Promise<ParsedThreadFile> {
  const text = await readArchiveText(source, file.path, maxBytesFor(file.format, limits));
  return parsePage(text, file, limits, timeZone, true);
}

/** Folds a page into the thread's facts; pages come oldest first, so the newest title wins. */
export function absorb(
  facts: ThreadFacts,
  page: ParsedThreadFile,
  names: Map<string, boolean>,
  ownLines: Map<string, number>,
): void {
  if (page.title) facts.title = page.title;
  for (const name of page.participants) {
    if (!facts.participants.includes(name)) facts.participants.push(name);
    names.set(name, facts.namesAreUsernames);
  }
  facts.isGroup ||= page.isGroupHint || facts.participants.length > 2;
  let lastSender = '';
  let sender = '';
  for (const message of page.messages) {
    if (facts.lastActivityAt === null || message.timestamp_ms > facts.lastActivityAt) {
      facts.lastActivityAt = message.timestamp_ms;
    }
    if (message.sender_name !== lastSender) {
      lastSender = message.sender_name;
      sender = page.repaired ? lastSender : decodeMetaText(lastSender);
      if (!names.has(sender)) names.set(sender, facts.namesAreUsernames);
    }
    // Judged on the repaired text, as its length counts: Meta's \u00XX escapes make a raw line longer.
    const content =
      page.repaired || !message.content?.startsWith('You ') ? message.content : decodeMetaText(message.content);
    if (isOwnSystemLine(content)) ownLines.set(sender, (ownLines.get(sender) ?? 0) + 1);
  }
}

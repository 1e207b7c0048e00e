// The careful way of an import (import-archive.ts says when it is used). Pass 1 reads and validates
// every message file, nothing is written; a bad file stops the import before anything is
// committed — or, with skipBad, drops its thread and is reported. Pass 2 reads the files again,
// maps them, copies media, and writes in batches of `batchSize` messages (one store transaction
// each); memory stays bounded whatever the archive size.
// A store with bulk transactions (SQLite) takes pass 2 in one. Elsewhere (MongoDB), a *store*
// failure in pass 2 (disk full, connection lost) leaves the earlier batches committed; the error
// says so, and running the import again completes it (it only adds what is missing). Archives up
// to `batchSize` messages are written in a single transaction.
// A conversation already stored from the API (`igtg sync` before the import) gets the archive's
// messages in its own thread, without the ones an API message already holds (match-api-threads.ts).
import type { MessageKeys } from '../core/conversation-match.js';
import type { Thread } from '../core/model.js';
import { ArchiveFileError } from './archive-error.js';
import { BatchWriter } from './batch-writer.js';
import { ImportEnding } from './import-ending.js';
import { absorb, newFacts, readPage } from './check-thread.js';
import { checkThreads } from './check-threads.js';
import type { ImportRun, ImportStore, ImportSummary, SkippedFile } from './import-options.js';
import { ARCHIVE_OWNER_META } from './import-options.js';
import type { ThreadPlan } from './layouts.js';
import { parseLegacyFile } from './legacy-thread.js';
import { apiMessageKeys, matchApiThreads, type MatchStore } from './match-api-threads.js';
import { MessageIdSequence } from './message-id.js';
import { guessOwner } from './owner.js';
import { readArchiveText } from './thread-file.js';
import { archiveThreadId, toThread, toUser, type MapContext, type ThreadFacts } from './to-model.js';

interface PagesUnit {
  kind: 'pages';
  plan: ThreadPlan;
  facts: ThreadFacts;
}

interface LegacyUnit {
  kind: 'legacy';
  file: string;
  facts: ThreadFacts[];
}

type Unit = PagesUnit | LegacyUnit;

function canMatch(store: ImportStore): store is ImportStore & MatchStore {
  return typeof store.listThreads === 'function' && typeof store.streamMessages === 'function';
}

export async function importInTwoPasses(run: ImportRun): Promise<ImportSummary> {
  const { options, source, plan, limits, batchSize, progress, storedThreads } = run;
  const skipped: SkippedFile[] = [...run.skipped];
  // ---- pass 1: read and check everything, write nothing
  const totalFiles = plan.threads.reduce((sum, thread) => sum + thread.files.length, 0) + plan.legacyFiles.length;
  progress({ type: 'phase', phase: 'checking', files: totalFiles });
  const units: Unit[] = [];
  const names = new Map<string, boolean>();
  const ownLines = new Map<string, number>();
  const reject = (error: unknown) => {
    if (!(error instanceof ArchiveFileError) || !options.skipBad) throw error;
    skipped.push({ file: error.file, reason: error.reason });
  };
  const outcomes = await checkThreads(plan.threads, {
    source,
    limits,
    timeZone: options.timeZone,
    skipBad: options.skipBad === true,
    onPage: (messages) => progress({ type: 'file', messages }),
    checkerAfterBytes: options.checkerAfterBytes,
  });
  for (const [index, outcome] of outcomes.entries()) {
    if (!outcome.checked) {
      reject(outcome.error);
      continue;
    }
    for (const [name, isUsername] of outcome.checked.names) if (!names.has(name)) names.set(name, isUsername);
    for (const [name, count] of outcome.checked.ownLines) ownLines.set(name, (ownLines.get(name) ?? 0) + count);
    units.push({ kind: 'pages', plan: plan.threads[index]!, facts: outcome.checked.facts });
  }
  for (const file of plan.legacyFiles) {
    try {
      const text = await readArchiveText(source, file, limits.maxJsonBytes);
      const threads = parseLegacyFile(text, file, limits.maxJsonDepth);
      const facts = threads.map((thread) => {
        const one = newFacts(thread.folder, false, true);
        absorb(one, thread, names, ownLines);
        return one;
      });
      units.push({ kind: 'legacy', file, facts });
      progress({ type: 'file', messages: threads.reduce((sum, thread) => sum + thread.messages.length, 0) });
    } catch (error) {
      reject(error);
      progress({ type: 'file', messages: 0 });
    }
  }

  const allFacts = units.flatMap((unit) => (unit.kind === 'pages' ? [unit.facts] : unit.facts));
  const owner = guessOwner({
    threads: allFacts.map((facts) => ({ participants: facts.participants, title: facts.title })),
    ownLineSenders: ownLines,
    previous: run.previousOwner,
    archiveUsername: run.archiveUsername,
  });

  // ---- pass 2: map, copy media, write in batches
  const users = [...names].map(([name, isUsername]) => toUser(name, isUsername));
  const archiveThreads = allFacts.map((facts) => toThread(facts, owner));
  // Legacy archives name people by username, which the API's display names cannot match.
  const joined = canMatch(options.store)
    ? await matchApiThreads(
        options.store,
        archiveThreads.filter((_, i) => !allFacts[i]!.namesAreUsernames),
        owner,
        storedThreads,
      )
    : new Map<string, Thread>();
  const threads = archiveThreads.map((thread) => joined.get(thread.id) ?? thread);
  // Threads an earlier import or sync stored: their messages may have media files kept already.
  const storedBefore = new Set(storedThreads.map((thread) => thread.id));
  /** Where a thread's messages go, and the API messages already there. */
  const targetOf = async (folder: string): Promise<{ threadId: string; held: MessageKeys | null }> => {
    const api = joined.get(archiveThreadId(folder));
    if (!api || !canMatch(options.store)) return { threadId: archiveThreadId(folder), held: null };
    return { threadId: api.id, held: await apiMessageKeys(options.store, api.id) };
  };
  const media = run.media;
  let messagesRead = 0;
  const filesToWrite = units.reduce((sum, unit) => sum + (unit.kind === 'pages' ? unit.plan.files.length : 1), 0);
  // A store that can (SQLite) takes pass 2 in one transaction: stopped part-way, it keeps nothing.
  const bulk = options.store.beginBulk ? await options.store.beginBulk() : null;
  const writer = new BatchWriter(options.store, batchSize, { users, threads }, bulk !== null);
  const ending = new ImportEnding(writer, bulk, media, progress);
  try {
    progress({ type: 'phase', phase: 'importing', files: filesToWrite });
    for (const unit of units) {
      if (unit.kind === 'pages') {
        const { threadId, held } = await targetOf(unit.facts.folder);
        const context: MapContext = {
          threadId,
          owner,
          ids: new MessageIdSequence(unit.facts.folder),
          media: () => null,
        };
        for (const file of unit.plan.files) {
          const page = await readPage(source, file, limits, options.timeZone);
          context.media = await media.copy(page, file);
          await writer.add(page, context, held, storedBefore.has(threadId));
          messagesRead += page.messages.length;
          progress({ type: 'file', messages: page.messages.length });
        }
      } else {
        const text = await readArchiveText(source, unit.file, limits.maxJsonBytes);
        let count = 0;
        for (const thread of parseLegacyFile(text, unit.file, limits.maxJsonDepth)) {
          const { threadId, held } = await targetOf(thread.folder);
          const context = {
            threadId,
            owner,
            ids: new MessageIdSequence(thread.folder),
            media: () => null,
          };
          await writer.add(thread, context, held, storedBefore.has(threadId));
          count += thread.messages.length;
        }
        messagesRead += count;
        progress({ type: 'file', messages: count });
      }
    }
    const meta: Record<string, string> = { ...options.finalMeta?.() };
    if (owner) meta[ARCHIVE_OWNER_META] = owner;
    await ending.finish(meta);
  } catch (error) {
    await ending.abandon();
    throw error;
  }

  return {
    threads: allFacts.length,
    messagesRead,
    messagesAdded: writer.added,
    mediaFiles: media.count,
    skippedFiles: skipped,
    owner,
    threadsJoined: joined.size,
    duplicatesSkipped: writer.skipped,
  };
}

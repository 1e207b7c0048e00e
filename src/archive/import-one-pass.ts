// The fast way of an import (import-archive.ts says when it is used): each file is read and parsed
// once — validated, repaired, mapped and written — and every write joins one store transaction, so
// a bad file found late still leaves nothing behind, and neither does a store failure.
// Whose messages are `fromMe` must be known before the first one is written: it is guessed from the
// heads of the files (owner-guess.ts) and checked against all the evidence at the end. When the
// two differ (rare), the transaction is rolled back and the caller imports the careful way.
// A thread's row is written before its messages with what its first page says, and again with
// everything at the end, in the same transaction.
import { BatchWriter } from './batch-writer.js';
import { ImportEnding } from './import-ending.js';
import { absorb, newFacts, readPage } from './check-thread.js';
import { ARCHIVE_OWNER_META, type ImportRun, type ImportSummary } from './import-options.js';
import { MessageIdSequence } from './message-id.js';
import { guessOwner } from './owner.js';
import { archiveThreadId, toThread, toUser, type MapContext, type ThreadFacts } from './to-model.js';

/** The summary, or null when the owner guess was wrong and nothing was committed. */
export async function importInOnePass(run: ImportRun, guess: string): Promise<ImportSummary | null> {
  const { options, source, plan, limits, batchSize, progress } = run;
  const store = options.store;
  const bulk = await store.beginBulk!();
  const media = run.media;
  const writer = new BatchWriter(store, batchSize, null, true);
  // Threads an earlier import stored: their messages may have media files kept already.
  const storedBefore = new Set(run.storedThreads.map((thread) => thread.id));
  const names = new Map<string, boolean>();
  const ownLines = new Map<string, number>();
  const allFacts: ThreadFacts[] = [];
  let messagesRead = 0;
  const ending = new ImportEnding(writer, bulk, media, progress);
  let done = false;
  try {
    progress({ type: 'phase', phase: 'importing', files: plan.threads.reduce((sum, t) => sum + t.files.length, 0) });
    for (const thread of plan.threads) {
      const facts = newFacts(thread.folder, thread.isRequest, false);
      const threadId = archiveThreadId(thread.folder);
      const context: MapContext = {
        threadId,
        owner: guess,
        ids: new MessageIdSequence(thread.folder),
        media: () => null,
      };
      for (const [index, file] of thread.files.entries()) {
        const page = await readPage(source, file, limits, options.timeZone);
        absorb(facts, page, names, ownLines);
        if (index === 0) writer.include({ threads: [toThread(facts, guess)] });
        context.media = await media.copy(page, file);
        await writer.add(page, context, null, storedBefore.has(threadId));
        messagesRead += page.messages.length;
        progress({ type: 'file', messages: page.messages.length });
      }
      allFacts.push(facts);
    }

    const owner = guessOwner({
      threads: allFacts.map((facts) => ({ participants: facts.participants, title: facts.title })),
      ownLineSenders: ownLines,
      previous: run.previousOwner,
      archiveUsername: run.archiveUsername,
    });
    if (owner !== guess) {
      // The media copied stay for the careful way, which shares the copier (and its clean-up).
      await ending.rollBack();
      done = true;
      return null;
    }

    writer.include({
      users: [...names].map(([name, isUsername]) => toUser(name, isUsername)),
      threads: allFacts.map((facts) => toThread(facts, owner)),
    });
    await ending.finish({ ...options.finalMeta?.(), [ARCHIVE_OWNER_META]: owner });
    done = true;
  } finally {
    if (!done) await ending.abandon();
  }

  return {
    threads: allFacts.length,
    messagesRead,
    messagesAdded: writer.added,
    mediaFiles: media.count,
    skippedFiles: [],
    owner: guess,
    threadsJoined: 0,
    duplicatesSkipped: 0,
  };
}

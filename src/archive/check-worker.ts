// The checker thread's side (check-pool.ts): checks the threads it is sent, each with the bytes of
// its pages, and answers with what the checking pass learns of them or the bad file.
import { parentPort } from 'node:worker_threads';
import { ArchiveFileError } from './archive-error.js';
import type { CheckReply, CheckRequest } from './check-protocol.js';
import { absorb, parsePage, startCheck } from './check-thread.js';
import { decodeArchiveText } from './thread-file.js';

const port = parentPort!;

async function check(request: CheckRequest): Promise<CheckReply> {
  const checked = startCheck(request.folder, request.isRequest);
  const counts: number[] = [];
  try {
    for (const { file, bytes } of request.pages) {
      const text = decodeArchiveText(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), file.path);
      const page = await parsePage(text, file, request.limits, request.timeZone, false);
      absorb(checked.facts, page, checked.names, checked.ownLines);
      counts.push(page.messages.length);
    }
  } catch (error) {
    if (error instanceof ArchiveFileError) {
      return { type: 'bad', id: request.id, file: error.file, reason: error.reason, counts };
    }
    const { name, message } = error instanceof Error ? error : new Error(String(error));
    return { type: 'crashed', id: request.id, name, message };
  }
  // The pages after an unreadable one were not sent: it is the thread's first bad file.
  if (request.unreadable) return { type: 'bad', id: request.id, ...request.unreadable, counts };
  return {
    type: 'checked',
    id: request.id,
    facts: checked.facts,
    names: [...checked.names],
    ownLines: [...checked.ownLines],
    counts,
  };
}

port.on('message', (request: CheckRequest) => {
  void check(request).then((reply) => port.postMessage(reply));
});

// The writer thread's side (writer-thread.ts): its own connection to the store file, writing each
// batch it is sent, in order, and answering with the result or the error.
import { parentPort, workerData } from 'node:worker_threads';
import { bulkStep } from './bulk.js';
import { Connection } from './connection.js';
import { guarded } from './errors.js';
import { openDatabase } from './open-database.js';
import { RowReader, packStrings } from './row-codec.js';
import { describeThreadError, type WriterData, type WriterRequest, type WriterReply } from './writer-protocol.js';
import { rowsOf, writeRows } from './write-batch.js';

const { file, busyTimeoutMs, directLoad } = workerData as WriterData;
const port = parentPort!;
const reply = (message: WriterReply) => port.postMessage(message);

let conn: Connection | null = null;
try {
  conn = new Connection(openDatabase(file, { busyTimeoutMs, joinDirectLoad: directLoad }), file, busyTimeoutMs);
} catch (error) {
  reply({ type: 'fatal', error: describeThreadError(error) });
}

port.on('message', (request: WriterRequest) => {
  if (request.type === 'close') {
    conn?.db.close();
    port.close();
    return;
  }
  if (!conn) return;
  const open = conn;
  if (request.type === 'bulk') {
    try {
      guarded(file, () => bulkStep(open, request.step));
      reply({ type: 'done', id: request.id, messagesAdded: 0, addedMessageIds: packStrings([]) });
    } catch (error) {
      reply({ type: 'failed', id: request.id, error: describeThreadError(error) });
    }
    return;
  }
  try {
    // Every message's thread key is read from the threads table in the write's own transaction
    // (write-batch.ts), so the foreign key check, one more lookup per message, cannot fail.
    // Merging threads deletes threads and keeps its checks. (Inside a bulk transaction the pragma
    // does nothing: bulk.ts turned the checks off for the whole of it.)
    open.db.pragma(`foreign_keys = ${request.batch.threadMerges?.length ? 'ON' : 'OFF'}`);
    const rows = request.rows ? new RowReader(request.rows) : rowsOf([]);
    const result = guarded(file, () => writeRows(open, request.batch, rows));
    const ids = packStrings(result.addedMessageIds);
    port.postMessage(
      { type: 'done', id: request.id, messagesAdded: result.messagesAdded, addedMessageIds: ids } satisfies WriterReply,
      [ids.lengths.buffer as ArrayBuffer],
    );
  } catch (error) {
    reply({ type: 'failed', id: request.id, error: describeThreadError(error) });
  }
});

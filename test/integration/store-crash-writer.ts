// Child process of store-crash.test.ts: writes big batches until killed. Each committed batch is
// reported on stdout. With `hang`, the batch after the committed ones stops inside its transaction
// (a getter that never returns) after announcing "inside", so the parent's SIGKILL lands mid-write.
import { writeSync } from 'node:fs';
import type { Message } from '../../src/core/model.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { message, thread } from '../store/fixtures.js';

const [file, batchSizeText, committedBeforeHangText] = process.argv.slice(2);
const batchSize = Number(batchSizeText);
const hangAfter = committedBeforeHangText === undefined ? Infinity : Number(committedBeforeHangText);
const filler = 'lorem ipsum dolor sit amet consectetur adipiscing elit '.repeat(20);

function batchMessages(batch: number, size: number): Message[] {
  return Array.from({ length: size }, (_, i) =>
    message(`thread-${batch % 3}`, `b${batch}-${i}`, {
      senderName: 'Writer',
      sentAt: Date.UTC(2024, 0, 1) + batch * 1_000_000 + i,
      text: `batch${batch} item${i} ${filler}`,
    }),
  );
}

function hangInside(item: Message): Message {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  return Object.defineProperty({ ...item }, 'text', {
    enumerable: true,
    get() {
      writeSync(1, 'inside\n');
      for (;;) Atomics.wait(sleeper, 0, 0);
    },
  });
}

const store = await openSqliteStore(file!);
const threads = [0, 1, 2].map((n) => thread(`thread-${n}`, { title: `Thread ${n}`, participants: [] }));
await store.write({ threads });
for (let batch = 0; ; batch += 1) {
  let messages = batchMessages(batch, batchSize);
  if (batch === hangAfter) {
    // Big enough to spill uncommitted pages into the WAL before the hang.
    messages = batchMessages(batch, batchSize * 20);
    messages[messages.length - 1] = hangInside(messages[messages.length - 1]!);
  }
  await store.write({ threads, messages });
  writeSync(1, `committed ${batch}\n`);
}

// jsonl: one message per line, in the shape of `igtg show --json`, plus the thread's title.
import type { Message, Thread } from '../core/model.js';
import { messageToJson } from '../core/message-json.js';
import type { TextSink } from './text-sink.js';
import type { ExportWriter } from './types.js';

export function createJsonlWriter(sink: TextSink): ExportWriter {
  // `,"thread_title":"…"}` closes every line of the thread; the message object is not copied.
  let lineEnd = '';
  return {
    async beginThread(thread: Thread) {
      lineEnd = `,"thread_title":${JSON.stringify(thread.title)}}\n`;
    },
    async message(message: Message) {
      await sink.write(JSON.stringify(messageToJson(message)).slice(0, -1) + lineEnd);
    },
    async endThread() {},
    async finish() {
      await sink.close();
      return 1;
    },
    async abort() {},
  };
}

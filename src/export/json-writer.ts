// json: one document `{"threads":[{thread_id,title,participants,messages:[...]}]}`, written as it
// streams (one message per line), never built in memory.
import type { Message, Participant, Thread } from '../core/model.js';
import { messageToJson } from '../core/message-json.js';
import type { TextSink } from './text-sink.js';
import type { ExportWriter } from './types.js';

export interface ParticipantJson {
  name: string;
  username: string | null;
  user_id: string | null;
}

export function participantToJson(participant: Participant): ParticipantJson {
  return { name: participant.name, username: participant.username, user_id: participant.userId };
}

export function createJsonWriter(sink: TextSink): ExportWriter {
  let threads = 0;
  let messagesInThread = 0;
  let started = false;
  const start = async () => {
    if (!started) await sink.write('{"threads":[');
    started = true;
  };
  return {
    async beginThread(thread: Thread) {
      await start();
      const head = JSON.stringify({
        thread_id: thread.id,
        title: thread.title,
        participants: thread.participants.map(participantToJson),
      });
      // The head without its closing brace, so the messages array follows inside the same object.
      await sink.write(`${threads > 0 ? ',' : ''}\n${head.slice(0, -1)},"messages":[`);
      threads += 1;
      messagesInThread = 0;
    },
    async message(message: Message) {
      await sink.write(`${messagesInThread > 0 ? ',' : ''}\n${JSON.stringify(messageToJson(message))}`);
      messagesInThread += 1;
    },
    async endThread() {
      await sink.write('\n]}');
    },
    async finish() {
      await start();
      await sink.write('\n]}\n');
      await sink.close();
      return 1;
    },
    async abort() {},
  };
}

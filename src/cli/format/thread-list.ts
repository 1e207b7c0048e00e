// `igtg threads` output: JSON records and the terminal listing.
import type { ThreadSummary } from '../../core/model.js';
import { toIso } from '../../core/time.js';
import type { Output } from '../output.js';
import { localDateTime } from './local-time.js';
import { terminalLine } from './terminal-text.js';

export interface ThreadJson {
  thread_id: string;
  title: string;
  participants: string[];
  messages: number;
  last_message_at: string | null;
  is_group: boolean;
  is_request: boolean;
}

export function threadToJson(thread: ThreadSummary): ThreadJson {
  return {
    thread_id: thread.id,
    title: thread.title,
    participants: thread.participants.map((participant) => participant.name),
    messages: thread.messageCount,
    last_message_at: thread.lastMessageAt === null ? null : toIso(thread.lastMessageAt),
    is_group: thread.isGroup,
    is_request: thread.isRequest,
  };
}

function lastActivity(thread: ThreadSummary): number | null {
  const times = [thread.lastMessageAt, thread.lastActivityAt].filter((time): time is number => time !== null);
  return times.length > 0 ? Math.max(...times) : null;
}

export function printThreads(out: Output, threads: ThreadSummary[]): void {
  const width = Math.max(...threads.map((thread) => String(thread.messageCount).length));
  for (const thread of threads) {
    const at = lastActivity(thread);
    const when = at === null ? '—'.padEnd(16) : localDateTime(at);
    const count = String(thread.messageCount).padStart(width);
    const tags = [thread.isGroup ? 'group' : null, thread.isRequest ? 'request' : null].filter(Boolean);
    const suffix = tags.length > 0 ? ` (${tags.join(', ')})` : '';
    out.line(
      `${out.style('dim', when)}  ${count}  ${out.style('bold', terminalLine(thread.title))}${suffix}  ${out.style('dim', terminalLine(thread.id))}`,
    );
  }
}

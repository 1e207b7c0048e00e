// `igtg search` output: JSON records and the terminal listing.
import { toIso } from '../../core/time.js';
import type { SearchHit } from '../../store/store.js';
import type { Output } from '../output.js';
import { localDateTime } from './local-time.js';
import { highlightSnippet, plainSnippet } from './snippet.js';
import { terminalLine } from './terminal-text.js';

export interface SearchHitJson {
  thread_id: string;
  thread_title: string;
  message_id: string;
  sender: string;
  text: string | null;
  sent_at: string;
  snippet: string;
  score: number;
}

export function hitToJson(hit: SearchHit): SearchHitJson {
  return {
    thread_id: hit.threadId,
    thread_title: hit.threadTitle,
    message_id: hit.message.id,
    sender: hit.message.senderName,
    text: hit.message.text,
    sent_at: toIso(hit.message.sentAt),
    snippet: plainSnippet(hit.snippet),
    score: hit.score,
  };
}

export function printHits(out: Output, hits: SearchHit[]): void {
  hits.forEach((hit, index) => {
    if (index > 0) out.line();
    const header = [
      out.style('cyan', terminalLine(hit.threadTitle)),
      out.style('bold', terminalLine(hit.message.senderName)),
      out.style('dim', localDateTime(hit.message.sentAt)),
    ];
    out.line(header.join(' · '));
    out.line(`  ${highlightSnippet(hit.snippet, out)}`);
  });
}

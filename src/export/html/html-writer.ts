// html: a folder that works offline in any browser. index.html lists the threads (with a filter
// box); each thread is a series of pages of at most `pageSize` messages with earlier/later links;
// media are copied under media/ and linked relatively.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { EpochMs, Message, Thread } from '../../core/model.js';
import { threadFileStem } from '../file-names.js';
import { localDayKey, localDayLabel } from '../local-time.js';
import { MediaCopier } from '../media-copier.js';
import { ReplyResolver } from '../reply-resolver.js';
import { openFileSink, type TextSink } from '../text-sink.js';
import type { ExportWriter, MessageLookup } from '../types.js';
import { escapeHtml } from './escape.js';
import { renderIndex, type IndexEntry } from './index-page.js';
import { messageFragment, renderMessage } from './message-html.js';
import { threadPageFile } from './page-files.js';
import { pageEnd, pageStart } from './page-shell.js';
import { toIso } from '../../core/time.js';

export const DEFAULT_PAGE_SIZE = 1000;

export interface HtmlWriterOptions {
  /** The (temporary) export folder to write into. */
  dir: string;
  mediaDir: string;
  lookupMessage: MessageLookup;
  exportedAt: EpochMs;
  /** A line for the index saying what was selected, e.g. "messages stored since …". */
  description: string | null;
  pageSize?: number;
}

function participantsLine(thread: Thread): string {
  return thread.participants.map((p) => (p.username ? `${p.name} (@${p.username})` : p.name)).join(', ');
}

export function createHtmlWriter(options: HtmlWriterOptions): ExportWriter {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const threadsDir = join(options.dir, 'threads');
  const copier = new MediaCopier(options.mediaDir, options.dir);
  const replies = new ReplyResolver(options.lookupMessage);
  const stems = new Set<string>();
  const entries: IndexEntry[] = [];
  let files = 0;
  let ready = false;

  // The thread being written.
  let thread: Thread | null = null;
  let entry: IndexEntry | null = null;
  let sink: (TextSink & { discard(): Promise<void> }) | null = null;
  let inPage = 0;
  let lastDay = -1;
  let lastSender: string | null = null;

  const ensureDirs = async () => {
    if (!ready) await mkdir(threadsDir, { recursive: true, mode: 0o700 });
    ready = true;
  };

  const pagesNav = (page: number, hasLater: boolean) => {
    const links: string[] = [];
    if (page > 1) {
      links.push(`<a href="${escapeHtml(threadPageFile(entry!.stem, page - 1))}" rel="prev">← earlier messages</a>`);
    }
    links.push(`page ${page}`);
    if (hasLater) {
      links.push(`<a href="${escapeHtml(threadPageFile(entry!.stem, page + 1))}" rel="next">later messages →</a>`);
    }
    return `<nav class="pages">${links.join(' · ')}</nav>\n`;
  };

  const closePage = async (hasLater: boolean) => {
    if (!sink) return;
    await sink.write(`</main>\n<footer>\n${pagesNav(entry!.pages, hasLater)}</footer>\n${pageEnd()}`);
    const closing = sink;
    sink = null;
    await closing.close();
  };

  const openPage = async () => {
    await closePage(true);
    entry!.pages += 1;
    const page = entry!.pages;
    sink = await openFileSink(join(threadsDir, threadPageFile(entry!.stem, page)));
    files += 1;
    inPage = 0;
    lastDay = -1;
    lastSender = null;
    const title = thread!.title;
    await sink.write(
      pageStart(page > 1 ? `${title} (page ${page})` : title, 'thread') +
        `<header>\n<nav><a href="../index.html">← all threads</a></nav>\n<h1>${escapeHtml(title)}</h1>\n` +
        `<p class="participants">${escapeHtml(participantsLine(thread!))}</p>\n` +
        (page > 1 ? pagesNav(page, false) : '') +
        '</header>\n<main>\n',
    );
  };

  return {
    async beginThread(next: Thread) {
      await ensureDirs();
      thread = next;
      entry = {
        title: next.title,
        participants: participantsLine(next),
        stem: threadFileStem(next, stems),
        messages: 0,
        lastAt: null,
        pages: 0,
      };
      replies.reset();
    },

    async message(message: Message) {
      if (!sink || inPage >= pageSize) await openPage();
      const page = entry!.pages;
      const mediaPaths: Array<string | null> = [];
      for (const media of message.media) mediaPaths.push(await copier.copy(media));
      const reply = await replies.resolve(message);
      let html = '';
      const day = localDayKey(message.sentAt);
      if (day !== lastDay) {
        html += `<h2 class="day"><time datetime="${toIso(message.sentAt)}">${escapeHtml(localDayLabel(message.sentAt))}</time></h2>\n`;
        lastDay = day;
        lastSender = null;
      }
      html += renderMessage(message, {
        mediaPaths,
        rootPrefix: '../',
        showSender: message.senderName !== lastSender,
        reply: reply && {
          sender: reply.sender,
          preview: reply.preview,
          href:
            reply.page === null
              ? null
              : `${reply.page === page ? '' : threadPageFile(entry!.stem, reply.page)}${messageFragment(message.replyTo!)}`,
        },
      });
      lastSender = message.senderName;
      await sink!.write(html);
      inPage += 1;
      entry!.messages += 1;
      entry!.lastAt = Math.max(entry!.lastAt ?? message.sentAt, message.sentAt);
      replies.remember(message, page);
    },

    async endThread() {
      await closePage(false);
      if (entry && entry.messages > 0) entries.push(entry);
      thread = null;
      entry = null;
    },

    async finish() {
      await ensureDirs();
      const index = await openFileSink(join(options.dir, 'index.html'));
      await index.write(
        renderIndex(entries, {
          exportedAt: options.exportedAt,
          description: options.description,
          missingMedia: copier.missing,
        }),
      );
      await index.close();
      return files + 1 + copier.files;
    },

    async abort() {
      await sink?.discard();
      sink = null;
    },
  };
}

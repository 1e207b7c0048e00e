// html: a folder that works offline in any browser. index.html lists the threads (with a filter
// box); each thread is a series of pages of at most `pageSize` messages with earlier/later links;
// media are copied under media/ and linked relatively.
import type { EpochMs, Message, Thread } from '../../core/model.js';
import { localDayKey, localDayLabel } from '../local-time.js';
import { ThreadFolder, type ThreadFolderOptions } from '../thread-folder.js';
import type { ExportWriter } from '../types.js';
import { escapeHtml } from './escape.js';
import { renderIndex, type IndexEntry } from './index-page.js';
import { messageFragment, renderMessage } from './message-html.js';
import { threadPageFile } from './page-files.js';
import { pageEnd, pageStart } from './page-shell.js';
import { toIso } from '../../core/time.js';

export const DEFAULT_PAGE_SIZE = 1000;

export interface HtmlWriterOptions extends ThreadFolderOptions {
  exportedAt: EpochMs;
  /** A line for the index saying what was selected, e.g. "messages stored since …". */
  description: string | null;
  pageSize?: number;
}

export function createHtmlWriter(options: HtmlWriterOptions): ExportWriter {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const folder = new ThreadFolder<IndexEntry>(options);

  // The thread being written.
  let entry: IndexEntry | null = null;
  let inPage = 0;
  let lastDay = -1;
  let lastSender: string | null = null;

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
    if (!folder.file) return;
    await folder.file.write(`</main>\n<footer>\n${pagesNav(entry!.pages, hasLater)}</footer>\n${pageEnd()}`);
    await folder.closeFile();
  };

  const openPage = async () => {
    await closePage(true);
    entry!.pages += 1;
    const page = entry!.pages;
    const sink = await folder.openFile(threadPageFile(entry!.stem, page));
    inPage = 0;
    lastDay = -1;
    lastSender = null;
    const title = entry!.title;
    await sink.write(
      pageStart(page > 1 ? `${title} (page ${page})` : title, 'thread') +
        `<header>\n<nav><a href="../index.html">← all threads</a></nav>\n<h1 dir="auto">${escapeHtml(title)}</h1>\n` +
        `<p class="participants">${escapeHtml(entry!.participants)}</p>\n` +
        (page > 1 ? pagesNav(page, false) : '') +
        '</header>\n<main>\n',
    );
    return sink;
  };

  return {
    async beginThread(next: Thread) {
      entry = { ...(await folder.beginThread(next)), pages: 0 };
    },

    async message(message: Message) {
      const sink = !folder.file || inPage >= pageSize ? await openPage() : folder.file;
      const page = entry!.pages;
      const { mediaPaths, reply } = await folder.prepare(message);
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
      await sink.write(html);
      inPage += 1;
      folder.written(entry!, message, page);
    },

    async endThread() {
      await closePage(false);
      await folder.endThread(entry);
      entry = null;
    },

    finish() {
      return folder.finish('index.html', () =>
        renderIndex(folder.entries, {
          exportedAt: options.exportedAt,
          description: options.description,
          missingMedia: folder.copier.missing,
        }),
      );
    },

    abort() {
      return folder.abort();
    },
  };
}

// md: a folder with index.md and one file per thread under threads/, readable on GitHub. Media are
// copied under media/ and linked relatively (images shown inline).
import type { EpochMs, Message, Thread } from '../../core/model.js';
import { encodePathForUrl } from '../file-names.js';
import { safeExternalUrl } from '../html/escape.js';
import { localDateTime, localDayKey, localDayLabel, localTime, localZoneName } from '../local-time.js';
import { groupReactions, kindLabel, mediaLabel, mediaPresentation } from '../message-labels.js';
import { ThreadFolder, type ThreadEntry, type ThreadFolderOptions } from '../thread-folder.js';
import type { ExportWriter } from '../types.js';
import { escapeMarkdownInline, escapeMarkdownText, markdownLinkTarget } from './escape.js';

export interface MarkdownWriterOptions extends ThreadFolderOptions {
  exportedAt: EpochMs;
  description: string | null;
}

function mediaLine(message: Message, index: number, path: string | null): string {
  const media = message.media[index]!;
  const label = escapeMarkdownInline(mediaLabel(media));
  if (!path) return `*${label} (not kept locally)*`;
  const target = markdownLinkTarget(`../${encodePathForUrl(path)}`);
  return mediaPresentation(media) === 'image' ? `![${label}](${target})` : `[${label}](${target})`;
}

export function renderMarkdownMessage(
  message: Message,
  mediaPaths: Array<string | null>,
  reply: { sender: string; preview: string } | null,
): string {
  const lines = [`**${escapeMarkdownInline(message.senderName)}** · ${localTime(message.sentAt)}`];
  if (reply) lines.push(`↪ *${escapeMarkdownInline(reply.sender)}: ${escapeMarkdownInline(reply.preview)}*`);
  if (message.unsent) {
    lines.push('*message unsent*');
  } else {
    if (message.text) lines.push(escapeMarkdownText(message.text));
    else if (message.media.length === 0 && !message.share)
      lines.push(`*${escapeMarkdownInline(kindLabel(message.kind))}*`);
    message.media.forEach((_media, index) => lines.push(mediaLine(message, index, mediaPaths[index] ?? null)));
    const share = message.share;
    if (share) {
      const label = escapeMarkdownInline(share.text || share.url || 'shared post');
      const href = safeExternalUrl(share.url);
      const owner = share.owner ? ` by ${escapeMarkdownInline(share.owner)}` : '';
      lines.push(`🔗 ${href ? `[${label}](${markdownLinkTarget(href)})` : label}${owner}`);
    }
  }
  if (message.reactions.length > 0) {
    const groups = [...groupReactions(message)].map(
      ([emoji, actors]) => `${escapeMarkdownInline(emoji)} ${escapeMarkdownInline(actors.join(', '))}`,
    );
    lines.push(groups.join(' · '));
  }
  return `${lines.join('<br>\n')}\n\n`;
}

function renderIndex(entries: ThreadEntry[], options: MarkdownWriterOptions, missingMedia: number): string {
  const sorted = [...entries].sort((a, b) => (b.lastAt ?? 0) - (a.lastAt ?? 0));
  const messages = entries.reduce((sum, entry) => sum + entry.messages, 0);
  let text =
    '# Instagram messages\n\n' +
    `${entries.length} threads · ${messages} messages · exported ${localDateTime(options.exportedAt).slice(0, 16)} · ` +
    `times in ${escapeMarkdownInline(localZoneName())}\n\n`;
  if (options.description) text += `${escapeMarkdownInline(options.description)}\n\n`;
  if (missingMedia > 0) text += `*Not kept locally, so not included: ${missingMedia} media file(s).*\n\n`;
  text += '| Thread | Participants | Messages | Last activity |\n| --- | --- | ---: | --- |\n';
  for (const entry of sorted) {
    const link = `[${escapeMarkdownInline(entry.title)}](${markdownLinkTarget(`threads/${entry.stem}.md`)})`;
    const last = entry.lastAt === null ? '' : localDateTime(entry.lastAt).slice(0, 16);
    text += `| ${link} | ${escapeMarkdownInline(entry.participants)} | ${entry.messages} | ${last} |\n`;
  }
  return text;
}

export function createMarkdownWriter(options: MarkdownWriterOptions): ExportWriter {
  const folder = new ThreadFolder(options);
  let entry: ThreadEntry | null = null;
  let lastDay = -1;

  const openThreadFile = async () => {
    const sink = await folder.openFile(`${entry!.stem}.md`);
    await sink.write(
      `# ${escapeMarkdownInline(entry!.title)}\n\n` +
        `${escapeMarkdownInline(entry!.participants)}\n\n[← all threads](../index.md)\n\n`,
    );
    return sink;
  };

  return {
    async beginThread(next: Thread) {
      entry = await folder.beginThread(next);
      lastDay = -1;
    },

    async message(message: Message) {
      const sink = folder.file ?? (await openThreadFile());
      const { mediaPaths, reply } = await folder.prepare(message);
      let text = '';
      const day = localDayKey(message.sentAt);
      if (day !== lastDay) {
        text += `## ${escapeMarkdownInline(localDayLabel(message.sentAt))}\n\n`;
        lastDay = day;
      }
      text += renderMarkdownMessage(message, mediaPaths, reply);
      await sink.write(text);
      folder.written(entry!, message, null);
    },

    async endThread() {
      await folder.endThread(entry);
      entry = null;
    },

    finish() {
      return folder.finish('index.md', () => renderIndex(folder.entries, options, folder.copier.missing));
    },

    abort() {
      return folder.abort();
    },
  };
}

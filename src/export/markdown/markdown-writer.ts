// md: a folder with index.md and one file per thread under threads/, readable on GitHub. Media are
// copied under media/ and linked relatively (images shown inline).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { EpochMs, Message, Thread } from '../../core/model.js';
import { encodePathForUrl, threadFileStem } from '../file-names.js';
import { safeExternalUrl } from '../html/escape.js';
import { localDateTime, localDayKey, localDayLabel, localTime, localZoneName } from '../local-time.js';
import { MediaCopier } from '../media-copier.js';
import { groupReactions, kindLabel, mediaLabel, mediaPresentation } from '../message-labels.js';
import { ReplyResolver } from '../reply-resolver.js';
import { openFileSink, type TextSink } from '../text-sink.js';
import type { ExportWriter, MessageLookup } from '../types.js';
import { escapeMarkdownInline, escapeMarkdownText, markdownLinkTarget } from './escape.js';

export interface MarkdownWriterOptions {
  dir: string;
  mediaDir: string;
  lookupMessage: MessageLookup;
  exportedAt: EpochMs;
  description: string | null;
}

interface Entry {
  title: string;
  participants: string;
  stem: string;
  messages: number;
  lastAt: EpochMs | null;
}

function participantsLine(thread: Thread): string {
  return thread.participants.map((p) => (p.username ? `${p.name} (@${p.username})` : p.name)).join(', ');
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

function renderIndex(entries: Entry[], options: MarkdownWriterOptions): string {
  const sorted = [...entries].sort((a, b) => (b.lastAt ?? 0) - (a.lastAt ?? 0));
  const messages = entries.reduce((sum, entry) => sum + entry.messages, 0);
  let text =
    '# Instagram messages\n\n' +
    `${entries.length} threads · ${messages} messages · exported ${localDateTime(options.exportedAt).slice(0, 16)} · ` +
    `times in ${escapeMarkdownInline(localZoneName())}\n\n`;
  if (options.description) text += `${escapeMarkdownInline(options.description)}\n\n`;
  text += '| Thread | Participants | Messages | Last activity |\n| --- | --- | ---: | --- |\n';
  for (const entry of sorted) {
    const link = `[${escapeMarkdownInline(entry.title)}](${markdownLinkTarget(`threads/${entry.stem}.md`)})`;
    const last = entry.lastAt === null ? '' : localDateTime(entry.lastAt).slice(0, 16);
    text += `| ${link} | ${escapeMarkdownInline(entry.participants)} | ${entry.messages} | ${last} |\n`;
  }
  return text;
}

export function createMarkdownWriter(options: MarkdownWriterOptions): ExportWriter {
  const threadsDir = join(options.dir, 'threads');
  const copier = new MediaCopier(options.mediaDir, options.dir);
  const replies = new ReplyResolver(options.lookupMessage);
  const stems = new Set<string>();
  const entries: Entry[] = [];
  let files = 0;
  let ready = false;
  let thread: Thread | null = null;
  let entry: Entry | null = null;
  let sink: (TextSink & { discard(): Promise<void> }) | null = null;
  let lastDay = -1;

  const ensureDirs = async () => {
    if (!ready) await mkdir(threadsDir, { recursive: true, mode: 0o700 });
    ready = true;
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
      };
      lastDay = -1;
      replies.reset();
    },

    async message(message: Message) {
      if (!sink) {
        sink = await openFileSink(join(threadsDir, `${entry!.stem}.md`));
        files += 1;
        await sink.write(
          `# ${escapeMarkdownInline(thread!.title)}\n\n` +
            `${escapeMarkdownInline(participantsLine(thread!))}\n\n[← all threads](../index.md)\n\n`,
        );
      }
      const mediaPaths: Array<string | null> = [];
      for (const media of message.media) mediaPaths.push(await copier.copy(media));
      const reply = await replies.resolve(message);
      let text = '';
      const day = localDayKey(message.sentAt);
      if (day !== lastDay) {
        text += `## ${escapeMarkdownInline(localDayLabel(message.sentAt))}\n\n`;
        lastDay = day;
      }
      text += renderMarkdownMessage(message, mediaPaths, reply);
      await sink.write(text);
      entry!.messages += 1;
      entry!.lastAt = Math.max(entry!.lastAt ?? message.sentAt, message.sentAt);
      replies.remember(message, null);
    },

    async endThread() {
      if (sink) {
        const closing = sink;
        sink = null;
        await closing.close();
      }
      if (entry && entry.messages > 0) entries.push(entry);
      thread = null;
      entry = null;
    },

    async finish() {
      await ensureDirs();
      const index = await openFileSink(join(options.dir, 'index.md'));
      await index.write(renderIndex(entries, options));
      await index.close();
      return files + 1 + copier.files;
    },

    async abort() {
      await sink?.discard();
      sink = null;
    },
  };
}

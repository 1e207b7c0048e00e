// What the folder formats (html, md) share: thread files under threads/, media copied under
// media/, replies resolved within the thread, one index entry per thread that has messages, and
// the index file written last.
import { join } from 'node:path';
import type { EpochMs, Message, Thread } from '../core/model.js';
import { threadFileStem } from './file-names.js';
import { MediaCopier } from './media-copier.js';
import { ReplyResolver, type ResolvedReply } from './reply-resolver.js';
import { openFileSink, type TextSink } from './text-sink.js';
import type { MessageLookup } from './types.js';
import { makeDir } from '../core/make-dir.js';

export interface ThreadEntry {
  title: string;
  participants: string;
  stem: string;
  messages: number;
  lastAt: EpochMs | null;
}

export interface ThreadFolderOptions {
  /** The (temporary) export folder to write into. */
  dir: string;
  mediaDir: string;
  lookupMessage: MessageLookup;
}

type ThreadFile = TextSink & { discard(): Promise<void> };

export function participantsLine(thread: Thread): string {
  return thread.participants.map((p) => (p.username ? `${p.name} (@${p.username})` : p.name)).join(', ');
}

export class ThreadFolder<Entry extends ThreadEntry = ThreadEntry> {
  readonly copier: MediaCopier;
  /** The threads with messages, in the order they were written. */
  readonly entries: Entry[] = [];
  /** The thread file being written, if one is open. */
  file: ThreadFile | null = null;
  private readonly threadsDir: string;
  private readonly replies: ReplyResolver;
  private readonly stems = new Set<string>();
  private files = 0;
  private ready = false;

  constructor(private readonly options: ThreadFolderOptions) {
    this.threadsDir = join(options.dir, 'threads');
    this.copier = new MediaCopier(options.mediaDir, options.dir);
    this.replies = new ReplyResolver(options.lookupMessage);
  }

  private async ensureDirs(): Promise<void> {
    if (!this.ready) await makeDir(this.threadsDir, 0o700);
    this.ready = true;
  }

  /** Starts a thread: its index entry (with a file stem unique in the export), no messages yet. */
  async beginThread(thread: Thread): Promise<ThreadEntry> {
    await this.ensureDirs();
    this.replies.reset();
    return {
      title: thread.title,
      participants: participantsLine(thread),
      stem: threadFileStem(thread, this.stems),
      messages: 0,
      lastAt: null,
    };
  }

  /** Opens `threads/<name>` as the current thread file. */
  async openFile(name: string): Promise<ThreadFile> {
    this.file = await openFileSink(join(this.threadsDir, name));
    this.files += 1;
    return this.file;
  }

  async closeFile(): Promise<void> {
    const closing = this.file;
    this.file = null;
    await closing?.close();
  }

  /** Copies the message's media (their paths in the export, null where missing) and finds its reply. */
  async prepare(message: Message): Promise<{ mediaPaths: Array<string | null>; reply: ResolvedReply | null }> {
    const mediaPaths: Array<string | null> = [];
    for (const media of message.media) mediaPaths.push(await this.copier.copy(media));
    return { mediaPaths, reply: await this.replies.resolve(message) };
  }

  /** Counts a written message in its thread's entry; `page` is where replies to it will point. */
  written(entry: Entry, message: Message, page: number | null): void {
    entry.messages += 1;
    entry.lastAt = Math.max(entry.lastAt ?? message.sentAt, message.sentAt);
    this.replies.remember(message, page);
  }

  /** Ends a thread: closes its file and lists it in the index if it had messages. */
  async endThread(entry: Entry | null): Promise<void> {
    await this.closeFile();
    if (entry && entry.messages > 0) this.entries.push(entry);
  }

  /** Writes the index file and returns how many files the export holds. */
  async finish(indexFile: string, render: () => string): Promise<number> {
    await this.ensureDirs();
    // Rendered before the file is opened: a failure leaves no handle behind.
    const text = render();
    const index = await openFileSink(join(this.options.dir, indexFile));
    await index.write(text);
    await index.close();
    return this.files + 1 + this.copier.files;
  }

  async abort(): Promise<void> {
    await this.file?.discard();
    this.file = null;
  }
}

// `igtg sync --media`: photos, videos, voice notes and GIFs of API items downloaded into the
// profile's content-addressed media folder before the items are stored, so a stored item always
// names a file that exists. A failed download (expired CDN link) leaves the URL and is reported.
import { Readable } from 'node:stream';
import type { MediaRef, Message } from '../core/model.js';
import type { InstagramClient } from '../instagram/client.js';
import { InstagramNetworkError, RejectedError, ServerError } from '../instagram/errors.js';
import { MediaTooLargeError, mediaExtension, storeMediaStream } from '../media/content-store.js';

const MAX_MEDIA_BYTES = 512 * 1024 * 1024;

const DEFAULT_EXTENSION: Record<MediaRef['kind'], string> = {
  photo: 'jpg',
  video: 'mp4',
  audio: 'm4a',
  gif: 'gif',
  sticker: 'webp',
  file: 'bin',
};

export class MediaFetcher {
  downloaded = 0;
  failed = 0;
  /** URLs that failed in this run, not tried again by the backfill. */
  private readonly failedUrls = new Set<string>();

  constructor(
    private readonly client: InstagramClient,
    private readonly mediaDir: string,
    private readonly onWarning: (message: string) => void = () => undefined,
  ) {}

  /** Downloads what is missing and fills in `path` (in place). */
  async attach(messages: Message[]): Promise<void> {
    for (const message of messages) {
      for (const media of message.media) {
        if (media.path || !media.url || this.failedUrls.has(media.url)) continue;
        await this.fetch(message, media);
      }
    }
  }

  /** True when every missing file of the message already failed in this run. */
  failedBefore(message: Message): boolean {
    return message.media.every((media) => media.path !== null || media.url === null || this.failedUrls.has(media.url));
  }

  private async fetch(message: Message, media: MediaRef): Promise<void> {
    try {
      const bytes = await this.client.downloadMedia(media.url!);
      const ext = mediaExtension(media.url!, DEFAULT_EXTENSION[media.kind]);
      const stored = await storeMediaStream(this.mediaDir, Readable.from([bytes]), { ext, maxBytes: MAX_MEDIA_BYTES });
      media.path = stored.path;
      this.downloaded += 1;
    } catch (error) {
      // A refused, failing or unreachable download (after the gate's retries) is skipped: one dead
      // CDN link must not keep the messages around it from being stored. A blocked or logged-out
      // account stops the sync; a network that is down stops it at its next API call.
      const skippable =
        error instanceof RejectedError ||
        error instanceof ServerError ||
        error instanceof InstagramNetworkError ||
        error instanceof MediaTooLargeError;
      if (!skippable) throw error;
      this.failed += 1;
      this.failedUrls.add(media.url!);
      const reason = error instanceof Error ? error.message.split('\n')[0] : 'error';
      this.onWarning(`media of message ${message.id} not downloaded (${reason})`);
    }
  }
}

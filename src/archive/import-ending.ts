// How an import's writes end, either way of working (import-one-pass.ts, import-two-passes.ts): the
// last write, which indexes what the others left, then the commit of a bulk transaction; or, after a
// failure, undoing what can be undone.
import type { BulkTransaction } from '../store/store.js';
import type { BatchWriter } from './batch-writer.js';
import type { ImportProgressEvent } from './import-options.js';
import type { MediaCopier } from './media-copier.js';

export class ImportEnding {
  private committing = false;

  /** `bulk` null: each write committed on its own (a store without bulk transactions). */
  constructor(
    private readonly writer: BatchWriter,
    private readonly bulk: BulkTransaction | null,
    private readonly media: MediaCopier,
    private readonly progress: (event: ImportProgressEvent) => void,
  ) {}

  async finish(meta: Record<string, string>): Promise<void> {
    if (this.writer.indexPending) this.progress({ type: 'phase', phase: 'indexing', files: 0 });
    await this.writer.flush(meta);
    if (!this.bulk) return;
    this.progress({ type: 'phase', phase: 'saving', files: 0 });
    this.committing = true;
    await this.bulk.commit();
  }

  /** Undoes the bulk transaction; the media copied stay (for an import started over). */
  async rollBack(): Promise<void> {
    await this.writer.drain();
    await this.bulk?.rollback();
  }

  /** After a failure: nothing stays of a bulk transaction, or what was written becomes searchable. */
  async abandon(): Promise<void> {
    if (!this.bulk) {
      await this.writer.settle();
      return;
    }
    await this.rollBack().catch(() => undefined);
    // After a commit whose outcome is unknown, stored rows may name the files: they stay.
    if (!this.committing) await this.media.removeCreated();
  }
}

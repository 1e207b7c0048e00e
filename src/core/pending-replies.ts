// Requests sent to a worker thread, waiting for their replies by id: the import's checker pool and
// SQLite's writer thread keep their books the same way.

interface Waiting<T> {
  resolve: (value: T) => void;
  reject: (error: Error) => void;
}

export class PendingReplies<T> {
  private readonly waiting = new Map<number, Waiting<T>>();
  private nextId = 1;
  private failure: Error | null = null;

  /** Requests waiting for a reply. */
  get size(): number {
    return this.waiting.size;
  }

  /** What every request fails with since fail(); null before. */
  get failed(): Error | null {
    return this.failure;
  }

  /** A new request's id and the promise of its reply. */
  open(): { id: number; reply: Promise<T> } {
    const id = this.nextId++;
    const reply = new Promise<T>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    return { id, reply };
  }

  /** Takes request `id` off the books to settle it; undefined when it is not waiting (any more). */
  take(id: number): Waiting<T> | undefined {
    const waiting = this.waiting.get(id);
    this.waiting.delete(id);
    return waiting;
  }

  /** Fails every waiting request with `error`, and marks later ones failed too; the first error wins. */
  fail(error: Error): void {
    this.failure ??= error;
    for (const waiting of this.waiting.values()) waiting.reject(this.failure);
    this.waiting.clear();
  }
}

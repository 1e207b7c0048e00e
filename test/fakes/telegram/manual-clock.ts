// A clock that moves only when a test says so: sleeps resolve in time order as `runAll` advances
// virtual time. No real waiting anywhere.
import type { Clock } from '../../../src/core/clock.js';

interface Sleeper {
  wakeAt: number;
  resolve: () => void;
}

export class ManualClock implements Clock {
  private current: number;
  private sleepers: Sleeper[] = [];

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const sleeper = { wakeAt: this.current + Math.max(0, ms), resolve };
      this.sleepers.push(sleeper);
      signal?.addEventListener(
        'abort',
        () => {
          this.sleepers = this.sleepers.filter((s) => s !== sleeper);
          resolve();
        },
        { once: true },
      );
    });
  }

  /** Moves time forward by `ms`, waking every sleeper due on the way, in order. */
  async advance(ms: number): Promise<void> {
    await this.runUntil(this.current + ms);
  }

  /** Wakes sleepers in time order until none is left (or `limit` wake-ups, against loops). */
  async runAll(limit = 10_000): Promise<void> {
    await this.runUntil(Infinity, limit);
  }

  private async runUntil(end: number, limit = 10_000): Promise<void> {
    for (let i = 0; i < limit; i++) {
      await settle();
      const next = this.sleepers.reduce<Sleeper | null>((a, b) => (a === null || b.wakeAt < a.wakeAt ? b : a), null);
      if (!next || next.wakeAt > end) break;
      this.sleepers = this.sleepers.filter((s) => s !== next);
      this.current = Math.max(this.current, next.wakeAt);
      next.resolve();
    }
    if (end !== Infinity) this.current = Math.max(this.current, end);
    await settle();
  }
}

/** Lets every pending promise callback run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

// When to poll Instagram next: the configured interval with ±20% jitter, twice as often for a few
// minutes after activity, twice as slow after a long idle spell, and never more than the idle
// request budget (120 requests an hour) while idle.
import type { Random } from '../../core/clock.js';

export interface PollScheduleOptions {
  /** How long "recent activity" keeps the fast pace. */
  activeWindowMs?: number;
  /** Idle for this long: the slow pace. */
  idleAfterMs?: number;
  /** Most Instagram requests per hour while idle. */
  idleRequestsPerHour?: number;
}

const HOUR = 3_600_000;

export class PollSchedule {
  private lastActivityAt: number;
  private readonly requests: Array<{ at: number; count: number }> = [];
  private readonly activeWindowMs: number;
  private readonly idleAfterMs: number;
  private readonly idleBudget: number;

  constructor(
    private readonly random: Random,
    now: number,
    options: PollScheduleOptions = {},
  ) {
    this.activeWindowMs = options.activeWindowMs ?? 5 * 60_000;
    this.idleAfterMs = options.idleAfterMs ?? 30 * 60_000;
    this.idleBudget = options.idleRequestsPerHour ?? 120;
    // Start-up counts as activity: catch up quickly.
    this.lastActivityAt = now;
  }

  /** New messages arrived or the owner sent something. */
  activity(now: number): void {
    this.lastActivityAt = now;
  }

  recordRequests(now: number, count: number): void {
    if (count > 0) this.requests.push({ at: now, count });
    while (this.requests.length > 0 && this.requests[0]!.at <= now - HOUR) this.requests.shift();
  }

  requestsLastHour(now: number): number {
    return this.requests.filter((r) => r.at > now - HOUR).reduce((sum, r) => sum + r.count, 0);
  }

  /** Milliseconds until the next poll. */
  nextDelay(now: number, intervalSec: number): number {
    const base = intervalSec * 1000;
    const sinceActivity = now - this.lastActivityAt;
    let delay = base;
    if (sinceActivity < this.activeWindowMs) delay = Math.max(1000, base / 2);
    else if (sinceActivity >= this.idleAfterMs) delay = base * 2;
    delay = Math.round(delay * (0.8 + 0.4 * this.random()));
    if (sinceActivity >= this.activeWindowMs) {
      // Idle: spread the hour's remaining budget evenly.
      const minimumGap = HOUR / this.idleBudget;
      const used = this.requestsLastHour(now);
      const perPoll = Math.max(1, this.requests.at(-1)?.count ?? 1);
      delay = Math.max(delay, minimumGap * perPoll);
      if (used + perPoll > this.idleBudget) {
        const oldest = this.requests.find((r) => r.at > now - HOUR);
        if (oldest) delay = Math.max(delay, oldest.at + HOUR - now);
      }
    }
    return delay;
  }
}

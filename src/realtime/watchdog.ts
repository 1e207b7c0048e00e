// Fires once when nothing was heard for `timeoutMs`: the library's keepalive never notices a
// half-open socket (it sends PINGREQ every 19.5 s but never times out a missing PINGRESP).
export class Watchdog {
  private lastAt = Date.now();
  private timer: NodeJS.Timeout | null = null;
  private fired = false;

  constructor(
    private readonly timeoutMs: number,
    private readonly onExpire: () => void,
  ) {}

  start(): void {
    this.lastAt = Date.now();
    this.schedule(this.timeoutMs);
  }

  /** Something arrived from the broker. */
  touch(): void {
    this.lastAt = Date.now();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.fired = true;
  }

  private schedule(delay: number): void {
    this.timer = setTimeout(() => this.check(), Math.max(1, delay));
    this.timer.unref();
  }

  private check(): void {
    this.timer = null;
    if (this.fired) return;
    const silentFor = Date.now() - this.lastAt;
    if (silentFor >= this.timeoutMs) {
      this.fired = true;
      this.onExpire();
      return;
    }
    this.schedule(this.timeoutMs - silentFor);
  }
}

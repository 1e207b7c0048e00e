// How igtg talks to Instagram: one request at a time, a randomized pause between requests,
// exponential backoff with jitter when Instagram asks to slow down (minutes by default), a few
// retries on 5xx/network failures, and one retry with the stored session after login_required.
// The adapter sends every HTTP request through a RequestGate.
import { InstagramError, LoginRequiredError, RateLimitedError, isTransient } from './errors.js';

export interface PacingOptions {
  /** Pause between two requests, randomized in [min, max] ms. */
  pauseMinMs: number;
  pauseMaxMs: number;
  /** First backoff delay after a 429 / "please wait"; doubles each time (with jitter). */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Rate-limit retries before giving up (0: report at once, as an interactive login wants). */
  rateLimitRetries: number;
  /** Retries of 5xx / network failures. */
  transientRetries: number;
  /** Called on login_required; resolves true when a stored session was reloaded and one retry makes sense. */
  onLoginRequired?: () => Promise<boolean>;
  /** Told when a login_required is final (after any reload), before it is thrown. */
  onSessionRefused?: () => Promise<void>;
  /** Told about every wait longer than a pause (for a progress line). */
  onWait?: (event: { reason: 'rate_limited' | 'transient'; delayMs: number; attempt: number }) => void;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export const DEFAULT_BACKOFF_BASE_MS = 60_000;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class RequestGate {
  private tail: Promise<unknown> = Promise.resolve();
  private lastEndedAt: number | null = null;
  private count = 0;
  private readonly options: Required<Omit<PacingOptions, 'onLoginRequired' | 'onSessionRefused' | 'onWait'>> &
    Pick<PacingOptions, 'onLoginRequired' | 'onSessionRefused' | 'onWait'>;

  constructor(options: Partial<PacingOptions> = {}) {
    const pauseMin = Math.max(0, options.pauseMinMs ?? 1000);
    this.options = {
      pauseMinMs: pauseMin,
      pauseMaxMs: Math.max(pauseMin, options.pauseMaxMs ?? 3000),
      backoffBaseMs: Math.max(0, options.backoffBaseMs ?? DEFAULT_BACKOFF_BASE_MS),
      backoffMaxMs: options.backoffMaxMs ?? 30 * 60_000,
      rateLimitRetries: options.rateLimitRetries ?? 6,
      transientRetries: options.transientRetries ?? 3,
      onLoginRequired: options.onLoginRequired,
      onSessionRefused: options.onSessionRefused,
      onWait: options.onWait,
      sleep: options.sleep ?? defaultSleep,
      random: options.random ?? Math.random,
    };
  }

  /** HTTP requests sent so far (retries included). */
  get requests(): number {
    return this.count;
  }

  set onWait(listener: PacingOptions['onWait']) {
    this.options.onWait = listener;
  }

  set onLoginRequired(hook: PacingOptions['onLoginRequired']) {
    this.options.onLoginRequired = hook;
  }

  set onSessionRefused(hook: PacingOptions['onSessionRefused']) {
    this.options.onSessionRefused = hook;
  }

  /** The backoff before retry `attempt` (1-based): base·2^(attempt-1), ±25 % jitter, capped. */
  backoffDelay(attempt: number, base = this.options.backoffBaseMs): number {
    const raw = base * 2 ** (attempt - 1);
    const jitter = 0.75 + this.options.random() * 0.5;
    return Math.min(this.options.backoffMaxMs, Math.round(raw * jitter));
  }

  /**
   * Runs one request after the previous one ended and the pause elapsed. `classify` maps whatever
   * `send` throws to an InstagramError to decide on a retry; the original error is rethrown.
   */
  run<T>(send: () => Promise<T>, classify: (error: unknown) => InstagramError): Promise<T> {
    const result = this.tail.then(() => this.attempt(send, classify));
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async pause(): Promise<void> {
    if (this.lastEndedAt === null) return;
    const { pauseMinMs, pauseMaxMs } = this.options;
    const wanted = pauseMinMs + Math.round(this.options.random() * (pauseMaxMs - pauseMinMs));
    const remaining = this.lastEndedAt + wanted - Date.now();
    if (remaining > 0) await this.options.sleep(remaining);
  }

  private async attempt<T>(send: () => Promise<T>, classify: (error: unknown) => InstagramError): Promise<T> {
    let rateLimited = 0;
    let transient = 0;
    let reloaded = false;
    for (;;) {
      await this.pause();
      this.count += 1;
      try {
        const result = await send();
        this.lastEndedAt = Date.now();
        return result;
      } catch (error) {
        this.lastEndedAt = Date.now();
        const kind = classify(error);
        if (kind instanceof RateLimitedError && rateLimited < this.options.rateLimitRetries) {
          rateLimited += 1;
          await this.wait('rate_limited', this.backoffDelay(rateLimited), rateLimited);
          continue;
        }
        if (isTransient(kind) && transient < this.options.transientRetries) {
          transient += 1;
          await this.wait(
            'transient',
            this.backoffDelay(transient, Math.min(this.options.backoffBaseMs, 5000)),
            transient,
          );
          continue;
        }
        if (kind instanceof LoginRequiredError && !reloaded && this.options.onLoginRequired) {
          reloaded = true;
          if (await this.options.onLoginRequired()) continue;
        }
        if (kind instanceof LoginRequiredError) await this.options.onSessionRefused?.().catch(() => undefined);
        throw error;
      }
    }
  }

  private async wait(reason: 'rate_limited' | 'transient', delayMs: number, attempt: number): Promise<void> {
    this.options.onWait?.({ reason, delayMs, attempt });
    await this.options.sleep(delayMs);
  }
}

/** Pause and backoff settings from the environment and settings (env wins: tests set 0). */
export function pacingFromConfig(
  env: NodeJS.ProcessEnv,
  settings: { pauseMinMs: number; pauseMaxMs: number },
): Pick<PacingOptions, 'pauseMinMs' | 'pauseMaxMs' | 'backoffBaseMs'> {
  const pauseEnv = env.IGTG_SYNC_PAUSE_MS?.trim();
  const pause = pauseEnv && /^\d+$/.test(pauseEnv) ? Number(pauseEnv) : null;
  const backoffEnv = env.IGTG_BACKOFF_BASE_MS?.trim();
  const backoff = backoffEnv && /^\d+$/.test(backoffEnv) ? Number(backoffEnv) : DEFAULT_BACKOFF_BASE_MS;
  return {
    pauseMinMs: pause ?? settings.pauseMinMs,
    pauseMaxMs: pause ?? settings.pauseMaxMs,
    backoffBaseMs: backoff,
  };
}

// The RequestGate with a fake clock: pauses, backoff, retries, one request at a time.
import { describe, expect, it } from 'vitest';
import {
  FeedbackRequiredError,
  LoginRequiredError,
  RateLimitedError,
  ServerError,
  type InstagramError,
} from '../../src/instagram/errors.js';
import { RequestGate, pacingFromConfig } from '../../src/instagram/pacing.js';

const classify = (error: unknown) => error as InstagramError;

function gateWith(options: ConstructorParameters<typeof RequestGate>[0] = {}) {
  const sleeps: number[] = [];
  const gate = new RequestGate({
    pauseMinMs: 0,
    pauseMaxMs: 0,
    backoffBaseMs: 60_000,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...options,
  });
  return { gate, sleeps };
}

function failing(errors: Error[], value = 'ok') {
  let calls = 0;
  const send = async () => {
    calls += 1;
    const error = errors.shift();
    if (error) throw error;
    return value;
  };
  return { send, calls: () => calls };
}

describe('RequestGate', () => {
  it('backs off exponentially (minutes by default) on 429 and please-wait', async () => {
    const { gate, sleeps } = gateWith();
    const { send, calls } = failing([new RateLimitedError(429), new RateLimitedError(400), new RateLimitedError(429)]);
    await expect(gate.run(send, classify)).resolves.toBe('ok');
    expect(calls()).toBe(4);
    expect(sleeps).toEqual([60_000, 120_000, 240_000]);
    expect(gate.requests).toBe(4);
  });

  it('gives up after the allowed retries and never retries feedback_required', async () => {
    const { gate } = gateWith({ rateLimitRetries: 1 });
    await expect(
      gate.run(failing([new RateLimitedError(429), new RateLimitedError(429)]).send, classify),
    ).rejects.toBeInstanceOf(RateLimitedError);
    const blocked = failing([new FeedbackRequiredError()]);
    await expect(gate.run(blocked.send, classify)).rejects.toBeInstanceOf(FeedbackRequiredError);
    expect(blocked.calls()).toBe(1);
  });

  it('retries 5xx a few times with short delays', async () => {
    const { gate, sleeps } = gateWith();
    await expect(gate.run(failing([new ServerError(503), new ServerError(500)]).send, classify)).resolves.toBe('ok');
    expect(sleeps).toEqual([5000, 10_000]);
  });

  it('retries login_required once after reloading the session, then reports it', async () => {
    let reloads = 0;
    const { gate } = gateWith({
      onLoginRequired: async () => {
        reloads += 1;
        return true;
      },
    });
    await expect(gate.run(failing([new LoginRequiredError()]).send, classify)).resolves.toBe('ok');
    await expect(
      gate.run(failing([new LoginRequiredError(), new LoginRequiredError()]).send, classify),
    ).rejects.toBeInstanceOf(LoginRequiredError);
    expect(reloads).toBe(2);
  });

  it('sends one request at a time with a randomized pause between them', async () => {
    let active = 0;
    let most = 0;
    const { gate, sleeps } = gateWith({ pauseMinMs: 1000, pauseMaxMs: 3000 });
    const send = async () => {
      active += 1;
      most = Math.max(most, active);
      await new Promise((resolve) => setImmediate(resolve));
      active -= 1;
      return 1;
    };
    await Promise.all([gate.run(send, classify), gate.run(send, classify), gate.run(send, classify)]);
    expect(most).toBe(1);
    expect(sleeps).toHaveLength(2);
    for (const pause of sleeps) {
      expect(pause).toBeGreaterThan(1500);
      expect(pause).toBeLessThanOrEqual(2000);
    }
  });

  it('adds ±25% jitter to the backoff', () => {
    expect(new RequestGate({ backoffBaseMs: 1000, random: () => 0 }).backoffDelay(3)).toBe(3000);
    expect(new RequestGate({ backoffBaseMs: 1000, random: () => 1 }).backoffDelay(3)).toBe(5000);
  });
});

describe('pacingFromConfig', () => {
  it('lets IGTG_SYNC_PAUSE_MS and IGTG_BACKOFF_BASE_MS override the settings', () => {
    expect(pacingFromConfig({}, { pauseMinMs: 1000, pauseMaxMs: 3000 })).toEqual({
      pauseMinMs: 1000,
      pauseMaxMs: 3000,
      backoffBaseMs: 60_000,
    });
    expect(
      pacingFromConfig({ IGTG_SYNC_PAUSE_MS: '0', IGTG_BACKOFF_BASE_MS: '5' }, { pauseMinMs: 1000, pauseMaxMs: 3000 }),
    ).toEqual({
      pauseMinMs: 0,
      pauseMaxMs: 0,
      backoffBaseMs: 5,
    });
  });
});

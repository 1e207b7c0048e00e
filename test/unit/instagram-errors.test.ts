// Every failure body of shared/formats/ig-login-errors.json lands in its igtg error class.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  BadPasswordError,
  ChallengeRequiredError,
  FeedbackRequiredError,
  InvalidUserError,
  LoginRequiredError,
  RateLimitedError,
  RejectedError,
  ServerError,
  TwoFactorRequiredError,
  classifyResponse,
  networkError,
} from '../../src/instagram/errors.js';

const errors = JSON.parse(
  readFileSync(new URL('../fakes/instagram/fixtures/ig-login-errors.json', import.meta.url), 'utf8'),
) as Record<string, { http_status: number; body?: unknown; body_text?: string }>;

const expected: Record<string, new (...args: never[]) => Error> = {
  bad_password_2016_2019: BadPasswordError,
  bad_password_2026: BadPasswordError,
  invalid_user: InvalidUserError,
  two_factor_required: TwoFactorRequiredError,
  challenge_required: ChallengeRequiredError,
  checkpoint_required: ChallengeRequiredError,
  login_required_2017: LoginRequiredError,
  login_required_2021_2023: LoginRequiredError,
  user_has_logged_out: LoginRequiredError,
  please_wait_rate_limit: RateLimitedError,
  rate_limit_error: RateLimitedError,
  throttled_429_non_json: RateLimitedError,
  feedback_required_action_spam: FeedbackRequiredError,
  sentry_block: FeedbackRequiredError,
};

describe('classifyResponse', () => {
  for (const [name, sample] of Object.entries(errors)) {
    it(`classifies ${name}`, () => {
      const error = classifyResponse(sample.http_status, sample.body ?? sample.body_text);
      expect(error).toBeInstanceOf(expected[name]!);
      expect(error.message.split('\n')).toHaveLength(1);
    });
  }

  it('treats "please wait" as a rate limit whatever the status', () => {
    expect(
      classifyResponse(400, { message: 'Please wait a few minutes before you try again.', status: 'fail' }),
    ).toBeInstanceOf(RateLimitedError);
    expect(classifyResponse(200, '<html>Please wait a few minutes</html>')).toBeInstanceOf(RateLimitedError);
  });

  it('separates server errors from other refusals and keeps details short', () => {
    expect(classifyResponse(502, '<html>bad gateway</html>')).toBeInstanceOf(ServerError);
    const refused = classifyResponse(400, { message: `x${'y'.repeat(300)}\nsecond line`, status: 'fail' });
    expect(refused).toBeInstanceOf(RejectedError);
    expect(refused.message.length).toBeLessThan(160);
  });

  it('shows only the host and the code of a network failure', () => {
    expect(networkError('https://user:secret@i.instagram.com/api?x=1', 'ECONNRESET').message).toBe(
      'cannot reach Instagram at i.instagram.com (ECONNRESET); check the connection or the proxy',
    );
  });
});

// Instagram failures in igtg's own terms. The adapter turns every library error into one of these
// (via classifyResponse / networkError); each carries a one-line message for the user and never
// any cookie, token or password.
import { ExitCode, IgtgError } from '../core/errors.js';

export type InstagramErrorKind =
  | 'bad_password'
  | 'invalid_user'
  | 'two_factor_required'
  | 'challenge_required'
  | 'login_required'
  | 'feedback_required'
  | 'rate_limited'
  | 'server_error'
  | 'network'
  | 'bad_code'
  | 'not_logged_in'
  | 'rejected';

export class InstagramError extends IgtgError {
  constructor(
    readonly kind: InstagramErrorKind,
    message: string,
    options?: { cause?: unknown; exitCode?: number },
  ) {
    super(message, options?.exitCode ?? ExitCode.user, options);
    this.name = 'InstagramError';
  }
}

export class BadPasswordError extends InstagramError {
  constructor() {
    super(
      'bad_password',
      'Instagram rejected the password; if it is right, log in with your browser cookies instead (igtg login --cookies FILE)',
    );
  }
}

export class InvalidUserError extends InstagramError {
  constructor() {
    super('invalid_user', 'Instagram knows no account with that username');
  }
}

export class TwoFactorRequiredError extends InstagramError {
  constructor() {
    super('two_factor_required', 'Instagram asks for a two-factor code; run `igtg login` to enter it');
  }
}

export class ChallengeRequiredError extends InstagramError {
  constructor() {
    super(
      'challenge_required',
      'Instagram wants to verify this login (challenge/checkpoint); open the Instagram app, then run `igtg login`',
    );
  }
}

export class LoginRequiredError extends InstagramError {
  constructor() {
    super('login_required', 'Instagram ended this session (login_required); run `igtg login` again');
  }
}

export class FeedbackRequiredError extends InstagramError {
  constructor(detail = 'feedback_required') {
    super(
      'feedback_required',
      `Instagram blocked this action (${detail}); stopped to protect the account — wait a few hours, check the Instagram app, then \`igtg login\` if it asks`,
    );
  }
}

export class RateLimitedError extends InstagramError {
  constructor(readonly status: number | null) {
    super(
      'rate_limited',
      `Instagram asks to slow down (${status === 429 ? 'HTTP 429' : 'please wait a few minutes'}); try again later`,
    );
  }
}

export class ServerError extends InstagramError {
  constructor(readonly status: number) {
    super('server_error', `Instagram is having trouble (HTTP ${status}); try again later`);
  }
}

export class InstagramNetworkError extends InstagramError {
  constructor(
    readonly host: string,
    readonly code: string | null,
  ) {
    super('network', `cannot reach Instagram at ${host}${code ? ` (${code})` : ''}; check the connection or the proxy`);
  }
}

export class BadCodeError extends InstagramError {
  constructor(command: string) {
    super('bad_code', `Instagram did not accept that code; check it and run \`${command}\` again`);
  }
}

export class NotLoggedInError extends InstagramError {
  /** `waitingForCode`: a login was begun and waits for its two-factor or challenge code. */
  constructor(waitingForCode = false) {
    super(
      'not_logged_in',
      waitingForCode
        ? 'not logged in to Instagram yet: a login waits for its security code; finish it with `igtg login --code CODE`'
        : 'not logged in to Instagram; run `igtg login` first',
    );
  }
}

export class RejectedError extends InstagramError {
  constructor(
    readonly status: number,
    detail: string,
  ) {
    super('rejected', `Instagram refused the request (HTTP ${status}${detail ? `: ${detail}` : ''})`);
  }
}

/** Errors worth waiting out and retrying (the rest stop the command). */
export function isTransient(error: unknown): boolean {
  return error instanceof ServerError || error instanceof InstagramNetworkError;
}

const PLEASE_WAIT = /please wait a few minutes/i;

function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  try {
    return JSON.stringify(body) ?? '';
  } catch {
    return '';
  }
}

/** A short, printable excerpt of Instagram's own message (never the whole body). */
function detailOf(body: Record<string, unknown>): string {
  const message = typeof body.message === 'string' ? body.message : '';
  // eslint-disable-next-line no-control-regex
  const oneLine = message.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return oneLine.length > 100 ? `${oneLine.slice(0, 97)}...` : oneLine;
}

/**
 * Classifies a failed response by its status and body (JSON object, or text when Instagram sent
 * HTML). The order follows what long-lived clients learned: "please wait" wins over any status.
 */
export function classifyResponse(status: number, body: unknown): InstagramError {
  const text = bodyText(body);
  const json = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const message = typeof json.message === 'string' ? json.message : '';
  const errorType = typeof json.error_type === 'string' ? json.error_type : '';
  if (PLEASE_WAIT.test(message) || (typeof body === 'string' && PLEASE_WAIT.test(text)))
    return new RateLimitedError(status);
  if (json.two_factor_required === true || json.two_factor_info) return new TwoFactorRequiredError();
  if (errorType === 'bad_password') return new BadPasswordError();
  if (errorType === 'invalid_user') return new InvalidUserError();
  if (
    message === 'challenge_required' ||
    message === 'checkpoint_required' ||
    errorType === 'checkpoint_challenge_required' ||
    json.checkpoint_url !== undefined
  ) {
    return new ChallengeRequiredError();
  }
  if (message === 'login_required' || message === 'user_has_logged_out') return new LoginRequiredError();
  if (json.spam === true || message === 'feedback_required' || json.feedback_title === 'feedback_required') {
    return new FeedbackRequiredError();
  }
  if (errorType === 'sentry_block') return new FeedbackRequiredError('sentry_block');
  if (errorType === 'rate_limit_error' || status === 429) return new RateLimitedError(status);
  if (status >= 500) return new ServerError(status);
  return new RejectedError(status, detailOf(json));
}

/** A network failure (refused, reset, timeout, DNS): only the host and the error code are shown. */
export function networkError(baseUrl: string, code: string | null | undefined): InstagramNetworkError {
  let host = baseUrl;
  try {
    host = new URL(baseUrl).host;
  } catch {
    // keep what we were given
  }
  return new InstagramNetworkError(host, code && /^[A-Z_0-9]{2,40}$/.test(code) ? code : null);
}

// Password login and what may follow it (two-factor, challenge), on the library's repositories.
// Pending logins are turned into plain data (PendingLogin) so another process can finish them.
import type { User } from '../../core/model.js';
import type { ChallengeMethod, CodeRequest, PendingLogin } from '../client.js';
import { BadCodeError, ChallengeRequiredError, InstagramError, RejectedError } from '../errors.js';
import { obj, str, type Json } from '../ig-values.js';
import { mapUser } from '../map-thread.js';
import {
  IgChallengeWrongCodeError,
  IgCheckpointError,
  IgLoginTwoFactorRequiredError,
  type IgApiClient,
} from './library.js';
import { toInstagramError } from './library-errors.js';

export type FlowResult =
  { status: 'ok'; user: User } | { status: 'needs_code'; request: CodeRequest; data: Record<string, string> };

const RETRY_HINT = 'igtg login --code CODE';

function loggedInUser(body: unknown): User | null {
  return mapUser(obj(obj(body)?.logged_in_user));
}

function twoFactorRequest(info: Json, username: string): FlowResult {
  const totp = info.totp_two_factor_on === true;
  const phone = str(info.obfuscated_phone_number);
  return {
    status: 'needs_code',
    request: {
      kind: 'two_factor',
      method: totp ? 'totp' : 'sms',
      destination: totp ? null : `the number ending in ${phone ?? '…'}`,
      canResend: info.sms_two_factor_on === true,
    },
    data: {
      identifier: str(info.two_factor_identifier) ?? '',
      method: totp ? '3' : '1',
      username: str(info.username) ?? username,
    },
  };
}

const METHOD_CHOICE: Record<ChallengeMethod, string> = { sms: '0', email: '1' };

type ChallengeRequest = Extract<CodeRequest, { kind: 'challenge' }>;

function challengeRequest(step: Json | null): ChallengeRequest {
  const name = str(step?.step_name) ?? '';
  const data = obj(step?.step_data) ?? {};
  if (name === 'select_verify_method') {
    const choices: Array<{ method: ChallengeMethod; label: string }> = [];
    if (str(data.phone_number)) choices.push({ method: 'sms', label: `SMS to ${str(data.phone_number)}` });
    if (str(data.email)) choices.push({ method: 'email', label: `email to ${str(data.email)}` });
    if (choices.length === 0) choices.push({ method: 'email', label: 'email' }, { method: 'sms', label: 'SMS' });
    return { kind: 'challenge', method: null, choices, destination: null };
  }
  const method: ChallengeMethod = /phone|sms/i.test(`${name} ${String(data.form_type ?? '')}`) ? 'sms' : 'email';
  return { kind: 'challenge', method, choices: [], destination: str(data.contact_point) };
}

function apiPathOf(ig: IgApiClient): string {
  const checkpoint = (ig.state as unknown as { checkpoint?: { challenge?: { api_path?: string } } | null }).checkpoint;
  const path = checkpoint?.challenge?.api_path;
  if (!path) throw new ChallengeRequiredError();
  return path;
}

export function restoreCheckpoint(ig: IgApiClient, data: Record<string, string>): void {
  if (!data.apiPath) throw new ChallengeRequiredError();
  (ig.state as unknown as { checkpoint: unknown }).checkpoint = { challenge: { api_path: data.apiPath } };
}

export async function passwordLogin(
  ig: IgApiClient,
  username: string,
  password: string,
  apiUrl: string,
): Promise<FlowResult> {
  try {
    const raw = await ig.account.login(username, password);
    const user = mapUser(raw as unknown as Json);
    if (!user) throw new RejectedError(200, 'login answered without a user');
    return { status: 'ok', user };
  } catch (error) {
    if (error instanceof IgLoginTwoFactorRequiredError) {
      const info = obj(obj((error as unknown as { response: { body: unknown } }).response.body)?.two_factor_info) ?? {};
      return twoFactorRequest(info, username);
    }
    if (error instanceof IgCheckpointError) {
      const apiPath = apiPathOf(ig);
      const step = await ig.challenge.state().catch((stateError: unknown) => {
        throw toInstagramError(stateError, apiUrl);
      });
      return { status: 'needs_code', request: challengeRequest(obj(step)), data: { apiPath } };
    }
    throw toInstagramError(error, apiUrl);
  }
}

function codeError(error: unknown, apiUrl: string): InstagramError {
  if (error instanceof IgChallengeWrongCodeError) return new BadCodeError(RETRY_HINT);
  const classified = toInstagramError(error, apiUrl);
  return classified instanceof RejectedError && classified.status === 400 ? new BadCodeError(RETRY_HINT) : classified;
}

export async function submitLoginCode(
  ig: IgApiClient,
  pending: PendingLogin,
  code: string,
  apiUrl: string,
): Promise<User | null> {
  const clean = code.replace(/\s+/g, '');
  if (pending.request.kind === 'two_factor') {
    try {
      const body = await ig.account.twoFactorLogin({
        username: pending.data.username ?? pending.username,
        verificationCode: clean,
        twoFactorIdentifier: pending.data.identifier ?? '',
        verificationMethod: pending.data.method ?? '1',
        trustThisDevice: '1',
      });
      return loggedInUser(body);
    } catch (error) {
      throw codeError(error, apiUrl);
    }
  }
  restoreCheckpoint(ig, pending.data);
  try {
    const body = await ig.challenge.sendSecurityCode(clean);
    return loggedInUser(body);
  } catch (error) {
    throw codeError(error, apiUrl);
  }
}

export async function chooseMethod(
  ig: IgApiClient,
  pending: PendingLogin,
  method: ChallengeMethod,
  apiUrl: string,
): Promise<CodeRequest> {
  restoreCheckpoint(ig, pending.data);
  try {
    const step = await ig.challenge.selectVerifyMethod(METHOD_CHOICE[method]);
    const request = challengeRequest(obj(step));
    return { ...request, method: request.method ?? method };
  } catch (error) {
    throw toInstagramError(error, apiUrl);
  }
}

export async function resend(ig: IgApiClient, pending: PendingLogin, apiUrl: string): Promise<Record<string, string>> {
  try {
    if (pending.request.kind === 'two_factor') {
      const { body } = await ig.request.send({
        url: '/api/v1/accounts/send_two_factor_login_sms/',
        method: 'POST',
        form: ig.request.sign({
          two_factor_identifier: pending.data.identifier,
          username: pending.data.username ?? pending.username,
          guid: ig.state.uuid,
          device_id: ig.state.deviceId,
          _csrftoken: ig.state.cookieCsrfToken,
        }),
      });
      const identifier = str(obj(obj(body)?.two_factor_info)?.two_factor_identifier);
      return identifier ? { ...pending.data, identifier } : pending.data;
    }
    restoreCheckpoint(ig, pending.data);
    const method = pending.request.method ?? 'email';
    await ig.challenge.replay(METHOD_CHOICE[method]);
    return pending.data;
  } catch (error) {
    throw toInstagramError(error, apiUrl);
  }
}

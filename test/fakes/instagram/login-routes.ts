// qe/sync, accounts/login, two-factor and challenge endpoints of the fake, with the bodies of
// shared/formats/ig-login-*.json.
import { randomBytes } from 'node:crypto';
import type { FakeInstagramState } from './fake-state.js';
import { fail, ok, type Form, type Reply } from './http-util.js';
import { decryptPassword, type PasswordKey } from './password-crypto.js';
import { userJson } from './thread-json.js';

export interface LoginContext {
  state: FakeInstagramState;
  key: PasswordKey;
  /** Pending two-factor identifiers and challenge paths. */
  twoFactor: Map<string, { method: 'sms' | 'totp' }>;
  challenges: Map<string, { step: 'select' | 'code'; method: 'sms' | 'email' | null }>;
}

function loggedIn(ctx: LoginContext): Reply {
  const { state } = ctx;
  const sessionid = state.newSession();
  const auth = Buffer.from(
    JSON.stringify({ ds_user_id: state.viewer.pk, sessionid: decodeURIComponent(sessionid) }),
  ).toString('base64');
  return ok(
    { logged_in_user: { ...userJson(state.viewer), is_private: false, account_type: 1 }, session_flush_nonce: null },
    {
      headers: { 'ig-set-authorization': `Bearer IGT:2:${auth}`, 'ig-set-x-mid': 'Xlj5PgALAAGDe8LS6ehFhHVYc-jN' },
      cookies: {
        sessionid,
        ds_user_id: state.viewer.pk,
        csrftoken: randomBytes(16).toString('hex'),
        mid: 'Xlj5PgALAAGDe8LS6ehFhHVYc-jN',
        rur: '"FRC\\0541098765432\\0541790000000:01f7"',
      },
    },
  );
}

export function qeSync(ctx: LoginContext): Reply {
  return ok(
    { experiments: [] },
    {
      headers: {
        'ig-set-password-encryption-key-id': String(ctx.key.keyId),
        'ig-set-password-encryption-pub-key': ctx.key.publicKeyBase64,
      },
      cookies: { csrftoken: randomBytes(16).toString('hex'), mid: 'Xlj5PgALAAGDe8LS6ehFhHVYc-jN' },
    },
  );
}

function twoFactorRequired(ctx: LoginContext, method: 'sms' | 'totp'): Reply {
  const identifier = randomBytes(6).toString('base64url');
  ctx.twoFactor.set(identifier, { method });
  if (method === 'sms') ctx.state.codesSent += 1;
  const info = {
    username: ctx.state.viewer.username,
    sms_two_factor_on: method === 'sms',
    totp_two_factor_on: method === 'totp',
    obfuscated_phone_number: '3231',
    two_factor_identifier: identifier,
    show_messenger_code_option: false,
    show_new_login_screen: true,
    show_trusted_device_option: true,
    phone_verification_settings: {
      max_sms_count: 2,
      resend_sms_delay_sec: 60,
      robocall_count_down_time_sec: 30,
      robocall_after_max_sms: true,
    },
  };
  return fail(400, {
    message: '',
    two_factor_required: true,
    two_factor_info: info,
    phone_verification_settings: info.phone_verification_settings,
  });
}

function challengeRequired(ctx: LoginContext): Reply {
  const path = `/challenge/${ctx.state.viewer.pk}/${randomBytes(5).toString('base64url')}/`;
  ctx.challenges.set(path, { step: 'select', method: null });
  return fail(400, {
    message: 'challenge_required',
    challenge: {
      url: `https://i.instagram.com${path}`,
      api_path: path,
      hide_webview_header: true,
      lock: true,
      logout: false,
      native_flow: true,
    },
    error_type: 'checkpoint_challenge_required',
  });
}

export function login(ctx: LoginContext, form: Form): Reply {
  const { state } = ctx;
  const behaviour = state.loginBehaviours.shift();
  if (behaviour === 'please_wait') return fail(400, { message: 'Please wait a few minutes before you try again.' });
  if (behaviour === 'invalid_user' || form.username !== state.viewer.username) {
    return fail(400, {
      message:
        "The username you entered doesn't appear to belong to an account. Please check your username and try again.",
      error_title: 'Incorrect username',
      invalid_credentials: true,
      error_type: 'invalid_user',
    });
  }
  const password = decryptPassword(ctx.key, form.enc_password ?? '');
  if (behaviour === 'bad_password' || password !== state.password) {
    return fail(400, {
      message: 'The password you entered is incorrect. Please try again.',
      invalid_credentials: true,
      error_title: `Incorrect password for ${state.viewer.username}`,
      error_type: 'bad_password',
    });
  }
  if (behaviour === 'two_factor') return twoFactorRequired(ctx, 'sms');
  if (behaviour === 'two_factor_totp') return twoFactorRequired(ctx, 'totp');
  if (behaviour === 'challenge') return challengeRequired(ctx);
  return loggedIn(ctx);
}

export function twoFactorLogin(ctx: LoginContext, form: Form): Reply {
  const pending = ctx.twoFactor.get(form.two_factor_identifier ?? '');
  if (!pending) return fail(400, { message: 'Invalid two-factor identifier', error_type: 'invalid_identifier' });
  const expectedMethod = pending.method === 'totp' ? '3' : '1';
  if (form.verification_code !== ctx.state.code || form.verification_method !== expectedMethod) {
    return fail(400, {
      message: 'Please check the security code and try again.',
      error_type: 'sms_code_validation_code_invalid',
    });
  }
  ctx.twoFactor.delete(form.two_factor_identifier!);
  return loggedIn(ctx);
}

export function resendTwoFactor(ctx: LoginContext, form: Form): Reply {
  const pending = ctx.twoFactor.get(form.two_factor_identifier ?? '');
  if (!pending) return fail(400, { message: 'Invalid two-factor identifier' });
  ctx.state.codesSent += 1;
  return ok({
    two_factor_info: {
      two_factor_identifier: form.two_factor_identifier,
      obfuscated_phone_number: '3231',
      sms_two_factor_on: true,
    },
  });
}

function selectStep(ctx: LoginContext): Reply {
  return ok({
    step_name: 'select_verify_method',
    step_data: {
      choice: '1',
      fb_access_token: 'None',
      big_blue_token: 'None',
      google_oauth_token: 'true',
      email: 'a***m@e*****e.com',
      phone_number: '+1 ***-***-**31',
    },
    user_id: Number(ctx.state.viewer.pk),
    nonce_code: 'abc',
  });
}

function codeStep(ctx: LoginContext, method: 'sms' | 'email'): Reply {
  ctx.state.codesSent += 1;
  return ok({
    step_name: method === 'sms' ? 'verify_code' : 'verify_email',
    step_data: {
      security_code: 'None',
      resend_delay: 60,
      contact_point: method === 'sms' ? '+1 ***-***-**31' : 'a***m@e*****e.com',
      form_type: method === 'sms' ? 'phone_number' : 'email',
    },
    user_id: Number(ctx.state.viewer.pk),
  });
}

/** GET/POST /api/v1/challenge/..., /challenge/replay/..., /challenge/reset/... */
export function challenge(ctx: LoginContext, method: string, path: string, form: Form): Reply {
  const kind = /\/challenge\/(replay|reset)\//.exec(path)?.[1] ?? null;
  const key = path.replace(/^\/api\/v1/, '').replace(/\/challenge\/(replay|reset)\//, '/challenge/');
  const pending = ctx.challenges.get(key);
  if (!pending) return fail(400, { message: 'challenge not found' });
  if (method === 'GET' || kind === 'reset') {
    pending.step = 'select';
    return selectStep(ctx);
  }
  if (form.choice !== undefined) {
    pending.step = 'code';
    pending.method = form.choice === '0' ? 'sms' : 'email';
    return codeStep(ctx, pending.method);
  }
  if (form.security_code !== undefined) {
    if (pending.step !== 'code' || form.security_code !== ctx.state.code) {
      return fail(400, { message: 'Please check the code we sent you and try again.' });
    }
    ctx.challenges.delete(key);
    const reply = loggedIn(ctx);
    (reply.body as Record<string, unknown>).action = 'close';
    return reply;
  }
  return fail(400, { message: 'unexpected challenge request' });
}

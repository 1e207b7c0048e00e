// What `igtg login` does, for both the ink flow and the non-interactive path: password login,
// codes, resends, challenge methods, cookie logins, and keeping the pending login between two
// processes. The session itself is saved by the connection's SessionKeeper.
import { IgtgError } from '../../core/errors.js';
import { LoginRequiredError } from '../../instagram/errors.js';
import type { User } from '../../core/model.js';
import type {
  BrowserCookies,
  ChallengeMethod,
  CodeRequest,
  InstagramClient,
  PendingLogin,
} from '../../instagram/client.js';
import { pendingLoginState } from '../../instagram/pending-login-age.js';
import { InstagramSecrets } from '../../instagram/secret-names.js';
import type { SecretStore } from '../../secrets/secret-store.js';

export type StepResult = { status: 'ok'; user: User } | { status: 'needs_code'; request: CodeRequest };

/** The part of the service the ink flow uses (its tests give it a double). */
export interface LoginSteps {
  start(username: string, password: string): Promise<StepResult>;
  submit(code: string): Promise<StepResult>;
  resend(): Promise<CodeRequest>;
  choose(method: ChallengeMethod): Promise<CodeRequest>;
}

export class NoPendingLoginError extends IgtgError {
  constructor(expired = false) {
    super(
      expired
        ? 'the pending Instagram login expired; run `igtg login` again'
        : 'no login is waiting for a code; run `igtg login` first',
    );
    this.name = 'NoPendingLoginError';
  }
}

export class LoginService implements LoginSteps {
  constructor(
    private readonly client: InstagramClient,
    private readonly secrets: SecretStore,
    private readonly now: () => number = Date.now,
  ) {}

  private async keepPending(pending: PendingLogin): Promise<StepResult> {
    await this.secrets.set(InstagramSecrets.pendingLogin, JSON.stringify(pending));
    return { status: 'needs_code', request: pending.request };
  }

  private async loggedIn(user: User): Promise<StepResult> {
    await this.secrets.delete(InstagramSecrets.pendingLogin);
    if (user.username) await this.secrets.set(InstagramSecrets.username, user.username);
    return { status: 'ok', user };
  }

  async pending(): Promise<PendingLogin> {
    const text = await this.secrets.get(InstagramSecrets.pendingLogin);
    if (!text) throw new NoPendingLoginError();
    let pending: PendingLogin;
    try {
      pending = JSON.parse(text) as PendingLogin;
    } catch {
      await this.secrets.delete(InstagramSecrets.pendingLogin);
      throw new NoPendingLoginError();
    }
    if (pending.version !== 1 || pendingLoginState(text, this.now()) !== 'waiting') {
      await this.secrets.delete(InstagramSecrets.pendingLogin);
      throw new NoPendingLoginError(true);
    }
    return pending;
  }

  async start(username: string, password: string): Promise<StepResult> {
    await this.secrets.delete(InstagramSecrets.pendingLogin);
    const outcome = await this.client.login(username, password);
    return outcome.status === 'ok' ? this.loggedIn(outcome.user) : this.keepPending(outcome.pending);
  }

  async submit(code: string): Promise<StepResult> {
    const pending = await this.pending();
    const outcome = await this.client.submitCode(pending, code);
    return outcome.status === 'ok' ? this.loggedIn(outcome.user) : this.keepPending(outcome.pending);
  }

  async resend(): Promise<CodeRequest> {
    const pending = await this.client.resendCode(await this.pending());
    await this.keepPending(pending);
    return pending.request;
  }

  async choose(method: ChallengeMethod): Promise<CodeRequest> {
    const pending = await this.client.chooseChallengeMethod(await this.pending(), method);
    await this.keepPending(pending);
    return pending.request;
  }

  async withCookies(cookies: BrowserCookies): Promise<User> {
    let user: User;
    try {
      user = await this.client.loginWithCookies(cookies);
    } catch (error) {
      // Not a session that ended: one that never was (mistyped, copied from a logged-out browser).
      if (!(error instanceof LoginRequiredError)) throw error;
      throw new IgtgError(
        'Instagram did not accept that session cookie (login_required): copy the sessionid again from a ' +
          'browser logged in to instagram.com',
        undefined,
        { cause: error },
      );
    }
    await this.loggedIn(user);
    return user;
  }
}

/** Forgets the session, a pending login and the username (the device identity stays); true if there was a session. */
export async function forgetInstagramLogin(secrets: Pick<SecretStore, 'get' | 'delete'>): Promise<boolean> {
  const had = (await secrets.get(InstagramSecrets.session)) !== null;
  await secrets.delete(InstagramSecrets.session);
  await secrets.delete(InstagramSecrets.pendingLogin);
  await secrets.delete(InstagramSecrets.username);
  return had;
}

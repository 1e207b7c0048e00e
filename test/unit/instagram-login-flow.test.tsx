// The ink login flow, rendered with ink-testing-library and driven like a person at a terminal.
// Its LoginSteps are a test double; the real steps are covered by the e2e login tests.
import { afterEach, describe, expect, it } from 'vitest';
import type { User } from '../../src/core/model.js';
import type { ChallengeMethod, CodeRequest } from '../../src/instagram/client.js';
import { BadCodeError, BadPasswordError } from '../../src/instagram/errors.js';
import type { LoginSteps, StepResult } from '../../src/cli/login-flow/login-service.js';
import { ARROW_DOWN, ENTER, TAB, startLoginApp, type LoginDriver } from '../fakes/instagram/ink-driver.js';

const ALEX: User = { id: '1098765432', username: 'alex.kim', fullName: 'Alex Kim', profilePicUrl: null };

class StepsDouble implements LoginSteps {
  readonly calls: string[] = [];
  constructor(private readonly first: CodeRequest | null) {}

  async start(username: string, password: string): Promise<StepResult> {
    this.calls.push(`start ${username} ${password}`);
    if (password !== 'secret') throw new BadPasswordError();
    return this.first ? { status: 'needs_code', request: this.first } : { status: 'ok', user: ALEX };
  }
  async submit(code: string): Promise<StepResult> {
    this.calls.push(`submit ${code}`);
    if (code !== '123456') throw new BadCodeError('igtg login --code CODE');
    return { status: 'ok', user: ALEX };
  }
  async resend(): Promise<CodeRequest> {
    this.calls.push('resend');
    return this.first!;
  }
  async choose(method: ChallengeMethod): Promise<CodeRequest> {
    this.calls.push(`choose ${method}`);
    return { kind: 'challenge', method, choices: [], destination: method === 'sms' ? '+1 ***-**31' : 'a***@e***.com' };
  }
}

let app: LoginDriver | null = null;

afterEach(async () => {
  await app?.unmount();
  app = null;
});

describe('interactive login', () => {
  it('asks for the username and a masked password, and retries a wrong password', async () => {
    const steps = new StepsDouble(null);
    app = await startLoginApp(steps);
    const { result } = app;
    await app.until('Username:');
    await app.type('alex.kim');
    await app.press(ENTER);
    await app.until('Password:');
    await app.type('wrong');
    expect(app.lastFrame()).toContain('Password: *****');
    expect(app.lastFrame()).not.toContain('wrong');
    await app.press(ENTER);
    await app.until('Instagram rejected the password');
    await app.type('secret');
    await app.press(ENTER);
    await app.until('Logged in as alex.kim');
    expect(result.user).toEqual(ALEX);
    expect(steps.calls).toEqual(['start alex.kim wrong', 'start alex.kim secret']);
  });

  it('takes a two-factor code, resends it with Tab, and retries a wrong code', async () => {
    const steps = new StepsDouble({
      kind: 'two_factor',
      method: 'sms',
      destination: 'the number ending in 3231',
      canResend: true,
    });
    app = await startLoginApp(steps, 'alex.kim');
    const { result } = app;
    await app.until('Password:');
    await app.type('secret');
    await app.press(ENTER);
    await app.until('two-factor code by SMS to the number ending in 3231');
    await app.press(TAB);
    await app.until('A new code is on its way');
    await app.type('000000');
    await app.press(ENTER);
    await app.until('That code was not accepted');
    await app.type('123456');
    await app.press(ENTER);
    await app.until('Logged in as alex.kim');
    expect(result.user?.id).toBe('1098765432');
    expect(steps.calls).toEqual(['start alex.kim secret', 'resend', 'submit 000000', 'submit 123456']);
  });

  it('lets the person choose where a challenge code goes, then takes it', async () => {
    const steps = new StepsDouble({
      kind: 'challenge',
      method: null,
      choices: [
        { method: 'sms', label: 'SMS to +1 ***-**31' },
        { method: 'email', label: 'email to a***@e***.com' },
      ],
      destination: null,
    });
    app = await startLoginApp(steps, 'alex.kim');
    const { result } = app;
    await app.until('Password:');
    await app.type('secret');
    await app.press(ENTER);
    await app.until('Where should it send a security code?');
    await app.press(ARROW_DOWN);
    await app.until('❯ email to a***@e***.com');
    await app.press(ENTER);
    await app.until('Instagram sent a security code to a***@e***.com');
    await app.type('123456');
    await app.press(ENTER);
    await app.until('Logged in');
    expect(result.user?.username).toBe('alex.kim');
    expect(steps.calls).toEqual(['start alex.kim secret', 'choose email', 'submit 123456']);
  });

  it('ends the flow with any other error', async () => {
    const steps = new StepsDouble(null);
    steps.start = async () => {
      throw new Error('network down');
    };
    app = await startLoginApp(steps, 'alex.kim');
    const { result } = app;
    await app.until('Password:');
    await app.type('x');
    await app.press(ENTER);
    await app.until('Logging in');
    for (let i = 0; i < 400 && !result.error; i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
    expect((result.error as Error).message).toBe('network down');
  });
});

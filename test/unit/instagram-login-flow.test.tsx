// The ink login flow, rendered with ink-testing-library and driven like a person at a terminal.
// Its LoginSteps are a test double; the real steps are covered by the e2e login tests.
import { EventEmitter } from 'node:events';
import { render } from 'ink';
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { User } from '../../src/core/model.js';
import type { ChallengeMethod, CodeRequest } from '../../src/instagram/client.js';
import { BadCodeError, BadPasswordError } from '../../src/instagram/errors.js';
import { LoginApp } from '../../src/cli/login-flow/LoginApp.js';
import type { LoginSteps, StepResult } from '../../src/cli/login-flow/login-service.js';
import { ARROW_DOWN, ENTER, TAB, startLoginApp, type LoginDriver } from '../fakes/instagram/ink-driver.js';

const CTRL_D = '\u0004';

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

describe('pasted input', () => {
  it('submits a pasted password that ends in a carriage return, without the return', async () => {
    const steps = new StepsDouble(null);
    app = await startLoginApp(steps, 'alex.kim');
    await app.until('Password:');
    await app.press('secret\r');
    await app.until('Logged in as alex.kim');
    expect(steps.calls).toEqual(['start alex.kim secret']);
  });

  it('submits a pasted username that ends in a line feed, and drops what follows the newline', async () => {
    const steps = new StepsDouble(null);
    app = await startLoginApp(steps);
    await app.until('Username:');
    await app.press('alex.kim\nsecret');
    await app.until('Password:');
    expect(app.lastFrame()).toContain('Username: alex.kim');
    expect(app.lastFrame()).toMatch(/Password: *$/m);
    await app.press('secret\r\n');
    await app.until('Logged in as alex.kim');
    expect(steps.calls).toEqual(['start alex.kim secret']);
  });

  it('submits a pasted code that ends in a newline', async () => {
    const steps = new StepsDouble({ kind: 'two_factor', method: 'totp', destination: null, canResend: false });
    app = await startLoginApp(steps, 'alex.kim');
    await app.until('Password:');
    await app.type('secret');
    await app.press(ENTER);
    await app.until('authenticator app');
    await app.press('123 456\r');
    await app.until('Logged in as alex.kim');
    expect(steps.calls).toEqual(['start alex.kim secret', 'submit 123456']);
  });
});

/** The parts of a terminal's stdin and stdout that ink uses, kept in memory. */
class TerminalIn extends EventEmitter {
  isTTY = true;
  private pending: string | null = null;
  async type(text: string) {
    await act(async () => {
      this.pending = text;
      this.emit('readable');
    });
  }
  read() {
    const chunk = this.pending;
    this.pending = null;
    return chunk;
  }
  setEncoding() {}
  setRawMode() {}
  ref() {}
  unref() {}
}

class TerminalOut extends EventEmitter {
  columns = 100;
  lastFrame = '';
  write(frame: string) {
    this.lastFrame = frame;
    return true;
  }
}

describe('Ctrl-D at a prompt', () => {
  // Rendered as run-tty-login renders it, where Ctrl-C ends the app and the login is cancelled.
  it('ends the app as Ctrl-C does, without typing a "d" into the field', async () => {
    const steps = new StepsDouble(null);
    const stdin = new TerminalIn();
    const stdout = new TerminalOut();
    let exited!: Promise<unknown>;
    await act(async () => {
      const instance = render(<LoginApp steps={steps} initialUsername={null} onDone={() => {}} onFail={() => {}} />, {
        stdin: stdin as unknown as NodeJS.ReadStream,
        stdout: stdout as unknown as NodeJS.WriteStream,
        exitOnCtrlC: true,
        patchConsole: false,
      });
      exited = instance.waitUntilExit();
    });
    await stdin.type('alex');
    await stdin.type(CTRL_D);
    await expect(exited).resolves.toBeUndefined();
    expect(stdout.lastFrame).not.toContain('alexd');
    expect(steps.calls).toEqual([]);
  });

  it('ends the login from the password field before anything is submitted', async () => {
    const steps = new StepsDouble(null);
    app = await startLoginApp(steps, 'alex.kim');
    await app.until('Password:');
    await app.type('secre');
    await app.press(CTRL_D);
    expect(app.lastFrame()).not.toContain('******');
    await app.press('t\r');
    expect(steps.calls).toEqual([]);
    expect(app.result).toEqual({ user: null, error: null });
  });
});

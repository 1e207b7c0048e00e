// Drives the ink login flow like a person at a terminal: every key is sent inside act(), so React
// has rendered and run its effects (and the focused field listens) before the next key.
import { render } from 'ink-testing-library';
import { act } from 'react';
import type { User } from '../../../src/core/model.js';
import { LoginApp } from '../../../src/cli/login-flow/LoginApp.js';
import type { LoginSteps } from '../../../src/cli/login-flow/login-service.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

export const ENTER = '\r';
export const TAB = '\t';
export const ARROW_DOWN = '\u001b[B';

export interface LoginDriver {
  result: { user: User | null; error: unknown };
  lastFrame(): string;
  /** Waits until the screen shows `text` (the steps answer asynchronously). */
  until(text: string): Promise<string>;
  press(keys: string): Promise<void>;
  type(text: string): Promise<void>;
  unmount(): Promise<void>;
}

// eslint-disable-next-line no-control-regex
const plain = (frame: string | undefined) => (frame ?? '').replace(/\u001b\[[0-9;]*m/g, '');

export async function startLoginApp(steps: LoginSteps, username: string | null = null): Promise<LoginDriver> {
  const result: LoginDriver['result'] = { user: null, error: null };
  let instance!: ReturnType<typeof render>;
  await act(async () => {
    instance = render(
      <LoginApp
        steps={steps}
        initialUsername={username}
        onDone={(user) => (result.user = user)}
        onFail={(error) => (result.error = error)}
      />,
    );
  });
  const press = async (keys: string) => {
    await act(async () => {
      instance.stdin.write(keys);
    });
  };
  return {
    result,
    lastFrame: () => plain(instance.lastFrame()),
    until: async (text) => {
      for (let i = 0; i < 2000; i += 1) {
        if (plain(instance.lastFrame()).includes(text)) return plain(instance.lastFrame());
        await act(async () => {
          await new Promise((resolve) => setTimeout(resolve, 5));
        });
      }
      throw new Error(`never showed "${text}"; last frame:\n${plain(instance.lastFrame())}`);
    },
    press,
    type: async (text) => {
      for (const char of text) await press(char);
    },
    unmount: async () => {
      await act(async () => {
        instance.unmount();
      });
    },
  };
}

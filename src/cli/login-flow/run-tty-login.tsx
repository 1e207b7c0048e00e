// Renders the ink login flow on the terminal and resolves with the logged-in user (null when the
// person pressed Ctrl-C). Only `igtg login` on a terminal loads ink and React.
import { render } from 'ink';
import type { User } from '../../core/model.js';
import { LoginApp } from './LoginApp.js';
import type { LoginSteps, StepResult } from './login-service.js';

export interface TtyLoginOptions {
  service: LoginSteps;
  username: string | null;
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
}

export async function runTtyLogin(options: TtyLoginOptions): Promise<Extract<StepResult, { status: 'ok' }> | null> {
  let user: User | null = null;
  let failure: unknown = null;
  const app = render(
    <LoginApp
      steps={options.service}
      initialUsername={options.username}
      onDone={(done) => {
        user = done;
        setImmediate(() => app.unmount());
      }}
      onFail={(error) => {
        failure = error;
        setImmediate(() => app.unmount());
      }}
    />,
    {
      stdin: options.stdin as NodeJS.ReadStream,
      stdout: options.stdout as NodeJS.WriteStream,
      exitOnCtrlC: true,
    },
  );
  await app.waitUntilExit();
  if (failure) throw failure;
  return user ? { status: 'ok', user } : null;
}

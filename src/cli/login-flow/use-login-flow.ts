// The state machine of the interactive login, as a React hook: the views only render a phase
// and call the actions. Wrong passwords and codes go back one step with a message; anything
// else ends the flow with the error.
import { useCallback, useState } from 'react';
import type { User } from '../../core/model.js';
import type { ChallengeMethod, CodeRequest } from '../../instagram/client.js';
import { InstagramError } from '../../instagram/errors.js';
import type { LoginSteps, StepResult } from './login-service.js';

export type Phase =
  | { name: 'username' }
  | { name: 'password' }
  | { name: 'working'; label: string }
  | { name: 'choose'; request: Extract<CodeRequest, { kind: 'challenge' }> }
  | { name: 'code'; request: CodeRequest }
  | { name: 'done'; user: User };

export interface LoginFlow {
  phase: Phase;
  username: string;
  notice: string | null;
  error: string | null;
  submitUsername(value: string): void;
  submitPassword(value: string): void;
  choose(method: ChallengeMethod): void;
  submitCode(value: string): void;
  resend(): void;
}

export interface FlowCallbacks {
  onDone(user: User): void;
  onFail(error: unknown): void;
}

export function useLoginFlow(steps: LoginSteps, initialUsername: string | null, callbacks: FlowCallbacks): LoginFlow {
  const [phase, setPhase] = useState<Phase>(initialUsername ? { name: 'password' } : { name: 'username' });
  const [username, setUsername] = useState(initialUsername ?? '');
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const settle = useCallback(
    (result: StepResult) => {
      setError(null);
      if (result.status === 'ok') {
        setPhase({ name: 'done', user: result.user });
        callbacks.onDone(result.user);
      } else if (result.request.kind === 'challenge' && result.request.method === null) {
        setPhase({ name: 'choose', request: result.request });
      } else {
        setPhase({ name: 'code', request: result.request });
      }
    },
    [callbacks],
  );

  const attempt = useCallback(
    (label: string, back: Phase, action: () => Promise<void>) => {
      setPhase({ name: 'working', label });
      setNotice(null);
      action().catch((caught: unknown) => {
        const kind = caught instanceof InstagramError ? caught.kind : null;
        if (kind === 'bad_password' || kind === 'invalid_user' || kind === 'bad_code') {
          setError(
            kind === 'bad_code'
              ? 'That code was not accepted. Check it and try again.'
              : kind === 'invalid_user'
                ? 'Instagram knows no account with that username.'
                : 'Instagram rejected the password. If it is right, use igtg login --cookies FILE instead.',
          );
          setPhase(kind === 'invalid_user' ? { name: 'username' } : back);
          return;
        }
        callbacks.onFail(caught);
      });
    },
    [callbacks],
  );

  return {
    phase,
    username,
    notice,
    error,
    submitUsername: (value) => {
      const clean = value.trim();
      if (!clean) return;
      setUsername(clean);
      setError(null);
      setPhase({ name: 'password' });
    },
    submitPassword: (value) => {
      if (!value) return;
      attempt('Logging in…', { name: 'password' }, async () => settle(await steps.start(username, value)));
    },
    choose: (method) => {
      attempt('Asking Instagram to send the code…', phase, async () => {
        const request = await steps.choose(method);
        setError(null);
        setPhase({ name: 'code', request });
      });
    },
    submitCode: (value) => {
      const code = value.replace(/\s+/g, '');
      if (!code || phase.name !== 'code') return;
      attempt('Checking the code…', phase, async () => settle(await steps.submit(code)));
    },
    resend: () => {
      if (phase.name !== 'code') return;
      const current = phase;
      attempt('Sending the code again…', current, async () => {
        const request = await steps.resend();
        setPhase({ name: 'code', request });
        setNotice('A new code is on its way.');
      });
    },
  };
}

// The interactive `igtg login`: username, masked password, then a two-factor code (Tab resends
// it) or a challenge (choose email or SMS, then the code). Ctrl-D ends it as Ctrl-C does.
import { Box, Text, useApp, useInput } from 'ink';
import TextInput from 'ink-text-input';
import { useEffect, useMemo, useState } from 'react';
import type { User } from '../../core/model.js';
import type { ChallengeMethod, CodeRequest } from '../../instagram/client.js';
import type { LoginSteps } from './login-service.js';
import { codeDestination } from './messages.js';
import { useLoginFlow } from './use-login-flow.js';

export interface LoginAppProps {
  steps: LoginSteps;
  initialUsername: string | null;
  onDone(user: User): void;
  onFail(error: unknown): void;
}

function Field(props: { label: string; mask?: string; placeholder?: string; onSubmit(value: string): void }) {
  const [value, setValue] = useState('');
  const submit = (submitted: string) => {
    props.onSubmit(submitted);
    setValue('');
  };
  // A paste arrives as one chunk, so its trailing newline is text to ink-text-input, not Enter:
  // the newline submits what comes before it, and the rest of the chunk is dropped.
  const change = (changed: string) => {
    const newline = changed.search(/[\r\n]/);
    if (newline === -1) setValue(changed);
    else submit(changed.slice(0, newline));
  };
  return (
    <Box>
      <Text bold>{props.label}: </Text>
      <TextInput value={value} mask={props.mask} placeholder={props.placeholder} onChange={change} onSubmit={submit} />
    </Box>
  );
}

/** Ctrl-D (end of input) exits the app, so the login is cancelled as with Ctrl-C. */
function useEndOfInput(): boolean {
  const { exit } = useApp();
  const [ended, setEnded] = useState(false);
  useInput((input, key) => {
    if (key.ctrl && input === 'd') setEnded(true);
  });
  // Exit only after the render without the fields, which drops the "d" a field may have typed.
  useEffect(() => {
    if (ended) exit();
  }, [ended, exit]);
  return ended;
}

function ChooseMethod(props: {
  request: Extract<CodeRequest, { kind: 'challenge' }>;
  onChoose(method: ChallengeMethod): void;
}) {
  const [index, setIndex] = useState(0);
  const choices = props.request.choices;
  useInput((input, key) => {
    if (key.upArrow) setIndex((current) => (current + choices.length - 1) % choices.length);
    else if (key.downArrow) setIndex((current) => (current + 1) % choices.length);
    else if (key.return && choices[index]) props.onChoose(choices[index].method);
    else {
      const hotkey = choices.find(
        (choice) => (input === 'e' && choice.method === 'email') || (input === 's' && choice.method === 'sms'),
      );
      if (hotkey) props.onChoose(hotkey.method);
    }
  });
  return (
    <Box flexDirection="column">
      <Text>Instagram wants to verify this login. Where should it send a security code?</Text>
      {choices.map((choice, position) => (
        <Text key={choice.method} color={position === index ? 'cyan' : undefined}>
          {position === index ? '❯ ' : '  '}
          {choice.label}
        </Text>
      ))}
      <Text dimColor>↑/↓ and Enter, or e (email) / s (SMS)</Text>
    </Box>
  );
}

function CodeStep(props: { request: CodeRequest; onSubmit(code: string): void; onResend(): void }) {
  const canResend = props.request.kind === 'challenge' || props.request.canResend;
  useInput((_input, key) => {
    if (key.tab && canResend) props.onResend();
  });
  return (
    <Box flexDirection="column">
      <Text>{codeDestination(props.request)}.</Text>
      <Field label="Code" placeholder="123456" onSubmit={props.onSubmit} />
      {canResend ? <Text dimColor>Tab sends the code again.</Text> : null}
    </Box>
  );
}

export function LoginApp(props: LoginAppProps) {
  const callbacks = useMemo(() => ({ onDone: props.onDone, onFail: props.onFail }), [props.onDone, props.onFail]);
  const flow = useLoginFlow(props.steps, props.initialUsername, callbacks);
  const ended = useEndOfInput();
  const { phase } = flow;
  if (ended) return <Text color="magenta">Log in to Instagram</Text>;
  return (
    <Box flexDirection="column">
      <Text color="magenta">Log in to Instagram</Text>
      {flow.error ? <Text color="red">{flow.error}</Text> : null}
      {flow.notice ? <Text color="green">{flow.notice}</Text> : null}
      {phase.name === 'username' ? <Field label="Username" onSubmit={flow.submitUsername} /> : null}
      {phase.name === 'password' ? (
        <Box flexDirection="column">
          <Text dimColor>Username: {flow.username}</Text>
          <Field label="Password" mask="*" onSubmit={flow.submitPassword} />
        </Box>
      ) : null}
      {phase.name === 'working' ? <Text dimColor>{phase.label}</Text> : null}
      {phase.name === 'choose' ? <ChooseMethod request={phase.request} onChoose={flow.choose} /> : null}
      {phase.name === 'code' ? (
        <CodeStep request={phase.request} onSubmit={flow.submitCode} onResend={flow.resend} />
      ) : null}
      {phase.name === 'done' ? <Text color="green">Logged in as {phase.user.username ?? phase.user.id}.</Text> : null}
    </Box>
  );
}

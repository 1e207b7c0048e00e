// Names of secrets ("instagram.session", "telegram.token"): plain words, so a keychain account
// "<profile>:<name>" is unambiguous and a name can be shown in messages (a value never is).
const SECRET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function checkSecretName(name: string): string {
  if (!SECRET_NAME.test(name)) throw new Error(`invalid secret name "${name.slice(0, 40)}"`);
  return name;
}

/** The first line of an error's message: keyring errors carry a Rust backtrace after it. */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.trim();
}

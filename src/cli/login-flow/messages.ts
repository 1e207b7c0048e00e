// The words `igtg login` uses for what Instagram asks, shared by the ink flow and the plain output.
import type { CodeRequest } from '../../instagram/client.js';

export function codeDestination(request: CodeRequest): string {
  if (request.kind === 'two_factor') {
    return request.method === 'totp'
      ? 'Instagram asks for the code of your authenticator app'
      : `Instagram sent a two-factor code by SMS to ${request.destination ?? 'your phone'}`;
  }
  if (request.destination) return `Instagram sent a security code to ${request.destination}`;
  return request.method
    ? `Instagram sent a security code by ${request.method === 'sms' ? 'SMS' : 'email'}`
    : 'Instagram wants to verify this login';
}

/** The exact command that finishes a pending login (with the profile when it is not the default). */
export function nextCommand(profile: string, code = 'CODE'): string {
  const profileFlag = profile === 'default' ? '' : ` --profile ${profile}`;
  return `igtg${profileFlag} login --code ${code}`;
}

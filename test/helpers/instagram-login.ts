// An in-process Instagram connection to the fake server, logged in as its account.
import { connectInstagram, connectLoggedIn, type InstagramConnection } from '../../src/instagram/connect.js';
import { MemorySecrets } from '../fakes/instagram/memory-secrets.js';

/** Logs in as alex.kim ("correct horse"), then connects again on the saved session, as `igtg sync` would. */
export async function connectLoggedInToFake(env: Record<string, string>): Promise<InstagramConnection> {
  const secrets = new MemorySecrets();
  const settings = { get: () => undefined };
  const first = await connectInstagram({ env, settings, secrets });
  await first.client.login('alex.kim', 'correct horse');
  await first.close();
  return connectLoggedIn({ env, settings, secrets });
}

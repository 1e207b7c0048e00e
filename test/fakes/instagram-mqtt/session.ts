// A serialized igtg session (src/instagram/adapter/session-codec.ts format) with the cookies the
// realtime CONNECT needs: sessionid and ds_user_id for i.instagram.com, and a generated device.
import { IgApiClientClass } from '../../../src/instagram/adapter/library.js';
import { encodeSession } from '../../../src/instagram/adapter/session-codec.js';

export async function makeRealtimeSession(options: {
  sessionid: string;
  userId: string;
  name?: string;
}): Promise<string> {
  const ig = new IgApiClientClass();
  ig.state.generateDevice(`realtime-test-${options.userId}`);
  const host = 'https://i.instagram.com/';
  await ig.state.cookieJar.setCookie(`sessionid=${options.sessionid}; Path=/; Domain=i.instagram.com`, host);
  await ig.state.cookieJar.setCookie(`ds_user_id=${options.userId}; Path=/; Domain=i.instagram.com`, host);
  await ig.state.cookieJar.setCookie(`csrftoken=test-csrf; Path=/; Domain=i.instagram.com`, host);
  return encodeSession(ig, { id: options.userId, name: options.name ?? 'Alex Kim' });
}

// A fake Instagram private API on 127.0.0.1 for tests and manual runs. It answers the requests
// instagram-private-api makes (paths relative to IGTG_INSTAGRAM_API_URL, or absolute
// https://i.instagram.com/... targets when used as a proxy), records every request, and serves
// the media URLs it hands out.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeInstagramState } from './fake-state.js';
import { fail, ok, parseCookies, parseForm, readBody, send, type Form, type Reply } from './http-util.js';
import { challenge, login, qeSync, resendTwoFactor, twoFactorLogin, type LoginContext } from './login-routes.js';
import { generatePasswordKey } from './password-crypto.js';
import { inboxJson, threadJson, userJson } from './thread-json.js';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  form: Form;
  /** The HTTP status the fake answered (0 for a dropped connection). */
  status: number;
}

export interface FakeInstagramOptions {
  port?: number;
  /** Seed threads and items (see FakeInstagramState.seed). */
  seed?: boolean | Parameters<FakeInstagramState['seed']>[0];
}

export interface FakeInstagram {
  url: string;
  state: FakeInstagramState;
  requests: RecordedRequest[];
  /** Requests whose path matches (e.g. /direct_v2\/inbox/). */
  count(match?: RegExp): number;
  /** Called with every request before it is answered (tests use it to kill a client mid-sync). */
  onRequest: ((request: RecordedRequest) => void) | null;
  close(): Promise<void>;
}

const PROTECTED = /^\/api\/v1\/(direct_v2|users|accounts\/current_user|accounts\/logout)\//;

function mediaBytes(name: string): Buffer {
  const digest = createHash('sha256').update(name).digest();
  const magic = name.endsWith('.jpg') ? Buffer.from([0xff, 0xd8, 0xff, 0xe0]) : Buffer.from('FAKE');
  return Buffer.concat([magic, digest, digest]);
}

function authorized(state: FakeInstagramState, req: IncomingMessage): boolean {
  const cookies = parseCookies(req.headers.cookie);
  if (cookies.sessionid && state.sessions.has(cookies.sessionid)) return true;
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer IGT:2:')) {
    try {
      const data = JSON.parse(Buffer.from(auth.slice('Bearer IGT:2:'.length), 'base64').toString()) as {
        sessionid?: string;
      };
      if (
        data.sessionid &&
        (state.sessions.has(data.sessionid) || state.sessions.has(encodeURIComponent(data.sessionid)))
      )
        return true;
    } catch {
      return false;
    }
  }
  return false;
}

function failureReply(kind: string): Reply | 'drop' {
  switch (kind) {
    case '429':
      return fail(429, { message: 'Please wait a few minutes before you try again.' });
    case '429_html':
      return {
        status: 429,
        body: '<!DOCTYPE html><html><body>Please wait a few minutes before you try again.</body></html>',
      };
    case 'please_wait':
      return fail(400, { message: 'Please wait a few minutes before you try again.' });
    case '500':
      return { status: 500, body: '<html>Internal Server Error</html>' };
    case '503':
      return fail(503, { message: 'Service Unavailable' });
    case 'login_required':
      return fail(403, {
        message: 'login_required',
        error_title: "You've Been Logged Out",
        error_body: 'Please log back in.',
        logout_reason: 8,
      });
    case 'feedback_required':
      return fail(400, {
        feedback_title: 'feedback_required',
        feedback_message: 'This action was blocked. Please try again later.',
        spam: true,
        feedback_action: 'report_problem',
        message: 'feedback_required',
        feedback_url: 'repute/report_problem/instagram_like_add/',
      });
    case 'challenge_required':
      return fail(400, {
        message: 'challenge_required',
        challenge: {
          url: 'https://i.instagram.com/challenge/1/abc/',
          api_path: '/challenge/1/abc/',
          lock: true,
          native_flow: true,
        },
      });
    default:
      return 'drop';
  }
}

function broadcast(state: FakeInstagramState, itemType: string, form: Form): Reply {
  const ids = JSON.parse(form.thread_ids ?? '[]') as Array<string | number>;
  const thread = state.threads.get(String(ids[0] ?? ''));
  if (!thread) return fail(400, { message: 'thread not found' });
  const clientContext = form.client_context ?? null;
  const kind = itemType === 'link' ? 'link' : itemType === 'configure_photo' ? 'photo' : 'text';
  const item = state.addItem(thread, {
    kind,
    from: state.viewer.pk,
    text: form.text ?? form.link_text,
    clientContext: clientContext ?? undefined,
  });
  if (kind === 'link') (item.link as Record<string, unknown>).text = form.link_text;
  const payload = {
    client_context: clientContext,
    item_id: item.item_id,
    timestamp: String(item.timestamp),
    thread_id: thread.thread_id,
  };
  return ok({
    action: 'item_ack',
    status_code: '200',
    payload,
    message_metadata: [{ ...payload, participant_ids: thread.userPks }],
  });
}

function upload(req: IncomingMessage): Reply {
  let uploadId = String(Date.now());
  try {
    const params = JSON.parse(String(req.headers['x-instagram-rupload-params'] ?? '{}')) as { upload_id?: string };
    if (params.upload_id) uploadId = params.upload_id;
  } catch {
    return fail(400, { message: 'bad rupload params' });
  }
  return ok({ upload_id: uploadId, xsharing_nonces: {} });
}

function route(
  state: FakeInstagramState,
  loginCtx: LoginContext,
  req: IncomingMessage,
  path: string,
  query: URLSearchParams,
  form: Form,
): Reply {
  const method = req.method ?? 'GET';
  if (path === '/api/v1/qe/sync/') return qeSync(loginCtx);
  if (path === '/api/v1/accounts/login/') return login(loginCtx, form);
  if (path === '/api/v1/accounts/two_factor_login/') return twoFactorLogin(loginCtx, form);
  if (path === '/api/v1/accounts/send_two_factor_login_sms/') return resendTwoFactor(loginCtx, form);
  if (path.startsWith('/api/v1/challenge/')) return challenge(loginCtx, method, path, form);
  if (path.startsWith('/rupload_igphoto/')) return upload(req);
  if (PROTECTED.test(path) && !authorized(state, req)) {
    return fail(403, { message: 'login_required', logout_reason: 3 });
  }
  if (path === '/api/v1/accounts/current_user/') return ok({ user: userJson(state.viewer) });
  if (path === '/api/v1/accounts/logout/') return ok({});
  const userInfo = /^\/api\/v1\/users\/(\d+)\/info\/$/.exec(path);
  if (userInfo) {
    const user = state.users.get(userInfo[1]!);
    return user ? ok({ user: userJson(user) }) : fail(404, { message: 'User not found' });
  }
  const limit = Number(query.get('thread_message_limit') ?? 10);
  if (path === '/api/v1/direct_v2/inbox/') return ok(inboxJson(state, false, query.get('cursor'), limit));
  if (path === '/api/v1/direct_v2/pending_inbox/') return ok(inboxJson(state, true, query.get('cursor'), limit));
  const sendItem = /^\/api\/v1\/direct_v2\/threads\/broadcast\/([a-z_]+)\/$/.exec(path);
  if (sendItem && method === 'POST') return broadcast(state, sendItem[1]!, form);
  const threadPath = /^\/api\/v1\/direct_v2\/threads\/(\d+)\/$/.exec(path);
  if (threadPath) {
    const thread = state.threads.get(threadPath[1]!);
    if (!thread) return fail(404, { message: 'Thread not found' });
    const pageSize = Math.min(
      state.threadPageSize,
      Number(query.get('limit') ?? state.threadPageSize) || state.threadPageSize,
    );
    return ok({ thread: threadJson(state, thread, query.get('cursor'), pageSize) });
  }
  return fail(404, { message: 'Page not found' });
}

export async function startFakeInstagram(options: FakeInstagramOptions = {}): Promise<FakeInstagram> {
  const state = new FakeInstagramState();
  const requests: RecordedRequest[] = [];
  const loginCtx: LoginContext = { state, key: generatePasswordKey(), twoFactor: new Map(), challenges: new Map() };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const target = new URL(req.url ?? '/', 'http://fake.invalid');
    const path = target.pathname;
    const body = await readBody(req);
    const form = parseForm(body, req.headers['content-type']);
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      query: Object.fromEntries(target.searchParams),
      form,
      status: 0,
    };
    if (path.startsWith('/fake-media/')) {
      record.status = 200;
      requests.push(record);
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(mediaBytes(path.slice('/fake-media/'.length)));
      return;
    }
    requests.push(record);
    fake.onRequest?.(record);
    const failure = path.startsWith('/api/v1/') ? state.takeFailure(path) : null;
    const reply = failure ? failureReply(failure) : route(state, loginCtx, req, path, target.searchParams, form);
    if (reply === 'drop') {
      req.socket.destroy();
      return;
    }
    record.status = reply.status;
    send(res, reply);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, fail(500, { message: `fake error: ${String(error)}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.baseUrl = url;
  if (options.seed) state.seed(options.seed === true ? {} : options.seed);

  const fake: FakeInstagram = {
    url,
    state,
    requests,
    onRequest: null,
    count: (match) => (match ? requests.filter((request) => match.test(request.path)).length : requests.length),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}

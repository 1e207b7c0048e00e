// A fake Telegram Bot API server on 127.0.0.1 for tests: `/bot<token>/<method>` and
// `/file/bot<token>/<file_path>`, answers shaped like shared/formats/tg-*.json, every call recorded.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeApiError, tgErrors } from './api-error.js';
import type { Handler } from './handler.js';
import * as other from './methods-other.js';
import * as send from './methods-send.js';
import { Params, recordedParams } from './params.js';
import { parseRequest, type RequestParams } from './parse-request.js';
import { FakeTelegramState, type FakeUser, type RateLimitRules } from './state.js';

export interface FakeTelegramOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  token?: string;
  bot?: Partial<FakeUser>;
  firstUpdateId?: number;
  /** Upper bound of a long poll's `timeout` (the real server allows 50 s). */
  maxPollTimeoutSec?: number;
  /** Flood control the fake enforces with 429s (off by default). */
  rateLimits?: RateLimitRules;
}

export interface FakeCall {
  /** Method name as requested (`sendMessage`), or `file` for a download. */
  method: string;
  params: Record<string, unknown>;
  /** Date.now() when the request arrived. */
  time: number;
  /** `query`, `json`, `urlencoded` or `multipart`. */
  encoding: string;
  status: number;
  ok: boolean;
  errorCode?: number;
  description?: string;
}

export interface FakeTelegram {
  /** Base URL to use as the Bot API root (IGTG_TELEGRAM_API_URL). */
  url: string;
  token: string;
  state: FakeTelegramState;
  calls: FakeCall[];
  close(): Promise<void>;
}

export const DEFAULT_FAKE_TOKEN = '5338281118:AAFakeTokenForIgtgTests_0123456789ab';

const HANDLERS: Record<string, Handler> = {
  getme: other.getMe,
  getupdates: other.getUpdates,
  sendmessage: send.sendMessage,
  sendphoto: (c) => send.sendMedia(c, 'sendphoto'),
  sendvideo: (c) => send.sendMedia(c, 'sendvideo'),
  sendvoice: (c) => send.sendMedia(c, 'sendvoice'),
  sendaudio: (c) => send.sendMedia(c, 'sendaudio'),
  senddocument: (c) => send.sendMedia(c, 'senddocument'),
  sendanimation: (c) => send.sendMedia(c, 'sendanimation'),
  editmessagetext: send.editMessageText,
  editmessagecaption: send.editMessageCaption,
  setmessagereaction: send.setMessageReaction,
  deletemessage: send.deleteMessage,
  createforumtopic: other.createForumTopic,
  answercallbackquery: other.answerCallbackQuery,
  getfile: other.getFile,
  getchat: other.getChat,
  getchatmember: other.getChatMember,
  sendchataction: other.sendChatAction,
};

/** Methods that post into a chat and count against flood control. */
const PACED = new Set([
  'sendmessage',
  'sendphoto',
  'sendvideo',
  'sendvoice',
  'sendaudio',
  'senddocument',
  'sendanimation',
  'editmessagetext',
  'editmessagecaption',
]);

export async function startFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const token = options.token ?? DEFAULT_FAKE_TOKEN;
  const botId = Number(token.split(':')[0]);
  const state = new FakeTelegramState({
    bot: Number.isSafeInteger(botId) && botId > 0 ? { id: botId, ...options.bot } : options.bot,
    firstUpdateId: options.firstUpdateId,
    maxPollTimeoutSec: options.maxPollTimeoutSec,
    rateLimits: options.rateLimits,
  });
  const calls: FakeCall[] = [];
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('fake telegram: unexpected failure', error);
      if (!res.headersSent) reply(res, 500, { ok: false, error_code: 500, description: 'Internal Server Error' });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const time = Date.now();
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file) return download(res, decodeURIComponent(file[1]!), decodeURIComponent(file[2]!), time);
    const route = /^\/bot([^/]*)\/([A-Za-z]+)$/.exec(url.pathname);
    const call: FakeCall = {
      method: route?.[2] ?? url.pathname,
      params: {},
      time,
      encoding: 'query',
      status: 0,
      ok: false,
    };
    calls.push(call);
    let request: RequestParams;
    try {
      request = await parseRequest(req, url);
    } catch (error) {
      if (error instanceof FakeApiError) return fail(res, call, error);
      throw error;
    }
    call.params = recordedParams(request);
    call.encoding = request.encoding;
    if (!route) return fail(res, call, tgErrors.notFound());
    if (decodeURIComponent(route[1]!) !== token) return fail(res, call, tgErrors.unauthorized());
    const method = route[2]!.toLowerCase();
    const handler = HANDLERS[method];
    if (!handler) return fail(res, call, tgErrors.notFound());
    const failure = state.failures.find((f) => f.remaining > 0 && (f.method === method || f.method === '*'));
    if (failure) {
      failure.remaining -= 1;
      if (failure.error === 'disconnect') {
        call.status = -1;
        call.description = 'connection dropped';
        req.socket.destroy();
        return;
      }
      return fail(res, call, failure.error);
    }
    const params = new Params(request);
    try {
      const chat = PACED.has(method) ? floodCheck(params, time) : null;
      const result = await handler({ state, params, onClose: (listener) => res.on('close', listener) });
      if (chat) chat.sendTimes.push(time);
      call.status = 200;
      call.ok = true;
      reply(res, 200, { ok: true, result });
    } catch (error) {
      if (error instanceof FakeApiError) return fail(res, call, error);
      throw error;
    }
  }

  /** 429 when a send breaks the programmed per-chat or per-group rate. */
  function floodCheck(params: Params, now: number): { sendTimes: number[] } | null {
    const chat = params.has('chat_id') ? state.findChat(params.chatId()) : undefined;
    if (!chat) return null;
    const rules = state.rateLimits;
    const times = chat.sendTimes;
    if (times.length > 200) times.splice(0, times.length - 200);
    let waitMs = 0;
    const last = times.at(-1);
    if (rules.perChatIntervalMs && last !== undefined && now - last < rules.perChatIntervalMs) {
      waitMs = rules.perChatIntervalMs - (now - last);
    }
    if (rules.perGroupPerMinute && chat.chat.id < 0) {
      const recent = times.filter((t) => t > now - 60_000);
      if (recent.length >= rules.perGroupPerMinute) {
        waitMs = Math.max(waitMs, recent[recent.length - rules.perGroupPerMinute]! + 60_000 - now);
      }
    }
    if (waitMs > 0) throw tgErrors.flood(Math.ceil(waitMs / 1000));
    return chat;
  }

  function download(res: ServerResponse, requestToken: string, path: string, time: number): void {
    const call: FakeCall = {
      method: 'file',
      params: { file_path: path },
      time,
      encoding: 'query',
      status: 0,
      ok: false,
    };
    calls.push(call);
    if (requestToken !== token) return fail(res, call, tgErrors.unauthorized());
    const file = state.fileByPath(path);
    if (!file) return fail(res, call, tgErrors.notFound());
    call.status = 200;
    call.ok = true;
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.bytes.length });
    res.end(file.bytes);
  }

  function fail(res: ServerResponse, call: FakeCall, error: FakeApiError): void {
    call.status = error.errorCode;
    call.errorCode = error.errorCode;
    call.description = error.description;
    reply(res, error.errorCode, error.body());
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}`,
    token,
    state,
    calls,
    close: async () => {
      state.updates.release();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

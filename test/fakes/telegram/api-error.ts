// Errors the fake answers with, worded as the real Bot API server words them
// (shared/formats/tg-errors.json; tdlib/telegram-bot-api Client.cpp).

export interface ApiErrorBody {
  ok: false;
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

export class FakeApiError extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: ApiErrorBody['parameters'],
  ) {
    super(description);
  }

  body(): ApiErrorBody {
    const body: ApiErrorBody = { ok: false, error_code: this.errorCode, description: this.description };
    if (this.parameters) body.parameters = this.parameters;
    return body;
  }
}

export const badRequest = (what: string): FakeApiError => new FakeApiError(400, `Bad Request: ${what}`);

/** Ready-made failures for `state.failNext(method, error)`. */
export const tgErrors = {
  flood: (retryAfterSec: number) =>
    new FakeApiError(429, `Too Many Requests: retry after ${retryAfterSec}`, { retry_after: retryAfterSec }),
  /** The pre-2017 shape: the wait only in the description. */
  floodLegacy: (retryAfterSec: number) => new FakeApiError(429, `Too Many Requests: retry after ${retryAfterSec}`),
  blocked: () => new FakeApiError(403, 'Forbidden: bot was blocked by the user'),
  deactivated: () => new FakeApiError(403, 'Forbidden: user is deactivated'),
  kicked: () => new FakeApiError(403, 'Forbidden: bot was kicked from the supergroup chat'),
  unauthorized: () => new FakeApiError(401, 'Unauthorized'),
  notFound: () => new FakeApiError(404, 'Not Found'),
  tooLong: () => badRequest('message is too long'),
  captionTooLong: () => badRequest('message caption is too long'),
  textEmpty: () => badRequest('message text is empty'),
  chatNotFound: () => badRequest('chat not found'),
  editNotFound: () => badRequest('message to edit not found'),
  notModified: () =>
    badRequest(
      'message is not modified: specified new message content and reply markup are exactly the same as a content and reply markup of the current message',
    ),
  replyNotFound: () => badRequest('message to be replied not found'),
  threadNotFound: () => badRequest('message thread not found'),
  fileTooBig: () => badRequest('file is too big'),
  migrated: (toChatId: number) =>
    new FakeApiError(400, 'Bad Request: group chat was upgraded to a supergroup chat', {
      migrate_to_chat_id: toChatId,
    }),
  conflict: () =>
    new FakeApiError(
      409,
      'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
    ),
  internal: () => new FakeApiError(500, 'Internal Server Error'),
  badGateway: () => new FakeApiError(502, 'Bad Gateway'),
};

// What a method handler receives from the fake server.
import type { Params } from './params.js';
import type { FakeTelegramState } from './state.js';

export interface HandlerContext {
  state: FakeTelegramState;
  params: Params;
  /** Registers a listener for the client closing the connection (long polls). */
  onClose(listener: () => void): void;
}

/** Returns the `result` of `{ ok: true, result }`, or throws a FakeApiError. */
export type Handler = (context: HandlerContext) => unknown;

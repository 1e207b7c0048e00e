// Inline keyboards: callback_data within Telegram's 64 bytes and paged lists (the /threads picker).
import { createHash } from 'node:crypto';
import { truncateText } from './format.js';
import type { InlineButton, InlineKeyboard } from './telegram-client.js';

export const CALLBACK_DATA_MAX_BYTES = 64;
const LABEL_MAX = 48;

/**
 * `action:arg` as callback_data. An argument that would not fit in 64 bytes (archive thread ids
 * can be long) is replaced by `#` and a 16-character hash; match it back with `callbackArgMatches`.
 */
export function callbackData(action: string, arg = ''): string {
  checkAction(action);
  const plain = `${action}:${arg}`;
  if (Buffer.byteLength(plain) <= CALLBACK_DATA_MAX_BYTES) return plain;
  return `${action}:#${shortHash(arg)}`;
}

export interface ParsedCallback {
  action: string;
  /** The argument, or `#hash` when it was too long to carry (see callbackArgMatches). */
  arg: string;
}

export function parseCallbackData(data: string): ParsedCallback {
  const at = data.indexOf(':');
  if (at < 0) return { action: data, arg: '' };
  return { action: data.slice(0, at), arg: data.slice(at + 1) };
}

/** True when the parsed argument designates `value` (directly or by its hash). */
export function callbackArgMatches(arg: string, value: string): boolean {
  return arg === value || (arg.startsWith('#') && arg.slice(1) === shortHash(value));
}

/**
 * `action:a:…:last` as callback_data, for a button with several arguments. An argument before the
 * last that holds `:` is carried as `#` and its hash, and so are the longest arguments while the
 * whole would not fit in 64 bytes; split it back with `parseCallbackArgs`, match each argument with
 * `callbackArgMatches`.
 */
export function callbackDataArgs(action: string, args: readonly string[]): string {
  checkAction(action);
  const carried = args.map((arg, i) =>
    (i < args.length - 1 && arg.includes(':')) || arg.startsWith('#') ? hashed(arg) : arg,
  );
  const size = () => Buffer.byteLength(`${action}:${carried.join(':')}`);
  while (size() > CALLBACK_DATA_MAX_BYTES) {
    let longest = -1;
    for (let i = 0; i < carried.length; i++) {
      const length = Buffer.byteLength(carried[i]!);
      if (length > HASHED_LENGTH && (longest < 0 || length > Buffer.byteLength(carried[longest]!))) longest = i;
    }
    if (longest < 0) throw new RangeError(`callback arguments of "${action}" do not fit in 64 bytes`);
    carried[longest] = hashed(args[longest]!);
  }
  return `${action}:${carried.join(':')}`;
}

/** The `count` arguments of `callbackDataArgs` from a parsed argument; null when there are fewer. */
export function parseCallbackArgs(arg: string, count: number): string[] | null {
  const parts = arg.split(':');
  if (count < 1 || parts.length < count) return null;
  return [...parts.slice(0, count - 1), parts.slice(count - 1).join(':')];
}

const HASHED_LENGTH = 17;

function checkAction(action: string): void {
  if (action.includes(':') || Buffer.byteLength(action) > 24) throw new RangeError(`bad callback action "${action}"`);
}

function hashed(value: string): string {
  return `#${shortHash(value)}`;
}

function shortHash(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, 16);
}

export interface PagedItem {
  label: string;
  /** Argument of the pick action (a thread id). */
  arg: string;
}

export interface PagedKeyboardInput {
  items: readonly PagedItem[];
  /** Zero-based; clamped to the existing pages. */
  page: number;
  pageSize?: number;
  /** Callback action of an item button. */
  pickAction: string;
  /** Callback action of the navigation buttons; the argument is the page number. */
  pageAction: string;
}

export interface PagedKeyboard {
  keyboard: InlineKeyboard;
  page: number;
  pageCount: number;
}

/** One button per item on the page, then a row ◀ · n/N · ▶ when there is more than one page. */
export function pagedKeyboard(input: PagedKeyboardInput): PagedKeyboard {
  const pageSize = Math.max(1, input.pageSize ?? 8);
  const pageCount = Math.max(1, Math.ceil(input.items.length / pageSize));
  const page = Math.min(Math.max(0, Math.trunc(input.page)), pageCount - 1);
  const keyboard: InlineKeyboard = input.items
    .slice(page * pageSize, (page + 1) * pageSize)
    .map((item) => [{ text: truncateText(item.label, LABEL_MAX), data: callbackData(input.pickAction, item.arg) }]);
  if (pageCount > 1) {
    const nav: InlineButton[] = [];
    if (page > 0) nav.push({ text: '◀', data: callbackData(input.pageAction, String(page - 1)) });
    nav.push({ text: `${page + 1}/${pageCount}`, data: callbackData(input.pageAction, String(page)) });
    if (page < pageCount - 1) nav.push({ text: '▶', data: callbackData(input.pageAction, String(page + 1)) });
    keyboard.push(nav);
  }
  return { keyboard, page, pageCount };
}

export interface ThreadChoice {
  id: string;
  title: string;
  isRequest?: boolean;
}

export const THREAD_PICK_ACTION = 'thr';
export const THREAD_PAGE_ACTION = 'thp';

/** The /threads picker: thread buttons (`thr:<id>`) and page buttons (`thp:<n>`). */
export function threadListKeyboard(threads: readonly ThreadChoice[], page: number, pageSize = 8): PagedKeyboard {
  return pagedKeyboard({
    items: threads.map((t) => ({ label: t.isRequest ? `📩 ${t.title}` : t.title, arg: t.id })),
    page,
    pageSize,
    pickAction: THREAD_PICK_ACTION,
    pageAction: THREAD_PAGE_ACTION,
  });
}

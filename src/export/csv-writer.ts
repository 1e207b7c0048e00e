// csv: RFC 4180 (comma, CRLF, fields quoted when needed, header row), UTF-8. The columns are the
// fields of `igtg show --json` plus thread_title; media, share and reactions hold JSON text.
//
// Empty vs null: a null field is written empty and unquoted, an empty string as `""`.
//
// Formula injection: plain csv is exact data for programs and is never altered, so it parses back
// equal to `igtg show --json`. `--excel` is for opening the file in a spreadsheet: it adds a BOM
// and prefixes `'` to every cell that starts with = + - @ tab or carriage return, so a message
// such as `=HYPERLINK(...)` shows as text instead of running as a formula, and to numbers longer
// than a spreadsheet's 15 digits (Instagram's ids), which it would otherwise round. Those cells then
// differ from the data by that leading `'`; use plain csv when the exact data matters.
import type { Message, Thread } from '../core/model.js';
import { messageToJson, type MessageJson } from '../core/message-json.js';
import type { TextSink } from './text-sink.js';
import type { ExportWriter } from './types.js';

export const CSV_COLUMNS = [
  'message_id',
  'thread_id',
  'thread_title',
  'sender',
  'sender_id',
  'text',
  'sent_at',
  'kind',
  'media',
  'share',
  'reactions',
  'reply_to',
  'unsent',
  'from_me',
  'source',
] as const;

export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** Columns whose value is JSON text (nested data). */
export const CSV_JSON_COLUMNS: readonly CsvColumn[] = ['media', 'share', 'reactions'];

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;
// A spreadsheet keeps 15 significant digits: a 39-digit thread id would become 3.40282E+38.
const LONG_NUMBER = /^\d{16,}$/;

export function csvField(value: string | null, excel = false): string {
  if (value === null) return '';
  const text = excel && (FORMULA_START.test(value) || LONG_NUMBER.test(value)) ? `'${value}` : value;
  if (text === '' || NEEDS_QUOTES.test(text)) return `"${text.replace(/"/g, '""')}"`;
  return text;
}

function cell(json: MessageJson, title: string, column: CsvColumn): string | null {
  switch (column) {
    case 'thread_title':
      return title;
    case 'media':
    case 'share':
    case 'reactions':
      return json[column] === null ? null : JSON.stringify(json[column]);
    case 'unsent':
    case 'from_me':
      return String(json[column]);
    default:
      return json[column];
  }
}

export function csvRow(message: Message, title: string, excel = false): string {
  const json = messageToJson(message);
  return `${CSV_COLUMNS.map((column) => csvField(cell(json, title, column), excel)).join(',')}\r\n`;
}

/** `header: false` when the rows are added to a file that has its header already. */
export function createCsvWriter(sink: TextSink, options: { excel: boolean; header?: boolean }): ExportWriter {
  let title = '';
  let started = options.header === false;
  const start = async () => {
    if (!started) await sink.write(`${options.excel ? '\uFEFF' : ''}${CSV_COLUMNS.join(',')}\r\n`);
    started = true;
  };
  return {
    async beginThread(thread: Thread) {
      await start();
      title = thread.title;
    },
    async message(message: Message) {
      await sink.write(csvRow(message, title, options.excel));
    },
    async endThread() {},
    async finish() {
      await start();
      await sink.close();
      return 1;
    },
    async abort() {},
  };
}

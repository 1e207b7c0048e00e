// Typed access to a request's parameters. Form encodings carry every value as a string and every
// structured value as JSON text; JSON bodies carry real types. Both read the same here.
import { badRequest } from './api-error.js';
import type { UploadedFile } from './multipart.js';
import type { RequestParams } from './parse-request.js';

export class Params {
  constructor(private readonly request: RequestParams) {}

  has(name: string): boolean {
    return this.request.fields[name] !== undefined && this.request.fields[name] !== null;
  }

  string(name: string): string | undefined {
    const value = this.request.fields[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw badRequest(`field "${name}" must be of type String`);
  }

  int(name: string): number | undefined {
    const value = this.request.fields[name];
    if (value === undefined || value === null || value === '') return undefined;
    const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
    if (!Number.isSafeInteger(number)) throw badRequest(`field "${name}" must be of type Integer`);
    return number;
  }

  bool(name: string): boolean | undefined {
    const value = this.request.fields[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === '1' || value === 1) return true;
    if (value === 'false' || value === '0' || value === 0 || value === '') return false;
    throw badRequest(`field "${name}" must be of type Boolean`);
  }

  json<T>(name: string): T | undefined {
    const value = this.request.fields[name];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string') return value as T;
    try {
      return JSON.parse(value) as T;
    } catch {
      throw badRequest(`can't parse ${name.replace(/_/g, ' ')} JSON object`);
    }
  }

  file(name: string): UploadedFile | undefined {
    return this.request.files.get(name);
  }

  /** chat_id as a number or `@username`. */
  chatId(): number | string {
    const value = this.string('chat_id');
    if (value === undefined || value === '') throw badRequest('chat_id is empty');
    if (value.startsWith('@')) return value;
    const id = Number(value);
    if (!Number.isSafeInteger(id)) throw badRequest('chat not found');
    return id;
  }

  messageId(name = 'message_id'): number {
    const id = this.int(name);
    if (id === undefined) throw badRequest(`${name} is empty`);
    return id;
  }
}

/** Structured fields sent as JSON text in form encodings; recorded parsed so tests read objects. */
const STRUCTURED = new Set([
  'reply_markup',
  'reply_parameters',
  'reaction',
  'allowed_updates',
  'link_preview_options',
  'entities',
  'caption_entities',
]);

/** The call's parameters as tests read them: structured fields parsed, uploads summarised. */
export function recordedParams(request: RequestParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(request.fields)) {
    if (STRUCTURED.has(key) && typeof value === 'string') {
      try {
        out[key] = JSON.parse(value);
        continue;
      } catch {
        // keep the raw text
      }
    }
    out[key] = value;
  }
  for (const [key, file] of request.files) {
    out[key] = { filename: file.filename, contentType: file.contentType, size: file.bytes.length };
  }
  return out;
}

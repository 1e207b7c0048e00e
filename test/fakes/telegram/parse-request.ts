// Reads Bot API parameters the four ways Telegram accepts them: query string, urlencoded form,
// JSON, and multipart/form-data (uploads).
import type { IncomingMessage } from 'node:http';
import { FakeApiError } from './api-error.js';
import { boundaryOf, MultipartError, parseMultipart, type UploadedFile } from './multipart.js';

export interface RequestParams {
  fields: Record<string, unknown>;
  files: Map<string, UploadedFile>;
  /** How the parameters arrived: `query`, `json`, `urlencoded` or `multipart`. */
  encoding: string;
}

/** Uploads are capped at 50 MB by the public Bot API. */
export const MAX_BODY_BYTES = 50 * 1024 * 1024 + 1024 * 1024;

export async function parseRequest(req: IncomingMessage, url: URL): Promise<RequestParams> {
  const fields: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const files = new Map<string, UploadedFile>();
  for (const [key, value] of url.searchParams) fields[key] = value;
  const body = await readBody(req);
  const contentType = (req.headers['content-type'] ?? '').toLowerCase();
  if (body.length === 0) return { fields, files, encoding: 'query' };
  if (contentType.startsWith('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw new FakeApiError(400, "Bad Request: can't parse JSON object");
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new FakeApiError(400, "Bad Request: can't parse JSON object");
    }
    Object.assign(fields, parsed);
    return { fields, files, encoding: 'json' };
  }
  if (contentType.startsWith('multipart/form-data')) {
    const boundary = boundaryOf(req.headers['content-type'] ?? '');
    if (!boundary) throw new FakeApiError(400, "Bad Request: can't parse multipart/form-data: no boundary");
    try {
      const parsed = parseMultipart(body, boundary);
      Object.assign(fields, parsed.fields);
      for (const file of parsed.files) files.set(file.field, file);
    } catch (error) {
      if (error instanceof MultipartError) {
        throw new FakeApiError(400, `Bad Request: can't parse multipart/form-data: ${error.message}`);
      }
      throw error;
    }
    return { fields, files, encoding: 'multipart' };
  }
  for (const [key, value] of new URLSearchParams(body.toString('utf8'))) fields[key] = value;
  return { fields, files, encoding: 'urlencoded' };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new FakeApiError(413, 'Request Entity Too Large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

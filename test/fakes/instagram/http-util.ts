// Small HTTP helpers of the fake: read a form body (signed or not), answer JSON with cookies.
import type { IncomingMessage, ServerResponse } from 'node:http';

export type Form = Record<string, string>;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** application/x-www-form-urlencoded, with `signed_body=SIG.{json}` unpacked into the fields. */
export function parseForm(body: Buffer, contentType: string | undefined): Form {
  if (!contentType?.includes('application/x-www-form-urlencoded')) return {};
  const form: Form = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
  const signed = form.signed_body;
  if (signed) {
    const json = signed.slice(signed.indexOf('.') + 1);
    try {
      for (const [key, value] of Object.entries(JSON.parse(json) as Record<string, unknown>)) {
        form[key] = typeof value === 'string' ? value : JSON.stringify(value);
      }
    } catch {
      // Not JSON: keep the raw field.
    }
  }
  return form;
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0) cookies[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return cookies;
}

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  cookies?: Record<string, string>;
}

export function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string | string[]> = {
    'content-type': 'application/json; charset=utf-8',
    ...reply.headers,
  };
  if (reply.cookies) {
    headers['set-cookie'] = Object.entries(reply.cookies).map(
      ([name, value]) => `${name}=${value}; Path=/; Max-Age=31536000${name === 'sessionid' ? '; HttpOnly' : ''}`,
    );
  }
  const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  if (typeof reply.body === 'string') headers['content-type'] = 'text/html; charset=utf-8';
  res.writeHead(reply.status, headers);
  res.end(text);
}

export const ok = (body: Record<string, unknown>, extra: Omit<Reply, 'status' | 'body'> = {}): Reply => ({
  status: 200,
  body: { ...body, status: 'ok' },
  ...extra,
});

export const fail = (status: number, body: Record<string, unknown>): Reply => ({
  status,
  body: { ...body, status: 'fail' },
});

// The fake Bot API itself, spoken to over plain HTTP the ways Telegram accepts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeTelegram, tgErrors, type FakeTelegram } from '../fakes/telegram/index.js';

let fake: FakeTelegram;

beforeEach(async () => {
  fake = await startFakeTelegram({ token: '123:abc' });
});

afterEach(async () => {
  await fake.close();
});

async function call(method: string, init?: RequestInit): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${fake.url}/bot${fake.token}/${method}`, init);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function json(params: unknown): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) };
}

describe('fake Telegram Bot API', () => {
  it('accepts JSON, urlencoded, query-string and multipart parameters', async () => {
    const owner = fake.state.owner.id;
    const viaJson = await call(
      'sendMessage',
      json({ chat_id: owner, text: 'json', reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] } }),
    );
    expect(viaJson.body.ok).toBe(true);
    const viaForm = await call('sendMessage', {
      method: 'POST',
      body: new URLSearchParams({ chat_id: String(owner), text: 'a & b' }),
    });
    expect((viaForm.body.result as { text: string }).text).toBe('a & b');
    const viaQuery = await call(`SENDMESSAGE?chat_id=${owner}&text=query`);
    expect(viaQuery.body.ok).toBe(true);
    const form = new FormData();
    form.set('chat_id', String(owner));
    form.set('document', new Blob([new Uint8Array([0, 1, 2, 255])]), 'a "quoted" name.bin');
    const viaMultipart = await call('sendDocument', { method: 'POST', body: form });
    const result = viaMultipart.body.result as { message_id: number; document: { file_name: string } };
    expect(result.document.file_name).toBe('a "quoted" name.bin');
    expect([...fake.state.message(owner, result.message_id)!.upload!.bytes]).toEqual([0, 1, 2, 255]);
    expect(fake.calls.map((c) => c.encoding)).toEqual(['json', 'urlencoded', 'query', 'multipart']);
    expect(fake.state.sent(owner).map((m) => m.text ?? m.kind)).toEqual(['json', 'a & b', 'query', 'document']);
  });

  it('answers errors in Telegram’s exact shape', async () => {
    expect(await call('noSuchMethod')).toEqual({
      status: 404,
      body: { ok: false, error_code: 404, description: 'Not Found' },
    });
    const wrongToken = await fetch(`${fake.url}/bot123:nope/getMe`);
    expect(wrongToken.status).toBe(401);
    expect(await wrongToken.json()).toEqual({ ok: false, error_code: 401, description: 'Unauthorized' });
    expect(await call('sendMessage', json({ chat_id: 42, text: 'x' }))).toMatchObject({
      status: 400,
      body: { description: 'Bad Request: chat not found' },
    });
    fake.state.failNext('*', tgErrors.flood(5));
    expect(await call('getMe')).toEqual({
      status: 429,
      body: {
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 5',
        parameters: { retry_after: 5 },
      },
    });
    expect((await call('getMe')).status).toBe(200);
  });

  it('forgets all but the last updates for a negative offset and keeps allowed_updates', async () => {
    for (const text of ['a', 'b', 'c']) fake.state.userSends({ text });
    const last = await call('getUpdates', json({ offset: -1 }));
    expect((last.body.result as { message: { text: string } }[]).map((u) => u.message.text)).toEqual(['c']);
    expect(fake.state.pendingUpdates()).toHaveLength(1);

    await call('getUpdates', json({ offset: 0, allowed_updates: ['callback_query'] }));
    fake.state.userSends({ text: 'ignored' });
    const next = await call('getUpdates', json({}));
    expect(next.body.result).toEqual([]);
  });

  it('enforces 20 messages a minute in a group when asked to', async () => {
    fake.state.rateLimits = { perGroupPerMinute: 2 };
    const forum = fake.state.addForum();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await call('sendMessage', json({ chat_id: forum.id, text: `m${i}` }))).status);
    expect(statuses).toEqual([200, 200, 429]);
    const refused = fake.calls.at(-1)!;
    expect(refused.description).toMatch(/^Too Many Requests: retry after \d+$/);
  });

  it('serves uploaded files back through getFile and the file route', async () => {
    const file = fake.state.addFile(Buffer.from('hello'), { dir: 'photos', ext: '.jpg' });
    const info = await call('getFile', json({ file_id: file.file_id }));
    const path = (info.body.result as { file_path: string }).file_path;
    expect(path).toMatch(/^photos\/file_\d+\.jpg$/);
    const download = await fetch(`${fake.url}/file/bot${fake.token}/${path}`);
    expect(await download.text()).toBe('hello');
    expect((await fetch(`${fake.url}/file/bot${fake.token}/photos/missing.jpg`)).status).toBe(404);
  });
});

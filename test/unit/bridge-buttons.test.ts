// The bot's inline buttons: paging through messages that share a millisecond, callback data within
// Telegram's 64 bytes for long thread ids, archive-only threads opened from /search, and presses that
// fail or change nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { BridgeMeta } from '../../src/bridge/core/state-keys.js';
import { BUTTON_FAILED_NOTE } from '../../src/bridge/core/update-handler.js';
import { DeliveryError } from '../../src/bridge/ports.js';
import { harness, type Harness } from './bridge-harness.js';
import { callback, message, ownerText, thread, type TgCall } from './bridge-fakes.js';

let h: Harness;
afterEach(async () => {
  await h?.cleanup();
});

const T = 1_700_000_000_000;
const LONG_FOLDER = 'weekendcrewcampingtripplanningandotherthings_5979738325414604_überlang';
const ARCHIVE_ID = `archive:${LONG_FOLDER}`;

const buttons = (call: TgCall | undefined) => (call?.keyboard ?? []).flat();
const lastSent = () => h.telegram.sent().at(-1)!;
const answers = () => h.telegram.calls.filter((c) => c.method === 'answerCallbackQuery').map((c) => c.text!);

/** Sends `command`, then presses "older" until there is none; returns every message line shown. */
async function pageThrough(command: string): Promise<string[]> {
  await h.bridge.handleUpdates([ownerText(command)]);
  const shown: string[] = [];
  for (let pages = 0; pages < 20; pages++) {
    const page = lastSent();
    shown.unshift(...page.text!.split('\n').filter((line) => line.startsWith('[')));
    const older = buttons(page).find((b) => b.text === 'older');
    if (!older) return shown;
    expect(Buffer.byteLength(older.data!)).toBeLessThanOrEqual(64);
    await h.bridge.handleUpdates([callback(older.data!, page.messageId)]);
  }
  throw new Error('more pages than messages');
}

describe('/messages "older"', () => {
  it('shows every message once when many share a millisecond with the page boundary', async () => {
    h = await harness();
    // 25 messages, four per millisecond (archives with second precision look like this).
    const messages = Array.from({ length: 25 }, (_, i) =>
      message('t1', `m${String(i).padStart(2, '0')}`, { sentAt: T + Math.floor(i / 4), text: `text ${i}` }),
    );
    await h.store.write({ threads: [thread('t1')], messages });
    const shown = await pageThrough('/messages Thread t1');
    expect(shown.map((line) => line.replace(/^.*: /, ''))).toEqual(messages.map((m) => m.text));
  });

  it('pages an archive thread with a long folder name, with ids that hold ":"', async () => {
    h = await harness();
    const messages = Array.from({ length: 23 }, (_, i) =>
      message(ARCHIVE_ID, `a:${String(i).padStart(24, '0')}`, {
        sentAt: T + 1000 * Math.floor(i / 6),
        text: `text ${i}`,
        source: 'archive',
      }),
    );
    await h.store.write({
      threads: [thread(ARCHIVE_ID, { source: 'archive', title: 'Weekend crew' })],
      messages,
    });
    const shown = await pageThrough('/messages Weekend crew');
    expect(shown.map((line) => line.replace(/^.*: /, ''))).toEqual(messages.map((m) => m.text));
  });

  it('still answers the "older" buttons of earlier builds (mo:<thread>:<ms>)', async () => {
    h = await harness();
    await h.store.write({
      threads: [thread('t1')],
      messages: [message('t1', 'i1'), message('t1', 'i2'), message('t1', 'i3')],
    });
    await h.bridge.handleUpdates([callback(`mo:t1:${T + 3}`)]);
    expect(lastSent().text).toMatch(/hello i1\n.*hello i2$/);
  });
});

describe('callback data of thread buttons', () => {
  it('/search and /threads keep every button within 64 bytes and open the right thread', async () => {
    h = await harness();
    const longApiId = `${'9'.repeat(70)}`;
    await h.store.write({
      threads: [thread(longApiId, { title: 'Long one' }), thread('t2', { title: 'Short one' })],
      messages: [message(longApiId, 'i1', { text: 'pancakes here' }), message('t2', 'i2', { text: 'pancakes there' })],
    });
    await h.bridge.handleUpdates([ownerText('/search pancakes')]);
    const found = buttons(lastSent());
    expect(found.map((b) => b.text).sort()).toEqual(['open Long one', 'open Short one']);
    for (const button of found) expect(Buffer.byteLength(button.data!)).toBeLessThanOrEqual(64);
    await h.bridge.handleUpdates([callback(found.find((b) => b.text === 'open Long one')!.data!)]);
    expect(await h.store.getMeta(BridgeMeta.activeThread)).toBe(longApiId);
    expect(lastSent().text).toContain('pancakes here');

    await h.bridge.handleUpdates([ownerText('/threads')]);
    const listed = buttons(lastSent());
    for (const button of listed) expect(Buffer.byteLength(button.data!)).toBeLessThanOrEqual(64);
    expect(listed.map((b) => b.data)).toContain('t:t2');
    await h.bridge.handleUpdates([callback('t:t2')]);
    expect(await h.store.getMeta(BridgeMeta.activeThread)).toBe('t2');
    await h.bridge.handleUpdates([callback(listed.find((b) => b.text.endsWith('Long one'))!.data!)]);
    expect(await h.store.getMeta(BridgeMeta.activeThread)).toBe(longApiId);
  });

  it('says so when a hashed thread is no longer in the store', async () => {
    h = await harness();
    await h.bridge.handleUpdates([callback('t:#AAAAAAAAAAAAAAAA')]);
    expect(answers().at(-1)).toMatch(/not in the store any more\.$/);
  });
});

describe('archive-only threads', () => {
  async function archiveWithSearchHit(): Promise<string> {
    await h.store.write({
      threads: [thread(ARCHIVE_ID, { source: 'archive', title: 'Weekend crew' })],
      messages: [message(ARCHIVE_ID, 'a:1', { text: 'tent pegs', source: 'archive' })],
    });
    await h.bridge.handleUpdates([ownerText('/search tent')]);
    const open = buttons(lastSent())[0]!;
    expect(Buffer.byteLength(open.data!)).toBeLessThanOrEqual(64);
    return open.data!;
  }

  it('/search "open" shows an archive-only thread without making it the active thread', async () => {
    h = await harness();
    await h.store.write({ threads: [thread('t1', { title: 'Zoe' })] });
    await h.store.setMeta(BridgeMeta.activeThread, 't1');
    const open = await archiveWithSearchHit();
    await h.bridge.handleUpdates([callback(open)]);
    expect(h.telegram.sent().some((c) => c.text!.includes('tent pegs'))).toBe(true);
    expect(lastSent().text).toMatch(/Weekend crew is only in an imported archive.*still go to Zoe/);
    expect(answers().at(-1)).toMatch(/Archive only/);
    expect(await h.store.getMeta(BridgeMeta.activeThread)).toBe('t1');
  });

  it('with no active thread, the next plain message is asked about, not dead-lettered', async () => {
    h = await harness();
    const open = await archiveWithSearchHit();
    await h.bridge.handleUpdates([callback(open)]);
    expect(lastSent().text).toMatch(/Pick a thread to write to with \/threads/);
    await h.bridge.handleUpdates([ownerText('see you there')]);
    await h.cycle(3);
    expect(h.instagram.sent).toEqual([]);
    expect(await h.store.outboxStats()).toEqual({ pending: 0, deadLettered: 0 });
    expect(lastSent().text).toMatch(/^Which thread\?/);
  });

  it('an archive thread left active by an earlier build is not written to', async () => {
    h = await harness();
    await h.store.write({ threads: [thread(ARCHIVE_ID, { source: 'archive' })] });
    await h.store.setMeta(BridgeMeta.activeThread, ARCHIVE_ID);
    await h.bridge.handleUpdates([ownerText('hello?')]);
    await h.cycle(3);
    expect(await h.store.outboxStats()).toEqual({ pending: 0, deadLettered: 0 });
    expect(lastSent().text).toMatch(/^Which thread\?/);
  });
});

describe('button presses', () => {
  it('answers the press when its handling fails, so the button stops spinning', async () => {
    h = await harness();
    await h.store.write({ threads: [thread('t1')], messages: [message('t1', 'i1')] });
    h.telegram.failNext.push(
      new DeliveryError('Telegram sendMessage failed: Bad Request: chat not found', { code: 400 }),
    );
    const press = callback('t:t1');
    await h.bridge.handleUpdates([press]);
    expect(answers()).toEqual([`${press.callback_query!.id}:${BUTTON_FAILED_NOTE}`]);
    expect(await h.bridge.telegramOffset()).toBe(press.update_id + 1);
  });

  it('takes "message is not modified" (the same choice twice) as done, without a new copy', async () => {
    h = await harness();
    await h.bridge.handleUpdates([ownerText('/settings')]);
    const settings = lastSent();
    const sentBefore = h.telegram.sent().length;
    h.telegram.failNext.push(
      new DeliveryError(
        'Telegram editMessageText failed: Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a content and reply markup of the current message',
        { code: 400, permanent: true },
      ),
    );
    await h.bridge.handleUpdates([callback('s:poll:120', settings.messageId)]);
    expect(h.options.get().pollIntervalSec).toBe(120);
    expect(h.telegram.sent()).toHaveLength(sentBefore);
    expect(answers().at(-1)).toMatch(/poll every 120s$/);
    // Any other refused edit still falls back to a new message.
    h.telegram.failNext.push(
      new DeliveryError('Telegram editMessageText failed: Bad Request: message to edit not found', {
        code: 400,
        permanent: true,
      }),
    );
    await h.bridge.handleUpdates([callback('s:poll:60', settings.messageId)]);
    expect(h.telegram.sent()).toHaveLength(sentBefore + 1);
    expect(lastSent().text).toMatch(/^Settings/);
  });
});

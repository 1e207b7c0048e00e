// Another bot (a new token from @BotFather): its update ids and message ids start over, so the
// stored position and reply mappings of the old one must not apply, nor its outbox keys.
import { afterEach, describe, expect, it } from 'vitest';
import { adoptBot } from '../../src/bridge/core/bot-change.js';
import { BridgeMeta } from '../../src/bridge/core/state-keys.js';
import type { Store } from '../../src/store/store.js';
import { harness, type Harness } from './bridge-harness.js';
import { message, ownerText, tempStore, thread } from './bridge-fakes.js';

const log = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups) await cleanup();
  cleanups = [];
});

async function store(): Promise<Store> {
  const temp = await tempStore();
  cleanups.push(temp.cleanup);
  return temp.store;
}

describe('another Telegram bot', () => {
  it('starts its update position and reply mappings afresh; the same bot keeps them', async () => {
    const s = await store();
    await adoptBot(s, 1, log);
    await s.setMeta(BridgeMeta.telegramOffset, '713898608');
    const mapping = {
      telegramChatId: '42',
      telegramMessageId: 2,
      threadId: 't1',
      itemId: 'i1',
      direction: 'to_telegram' as const,
      createdAt: 1,
    };
    await s.putMapping(mapping);
    await adoptBot(s, 1, log);
    expect(await s.getMeta(BridgeMeta.telegramOffset)).toBe('713898608');
    expect(await s.findMappingByTelegram('42', 2)).toEqual(mapping);

    await adoptBot(s, 2, log);
    expect(await s.getMeta(BridgeMeta.telegramOffset)).toBeNull();
    expect(await s.findMappingByTelegram('42', 2)).toBeNull();
    expect(await s.getMeta(BridgeMeta.telegramBotId)).toBe('2');
  });

  it("sends the new bot's message even when an old bot's message had the same id", async () => {
    const s = await store();
    await adoptBot(s, 1, log);
    const first: Harness = await harness({}, { store: s, botId: 1 });
    first.instagram.queue([thread('t1')], [message('t1', 'i1')]);
    await first.cycle();
    const update = ownerText('/threads');
    await first.bridge.handleUpdates([update]);
    await s.setMeta(BridgeMeta.activeThread, 't1');
    const same = ownerText('from the old bot');
    await first.bridge.handleUpdates([same]);
    await first.cycle(2);
    expect(first.instagram.sent.map((sent) => sent.text)).toEqual(['from the old bot']);

    await adoptBot(s, 2, log); // as the daemon does at start, after getMe
    const second: Harness = await harness({}, { store: s, botId: 2 });
    const reused = { ...same, update_id: 1, message: { ...same.message!, text: 'from the new bot' } };
    await second.bridge.handleUpdates([reused]);
    await second.cycle(2);
    expect(second.instagram.sent.map((sent) => sent.text)).toEqual(['from the new bot']);
    // And its ✓, though the old bot's message of the same id had one.
    expect(first.telegram.calls.filter((call) => call.method === 'setReaction')).toHaveLength(1);
    expect(second.telegram.calls.filter((call) => call.method === 'setReaction')).toHaveLength(1);
  });
});

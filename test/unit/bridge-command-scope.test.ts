// What a command or button acts on: only this bot's commands (in groups Telegram sends
// `/status@otherbot` to every bot), a forum topic's own thread, and a settings button handled
// twice because the store was busy the first time.
import { afterEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/core/errors.js';
import { BridgeMeta } from '../../src/bridge/core/state-keys.js';
import { BUTTON_FAILED_NOTE } from '../../src/bridge/core/update-handler.js';
import type { TgUpdate } from '../../src/bridge/ports.js';
import { harness, type Harness } from './bridge-harness.js';
import { callback, message, OWNER, ownerText, thread } from './bridge-fakes.js';

let h: Harness;
afterEach(async () => {
  await h?.cleanup();
});

const FORUM = { id: -100777, type: 'supergroup', is_forum: true };
const TOPIC_T1 = 71;

const answers = () => h.telegram.calls.filter((c) => c.method === 'answerCallbackQuery').map((c) => c.text!);
const lastSent = () => h.telegram.sent().at(-1)!;

/** The owner writes `text` in the forum group: in a topic, or in General when `topicId` is undefined. */
function inForum(text: string, topicId?: number): TgUpdate {
  return ownerText(text, {
    chat: FORUM,
    ...(topicId !== undefined ? { is_topic_message: true, message_thread_id: topicId } : {}),
  });
}

/** Two threads, t1 with its forum topic; t2 is the active thread. */
async function forumWithTwoThreads(): Promise<void> {
  h = await harness({ forumChatId: FORUM.id });
  await h.store.write({
    threads: [thread('t1'), thread('t2')],
    messages: [message('t1', 'i1', { text: 'from t1' }), message('t2', 'j1', { text: 'from t2' })],
  });
  await h.store.putTopic({ threadId: 't1', telegramChatId: String(FORUM.id), topicId: TOPIC_T1 });
  await h.store.setMeta(BridgeMeta.activeThread, 't2');
}

describe('commands addressed to a bot', () => {
  it("ignores another bot's commands, answers its own (any case), and asks getMe once", async () => {
    h = await harness({ forumChatId: FORUM.id });
    let getMeCalls = 0;
    const getMe = h.telegram.getMe.bind(h.telegram);
    h.telegram.getMe = () => {
      getMeCalls += 1;
      return getMe();
    };
    const others = [
      inForum('/status@otherbot'),
      inForum('/messages@otherbot', 5),
      inForum('/forum@otherbot'),
      ownerText('/help@otherbot'),
    ];
    await h.bridge.handleUpdates(others);
    expect(h.telegram.sent()).toEqual([]);
    expect(await h.bridge.telegramOffset()).toBe(others.at(-1)!.update_id + 1);
    expect(await h.store.outboxStats()).toEqual({ pending: 0, deadLettered: 0 });

    await h.bridge.handleUpdates([inForum('/status@IGTG_Bot'), inForum('/status'), ownerText('/help@igtg_bot')]);
    expect(h.telegram.sent().map((c) => c.text!.split('\n')[0])).toEqual([
      'Instagram: logged in',
      'Instagram: logged in',
      'igtg bridge: your Instagram DMs, here.',
    ]);
    expect(getMeCalls).toBe(1);
  });
});

describe('the current thread in a forum topic', () => {
  it("/messages in a topic shows the topic's thread; in General and the private chat the active one", async () => {
    await forumWithTwoThreads();
    await h.bridge.handleUpdates([inForum('/messages', TOPIC_T1)]);
    expect(lastSent()).toMatchObject({ chatId: FORUM.id, options: { topicId: TOPIC_T1 } });
    expect(lastSent().text).toContain('from t1');

    await h.bridge.handleUpdates([inForum('/messages')]);
    expect(lastSent().text).toContain('from t2');
    await h.bridge.handleUpdates([ownerText('/messages')]);
    expect(lastSent()).toMatchObject({ chatId: OWNER });
    expect(lastSent().text).toContain('from t2');
  });

  it("/settings in a topic mutes the topic's thread", async () => {
    await forumWithTwoThreads();
    await h.bridge.handleUpdates([inForum('/settings', TOPIC_T1)]);
    const settings = lastSent();
    const mute = settings.keyboard!.flat().find((b) => b.text.startsWith('Mute'))!;
    expect(mute.text).toBe('Mute Thread t1');
    const press = callback(mute.data!, settings.messageId);
    press.callback_query!.message = {
      message_id: settings.messageId!,
      chat: FORUM,
      date: 0,
      is_topic_message: true,
      message_thread_id: TOPIC_T1,
    };
    await h.bridge.handleUpdates([press]);
    expect(await h.store.getMeta(BridgeMeta.muted('t1'))).not.toBeNull();
    expect(await h.store.getMeta(BridgeMeta.muted('t2'))).toBeNull();
    expect(answers().at(-1)).toMatch(/:muted$/);
  });
});

describe('a button press the store could not take at first', () => {
  /** Makes reading the active thread fail with a StoreError `times` times (after the setting was changed). */
  function storeBusy(times: number): void {
    const getMeta = h.store.getMeta.bind(h.store);
    let left = times;
    h.store.getMeta = async (key: string) => {
      if (key === BridgeMeta.activeThread && left > 0) {
        left -= 1;
        throw new StoreError('the store is locked by another igtg process; try again when it has finished');
      }
      return getMeta(key);
    };
  }

  async function mirrorButton(): Promise<TgUpdate> {
    await h.bridge.handleUpdates([ownerText('/settings')]);
    const settings = lastSent();
    const mirror = settings.keyboard!.flat().find((b) => b.text.startsWith('Mirror my own messages'))!;
    return callback(mirror.data!, settings.messageId);
  }

  it('is not answered "did not work" while a retry comes, and the retry does not flip the toggle back', async () => {
    h = await harness();
    const press = await mirrorButton();
    storeBusy(1);
    await expect(h.bridge.handleUpdates([press])).rejects.toBeInstanceOf(StoreError);
    expect(await h.bridge.telegramOffset()).toBe(press.update_id);
    expect(answers()).toEqual([`${press.callback_query!.id}:`]);

    await h.bridge.handleUpdates([press]);
    expect(h.options.get().mirrorOwn).toBe(true);
    expect(await h.bridge.telegramOffset()).toBe(press.update_id + 1);
    expect(answers()).not.toContain(`${press.callback_query!.id}:${BUTTON_FAILED_NOTE}`);
  });

  it('says "did not work" once the store refused it for the last time', async () => {
    h = await harness();
    const press = await mirrorButton();
    storeBusy(100);
    let failures = 0;
    while (
      await h.bridge.handleUpdates([press]).then(
        () => false,
        () => true,
      )
    )
      failures += 1;
    expect(failures).toBe(6);
    expect(answers().at(-1)).toBe(`${press.callback_query!.id}:${BUTTON_FAILED_NOTE}`);
    expect(answers().filter((a) => a.endsWith(BUTTON_FAILED_NOTE))).toHaveLength(1);
    expect(h.options.get().mirrorOwn).toBe(true);
  });
});

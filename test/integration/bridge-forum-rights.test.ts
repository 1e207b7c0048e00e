// Forum mode and the bot's rights in the group, through the real client stack against the fake Bot
// API: /forum goes on only where the bot may create topics, and when it loses that right later the
// owner is told in private (the DMs that found no topic wait as dead letters for /retry).
import { afterEach, describe, expect, it } from 'vitest';
import { Bridge } from '../../src/bridge/core/bridge.js';
import { FORUM_NEEDS_RIGHTS, FORUM_ON } from '../../src/bridge/core/forum-mode.js';
import { memoryOptions } from '../../src/bridge/core/options.js';
import { unpacedTelegramPort } from '../helpers/telegram-stack.js';
import { startFakeTelegram } from '../fakes/telegram/index.js';
import { ManualClock, MemoryInstagram, message, seededRandom, tempStore, thread } from '../unit/bridge-fakes.js';

let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function world(forum: { botIsAdmin: boolean; botCanManageTopics?: boolean }) {
  const tg = await startFakeTelegram();
  const { store, cleanup } = await tempStore();
  cleanups.push(() => tg.close(), cleanup);
  const clock = new ManualClock(Date.now());
  const instagram = new MemoryInstagram(store);
  const telegram = unpacedTelegramPort(tg);
  const group = tg.state.addForum(forum);
  const options = memoryOptions({ ownerId: tg.state.owner.id, maxAttempts: 3 });
  const bridge = new Bridge({
    botId: tg.state.bot.id,
    store,
    instagram,
    telegram,
    options,
    clock,
    random: seededRandom(),
    telegramTimeoutSec: 0,
  });
  await bridge.initialise();
  const sendForum = async () => {
    tg.state.userSends({ chatId: group.id, text: '/forum' });
    await bridge.telegramOnce();
    return tg.state.sent(group.id).at(-1)?.text;
  };
  const rounds = async (count: number) => {
    for (let i = 0; i < count; i++) {
      await bridge.deliverOnce();
      clock.advance(20 * 60_000);
    }
  };
  return { tg, store, instagram, bridge, options, group, sendForum, rounds };
}

describe('forum mode and the bot’s rights in the group', () => {
  it('refuses /forum where the bot is not an admin, or may not manage topics', async () => {
    const member = await world({ botIsAdmin: false });
    expect(await member.sendForum()).toBe(FORUM_NEEDS_RIGHTS);
    expect(member.options.get().forumChatId).toBeNull();

    const admin = await world({ botIsAdmin: true, botCanManageTopics: false });
    expect(await admin.sendForum()).toBe(FORUM_NEEDS_RIGHTS);
    expect(admin.options.get().forumChatId).toBeNull();
  });

  it('switches on where the bot may manage topics', async () => {
    const w = await world({ botIsAdmin: true });
    expect(await w.sendForum()).toBe(FORUM_ON);
    expect(w.options.get().forumChatId).toBe(w.group.id);
  });

  it('tells the owner in private when a topic can no longer be created, and /retry delivers once fixed', async () => {
    const w = await world({ botIsAdmin: true });
    await w.sendForum();
    w.tg.state.setBotRights(w.group.id, { admin: false });
    w.instagram.queue(
      [thread('t1', { title: 'Alice' }), thread('t2', { title: 'Bob' })],
      [message('t1', 'i1'), message('t2', 'i2')],
    );
    await w.bridge.pollOnce();
    await w.rounds(3);

    const owner = w.tg.state.owner.id;
    const notices = w.tg.state.sent(owner).filter((m) => m.text?.startsWith('⚠'));
    expect(notices).toHaveLength(1);
    expect(notices[0]!.text).toContain('not enough rights to create a topic');
    expect(notices[0]!.text).toContain('/retry');
    expect(await w.store.listDeadLetters()).toHaveLength(2);

    w.tg.state.setBotRights(w.group.id, { admin: true });
    w.tg.state.userSends({ text: '/retry' });
    await w.bridge.telegramOnce();
    await w.rounds(2);
    const posted = w.tg.state.sent(w.group.id).filter((m) => m.text?.startsWith('hello'));
    expect(posted.map((m) => m.text)).toEqual(['hello i1', 'hello i2']);
    expect(await w.store.listDeadLetters()).toEqual([]);
  });
});

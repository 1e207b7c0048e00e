// /forum checks the bot's own rights in the group before forum mode goes on (the fake Bot API
// cases are in test/integration/bridge-forum-rights.test.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { canCreateTopics, FORUM_NEEDS_RIGHTS, FORUM_ON } from '../../src/bridge/core/forum-mode.js';
import { DeliveryError } from '../../src/bridge/ports.js';
import { harness, type Harness } from './bridge-harness.js';
import { ownerText } from './bridge-fakes.js';

const forum = { id: -100777, type: 'supergroup', is_forum: true };

let h: Harness;
afterEach(async () => {
  await h?.cleanup();
});

async function sendForum(): Promise<string | undefined> {
  await h.bridge.handleUpdates([ownerText('/forum', { chat: forum })]);
  return h.telegram.sent().at(-1)?.text;
}

describe('/forum', () => {
  it('needs the group’s creator, or an admin with the right to manage topics', () => {
    expect(canCreateTopics({ status: 'creator' })).toBe(true);
    expect(canCreateTopics({ status: 'administrator', can_manage_topics: true })).toBe(true);
    expect(canCreateTopics({ status: 'administrator', can_manage_topics: false })).toBe(false);
    expect(canCreateTopics({ status: 'administrator' })).toBe(false);
    expect(canCreateTopics({ status: 'member' })).toBe(false);
  });

  it('asks Telegram about the bot itself (getMe when its id is not known yet)', async () => {
    h = await harness();
    h.telegram.botMember.set(forum.id, { status: 'member' });
    expect(await sendForum()).toBe(FORUM_NEEDS_RIGHTS);
    expect(h.telegram.calls.find((c) => c.method === 'getChatMember')).toMatchObject({ chatId: forum.id, text: '999' });
    expect(h.options.get().forumChatId).toBeNull();

    h.telegram.botMember.set(forum.id, { status: 'creator' });
    expect(await sendForum()).toBe(FORUM_ON);
    expect(h.options.get().forumChatId).toBe(forum.id);
  });

  it('stays off, and says why, when the rights cannot be read', async () => {
    h = await harness();
    h.telegram.getChatMember = () => Promise.reject(new DeliveryError('Telegram getChatMember failed: Bad Gateway'));
    expect(await sendForum()).toContain("Forum mode stays off: cannot read this bot's rights here (Telegram");
    expect(h.options.get().forumChatId).toBeNull();
  });
});

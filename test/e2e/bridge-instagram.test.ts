// The built binary's bridge against the fake Instagram API and the fake Telegram Bot API, polling
// only: history is not forwarded; a new Instagram message reaches Telegram within two polls; a
// reply reaches the right Instagram thread with its client_context and is not echoed back; forum
// mode; SIGTERM exits 0.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loginToFake, runIgtg } from '../helpers/cli.js';
import { bridgeWorld, until, type BridgeWorld } from '../helpers/bridge-world.js';

let world: BridgeWorld;

beforeEach(async () => {
  world = await bridgeWorld();
});

afterEach(async () => {
  await world.close();
});

const inboxRequests = () => world.ig.count(/^\/api\/v1\/direct_v2\/inbox\/$/);

describe('igtg bridge with Instagram (built binary, fake Instagram + fake Telegram)', () => {
  it('forwards a new message within two polls, sends a reply to its thread once, and never echoes it', async () => {
    const { ig, tg, owner, thread, friend } = world;
    const daemon = world.start(['--no-realtime']);
    await world.baselineDone();
    expect(tg.state.sent(owner).some((m) => m.text?.includes('old history'))).toBe(false);

    const before = inboxRequests();
    ig.state.addItem(thread, { from: friend.pk, text: 'hello from instagram' });
    const forwarded = await until('forwarded message', () =>
      tg.state.sent(owner).find((m) => m.text?.endsWith('hello from instagram')),
    );
    // Two polls at most find it; one more may have begun while Telegram was answering.
    expect(inboxRequests() - before).toBeLessThanOrEqual(3);

    tg.state.userSends({ text: 'answer from telegram', replyTo: forwarded.messageId });
    const sent = await until('broadcast to Instagram', () =>
      world.broadcasts().find((b) => b.text === 'answer from telegram'),
    );
    expect(sent.threadIds).toEqual([thread.thread_id]);
    expect(sent.clientContext).toMatch(/^\d+$/);
    const stored = thread.items.find((item) => item.text === 'answer from telegram');
    expect(stored?.client_context).toBe(sent.clientContext);

    // Two more polls see the sent item in the inbox; it must not come back to Telegram.
    const seen = inboxRequests();
    await until('two more polls', () => inboxRequests() >= seen + 2);
    await until('the sent item stored', () =>
      world.withStore(async (store) => store.getMessage(thread.thread_id, String(stored!.item_id))),
    );
    ig.state.addItem(thread, { from: friend.pk, text: 'after the reply' });
    await until('the next message', () => tg.state.sent(owner).find((m) => m.text?.endsWith('after the reply')));
    expect(tg.state.sent(owner).filter((m) => m.text?.includes('answer from telegram'))).toEqual([]);
    expect(world.broadcasts().filter((b) => b.text === 'answer from telegram')).toHaveLength(1);

    daemon.kill('SIGTERM');
    const result = await daemon;
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(String(result.stdout)).not.toContain('hello from instagram');
  }, 90_000);

  it('forum mode: a topic per Instagram thread, a message in the topic goes to that thread', async () => {
    const { ig, tg, thread, friend } = world;
    const forum = tg.state.addForum({ botIsAdmin: true });
    const daemon = world.start(['--no-realtime']);
    tg.state.userSends({ chatId: forum.id, text: '/forum' });
    await until('forum confirmation', () => tg.state.sent(forum.id).find((m) => m.text?.startsWith('Forum mode on')));
    await world.baselineDone();
    ig.state.addItem(thread, { from: friend.pk, text: 'ciao forum' });
    const message = await until('message in a topic', () =>
      tg.state.sent(forum.id).find((m) => m.text?.includes('ciao forum')),
    );
    const topics = tg.state.topics(forum.id);
    expect([...topics.values()].map((t) => t.name)).toEqual(['zoe.w']);
    expect(message.topicId).toBe([...topics.keys()][0]);

    tg.state.userSends({ chatId: forum.id, topicId: message.topicId!, text: 'from the topic' });
    const sent = await until('broadcast', () => world.broadcasts().find((b) => b.text === 'from the topic'));
    expect(sent.threadIds).toEqual([thread.thread_id]);
    daemon.kill('SIGTERM');
    expect((await daemon).exitCode).toBe(0);
  }, 90_000);

  it('a dead session: the owner is told once, commands keep working, a new login is picked up', async () => {
    const { ig, tg, owner, thread, friend } = world;
    const daemon = world.start(['--no-realtime']);
    await world.baselineDone();
    ig.state.sessions.clear(); // Every request now answers login_required.
    const notice = (m: { text?: string | null }) => m.text?.includes('logged this bridge out');
    await until('session notice', () => tg.state.sent(owner).find(notice));
    const polls = ig.count(/direct_v2\/inbox/);
    await until('more polls', () => ig.count(/direct_v2\/inbox/) >= polls + 3);
    expect(tg.state.sent(owner).filter(notice)).toHaveLength(1);
    tg.state.userSends({ text: '/status' });
    await until('status reply', () => tg.state.sent(owner).find((m) => m.text?.startsWith('Instagram: logged out')));

    const login = await runIgtg(['login', '--sessionid', ig.state.newSession()], {
      home: world.home,
      env: world.env(),
    });
    expect(login.exitCode).toBe(0);
    ig.state.addItem(thread, { from: friend.pk, text: 'after the new login' });
    await until('message after the new login', () =>
      tg.state.sent(owner).find((m) => m.text?.endsWith('after the new login')),
    );
    daemon.kill('SIGTERM');
    expect((await daemon).exitCode).toBe(0);
  }, 90_000);

  // Before, the one request queue waited the rate limit out (a minute, doubling) with every poll
  // and every other send behind it.
  it('a rate limit on a reply holds that reply only: new messages are still forwarded', async () => {
    const { ig, tg, owner, thread, friend } = world;
    const daemon = world.start(['--no-realtime'], { IGTG_BACKOFF_BASE_MS: '600000' });
    await world.baselineDone();
    ig.state.addItem(thread, { from: friend.pk, text: 'ping' });
    const forwarded = await until('forwarded message', () =>
      tg.state.sent(owner).find((m) => m.text?.endsWith('ping')),
    );
    ig.state.failNext(3, '429', /direct_v2\/threads\/broadcast\//);
    tg.state.userSends({ text: 'pong', replyTo: forwarded.messageId });
    await until('the refused send', () => ig.count(/direct_v2\/threads\/broadcast\//) > 0);
    ig.state.addItem(thread, { from: friend.pk, text: 'are you there?' });
    await until('the next message', () => tg.state.sent(owner).find((m) => m.text?.endsWith('are you there?')), 20_000);
    // Refused once, not retried in a loop: the reply waits in the outbox for Instagram's wait (minutes).
    expect(world.broadcasts().map((b) => b.text)).toEqual(['pong']);
    expect(thread.items.some((item) => item.text === 'pong')).toBe(false);
    const status = await runIgtg(['status', '--json'], { home: world.home, env: world.env() });
    expect(JSON.parse(String(status.stdout)).bridge).toMatchObject({ dead_letters: 0 });
    daemon.kill('SIGTERM');
    const result = await daemon;
    expect(result.exitCode).toBe(0);
    expect(String(result.stdout) + String(result.stderr)).toMatch(/delivery postponed/);
  }, 90_000);

  it('an action block holds every reply: the owner is told once, nothing more is sent or given up on', async () => {
    const { ig, tg, owner, thread, friend } = world;
    const daemon = world.start(['--no-realtime']);
    await world.baselineDone();
    ig.state.addItem(thread, { from: friend.pk, text: 'are you free?' });
    const forwarded = await until('forwarded message', () =>
      tg.state.sent(owner).find((m) => m.text?.endsWith('are you free?')),
    );
    ig.state.failNext(4, 'feedback_required', /direct_v2\/threads\/broadcast\//);
    for (const text of ['one', 'two', 'three', 'four']) tg.state.userSends({ text, replyTo: forwarded.messageId });
    // Updates are handled in order: once /status is answered, all four replies are queued. A delivery
    // round after that (the one forwarding the next Instagram message) sends what it may to Instagram first.
    tg.state.userSends({ text: '/status' });
    await until('status reply', () => tg.state.sent(owner).find((m) => m.text?.startsWith('Instagram: ')));
    ig.state.addItem(thread, { from: friend.pk, text: 'still there?' });
    await until('the next message', () => tg.state.sent(owner).find((m) => m.text?.endsWith('still there?')));

    expect(world.broadcasts().map((b) => b.text)).toEqual(['one']);
    const notice = (m: { text?: string | null }) => m.text?.includes('Instagram blocked sending');
    await until('pause notice', () => tg.state.sent(owner).find(notice));
    expect(tg.state.sent(owner).filter(notice)).toHaveLength(1);
    expect(tg.state.sent(owner).filter((m) => m.text?.startsWith('⚠'))).toEqual([]);
    const status = await runIgtg(['status', '--json'], { home: world.home, env: world.env() });
    const { bridge } = JSON.parse(String(status.stdout)) as {
      bridge: { outbox_pending: number; dead_letters: number; instagram_paused_until: string | null };
    };
    expect(bridge.dead_letters).toBe(0);
    expect(Date.parse(bridge.instagram_paused_until!)).toBeGreaterThan(Date.now() + 5 * 3_600_000);
    // The four replies wait (a forward to Telegram may not be acknowledged yet).
    expect(bridge.outbox_pending).toBeGreaterThanOrEqual(4);
    daemon.kill('SIGTERM');
    expect((await daemon).exitCode).toBe(0);
  }, 90_000);

  it('finishes a login waiting for a two-factor code with /code in the chat', async () => {
    const { ig, tg, owner, thread, friend } = world;
    expect((await runIgtg(['logout'], { home: world.home, env: world.env() })).exitCode).toBe(0);
    ig.state.failNextLogin('two_factor');
    const login = await loginToFake(world.home, world.env());
    expect(login.exitCode).toBe(3);
    const daemon = world.start(['--no-realtime']);
    await until('session notice', () =>
      tg.state.sent(owner).find((m) => m.text?.includes('not logged in to Instagram')),
    );
    tg.state.userSends({ text: '/code 000000' });
    await until('refusal', () => tg.state.sent(owner).find((m) => m.text?.startsWith('Instagram refused the code')));
    tg.state.userSends({ text: '/code 123456' });
    await until('acceptance', () => tg.state.sent(owner).find((m) => m.text?.startsWith('Code accepted')));
    await world.baselineDone();
    ig.state.addItem(thread, { from: friend.pk, text: 'after the code' });
    await until('message after the code', () => tg.state.sent(owner).find((m) => m.text?.endsWith('after the code')));
    daemon.kill('SIGTERM');
    expect((await daemon).exitCode).toBe(0);
  }, 90_000);
});

import { StatusMeta } from '../../src/core/status-meta.js';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyMedia } from '../../src/core/model.js';
import { BridgeMeta } from '../../src/bridge/core/state-keys.js';
import { harness, type Harness } from './bridge-harness.js';
import { message, OWNER, thread } from './bridge-fakes.js';

let h: Harness;
afterEach(async () => {
  await h?.cleanup();
});

describe('Instagram → Telegram forwarding', () => {
  it('forwards newly stored messages in order, each once, headed with thread and sender', async () => {
    h = await harness();
    const t = thread('t1', { title: 'Zoë Müller', isGroup: true });
    h.instagram.queue([t], [message('t1', 'i1'), message('t1', 'i2'), message('t1', 'i3')]);
    await h.cycle();
    const sent = h.telegram.sent();
    expect(sent.map((c) => c.text)).toEqual([
      '💬 Zoë Müller · zoe\nhello i1',
      '💬 Zoë Müller · zoe\nhello i2',
      '💬 Zoë Müller · zoe\nhello i3',
    ]);
    expect(sent.every((c) => c.chatId === OWNER)).toBe(true);
    await h.cycle(2);
    expect(h.telegram.sent()).toHaveLength(3);
    expect((await h.store.outboxStats()).pending).toBe(0);
    const mappings = await h.store.findMappingsByItem('t1', 'i2');
    expect(mappings).toHaveLength(1);
  });

  it('does not forward history stored before the bridge first started', async () => {
    h = await harness();
    await h.cleanup();
    // A fresh harness on a store that already holds messages.
    h = await harness();
    await h.store.setMeta(BridgeMeta.forwardSeq, null);
    await h.store.write({ threads: [thread('t1')], messages: [message('t1', 'old1')] });
    await h.bridge.initialise();
    h.instagram.queue([], [message('t1', 'new1')]);
    await h.cycle();
    expect(h.telegram.sent().map((c) => c.text)).toEqual(['💬 Thread t1 · zoe\nhello new1']);
  });

  it("skips the owner's own messages unless mirroring is on, and never echoes the bridge's own sends", async () => {
    h = await harness();
    await h.store.setMeta(BridgeMeta.sentContext('cc-bridge'), 't1');
    h.instagram.queue(
      [thread('t1')],
      [
        message('t1', 'm1', { fromMe: true, text: 'from phone' }),
        message('t1', 'm2', { fromMe: true, clientContext: 'cc-bridge', text: 'echo' }),
      ],
    );
    await h.cycle();
    expect(h.telegram.sent()).toHaveLength(0);
    h.options.update({ mirrorOwn: true });
    h.instagram.queue(
      [],
      [
        message('t1', 'm3', { fromMe: true, text: 'again from phone' }),
        message('t1', 'm4', { fromMe: true, clientContext: 'cc-bridge', text: 'echo' }),
      ],
    );
    await h.cycle();
    expect(h.telegram.sent().map((c) => c.text)).toEqual(['💬 Thread t1 · You\nagain from phone']);
  });

  it('splits text past 4096 characters and resumes after the parts already sent', async () => {
    h = await harness();
    const long = `${'a'.repeat(4000)}\n${'b'.repeat(4000)}\n${'c'.repeat(100)}`;
    h.instagram.queue([thread('t1')], [message('t1', 'long', { text: long })]);
    // The second part fails once: the retry must not resend the first.
    h.telegram.failNext = [];
    await h.bridge.pollOnce();
    const original = h.telegram.sendMessage.bind(h.telegram);
    let calls = 0;
    h.telegram.sendMessage = async (chatId, text, options) => {
      calls += 1;
      if (calls === 2) throw new Error('network down');
      return original(chatId, text, options);
    };
    await h.bridge.deliverOnce();
    h.clock.advance(60 * 60_000);
    await h.bridge.deliverOnce();
    const texts = h.telegram.sent().map((c) => c.text!);
    expect(texts.length).toBe(3);
    expect(texts.every((t) => t.length <= 4096)).toBe(true);
    expect(texts.join('').replace(/\n/g, '')).toContain('c'.repeat(100));
    // Every part says whose it is: another thread's message may come between them.
    const head = texts[0]!.split('\n')[0]!;
    expect(head.startsWith('💬')).toBe(true);
    expect(texts.slice(1).map((t) => t.split('\n')[0])).toEqual([`${head} (cont.)`, `${head} (cont.)`]);
    expect(await h.store.findMappingsByItem('t1', 'long')).toHaveLength(3);
  });

  it('downloads media and uploads it with a caption of at most 1024 characters; links when media is off', async () => {
    h = await harness();
    const photo = emptyMedia('photo', { url: 'https://cdn.example/p.jpg' });
    h.instagram.queue([thread('t1')], [message('t1', 'p1', { kind: 'photo', text: 'x'.repeat(2000), media: [photo] })]);
    await h.cycle();
    const media = h.telegram.calls.filter((c) => c.method === 'sendMedia');
    expect(media).toHaveLength(1);
    expect(media[0]!.kind).toBe('photo');
    expect(media[0]!.caption!.length).toBeLessThanOrEqual(1024);
    expect(h.instagram.downloads).toEqual(['https://cdn.example/p.jpg']);
    // The rest of the caption follows as text.
    expect(h.telegram.calls.filter((c) => c.method === 'sendMessage').length).toBeGreaterThan(0);

    h.options.update({ media: false });
    h.instagram.queue([], [message('t1', 'p2', { kind: 'photo', text: null, media: [photo] })]);
    await h.cycle();
    expect(h.telegram.sent().at(-1)!.text).toBe('💬 Thread t1 · zoe\n📷 https://cdn.example/p.jpg');
  });

  it('turns shares into links, marks message requests and edits unsent messages', async () => {
    h = await harness();
    h.instagram.queue(
      [thread('t1', { isRequest: true, title: 'stranger' })],
      [
        message('t1', 's1', {
          kind: 'share',
          text: null,
          share: { url: 'https://instagram.com/p/x', text: 'a post', owner: 'nasa' },
        }),
      ],
    );
    await h.cycle();
    expect(h.telegram.sent()[0]!.text).toBe(
      '📩 message request · 💬 stranger · zoe\n🔗 https://instagram.com/p/x\nshared from @nasa\na post',
    );
    h.clock.advance(5000);
    h.instagram.queue([], [message('t1', 's1', { kind: 'share', text: null, unsent: true, share: null })]);
    await h.cycle();
    const edit = h.telegram.calls.find((c) => c.method === 'editMessageText');
    expect(edit?.messageId).toBe(h.telegram.sent()[0]!.messageId);
    expect(edit?.text).toContain('unsent');
  });

  it('sends nothing for a message unsent before it was ever forwarded', async () => {
    h = await harness();
    h.instagram.queue([thread('t1')], [message('t1', 'u1', { unsent: true }), message('t1', 'k1', { text: 'kept' })]);
    await h.cycle();
    expect(h.telegram.sent().map((c) => c.text)).toEqual(['💬 Thread t1 · zoe\nkept']);
    expect(await h.store.outboxStats()).toEqual({ pending: 0, deadLettered: 0 });
  });

  it('notes reactions added after a message was forwarded, replying to it', async () => {
    h = await harness();
    h.instagram.queue([thread('t1')], [message('t1', 'r1')]);
    await h.cycle();
    h.clock.advance(10_000);
    h.instagram.queue(
      [],
      [message('t1', 'r1', { reactions: [{ emoji: '❤️', actor: 'zoe', actorId: '111', at: null }] })],
    );
    await h.cycle();
    const note = h.telegram.sent().at(-1)!;
    expect(note.text).toBe('❤️ zoe reacted to: hello r1');
    expect(note.options?.replyTo).toBe(h.telegram.sent()[0]!.messageId);
  });

  it("without mirror_own, leaves out the owner's own reactions (made in the app) from the notes", async () => {
    h = await harness();
    await h.store.setMeta(StatusMeta.instagramViewerId, '999');
    h.instagram.queue([thread('t1')], [message('t1', 'r1')]);
    await h.cycle();
    const mine = { emoji: '🔥', actor: 'me', actorId: '999', at: null };
    const zoes = { emoji: '❤️', actor: 'zoe', actorId: '111', at: null };
    for (const reactions of [[mine], [mine, zoes]]) {
      h.clock.advance(10_000);
      h.instagram.queue([], [message('t1', 'r1', { reactions })]);
      await h.cycle();
    }
    expect(h.telegram.sent().map((c) => c.text)).toEqual([
      '💬 Thread t1 · zoe\nhello r1',
      expect.stringContaining('❤️ zoe'),
    ]);
    h.options.update({ mirrorOwn: true });
    h.clock.advance(10_000);
    h.instagram.queue([], [message('t1', 'r1', { reactions: [mine, { ...zoes, emoji: '😂' }] })]);
    await h.cycle();
    expect(h.telegram.sent().at(-1)!.text).toContain('🔥 me');
  });

  it('in forum mode creates one topic per thread on its first message and posts there', async () => {
    h = await harness({ forumChatId: -100123 });
    h.instagram.queue(
      [thread('t1', { title: 'Alice' }), thread('t2', { title: 'Bob' })],
      [message('t1', 'a1'), message('t2', 'b1'), message('t1', 'a2')],
    );
    await h.cycle(3);
    const topics = h.telegram.calls.filter((c) => c.method === 'createForumTopic');
    expect(topics.map((c) => c.text).sort()).toEqual(['Alice', 'Bob']);
    const sent = h.telegram.sent();
    expect(sent).toHaveLength(3);
    expect(sent.every((c) => c.chatId === -100123)).toBe(true);
    const aliceTopic = (await h.store.getTopicByThread('t1', '-100123'))!.topicId;
    expect(sent.filter((c) => c.options?.topicId === aliceTopic).map((c) => c.text)).toEqual(['hello a1', 'hello a2']);
  });

  it('in a 1:1 topic describes media it has no link for instead of sending empty text', async () => {
    h = await harness({ forumChatId: -100123 });
    const sticker = { kind: 'sticker' as const, url: null, name: null, mime: null, width: null, height: null };
    h.instagram.queue(
      [thread('t1', { title: 'Alice' })],
      [message('t1', 's1', { kind: 'sticker', text: null, media: [{ ...sticker, durationMs: null, path: null }] })],
    );
    await h.cycle();
    expect(h.telegram.sent().map((c) => c.text)).toEqual(['🏷 sticker']);
  });

  it('does not forward muted threads', async () => {
    h = await harness();
    await h.store.setMeta(BridgeMeta.muted('t1'), '1');
    h.instagram.queue([thread('t1'), thread('t2')], [message('t1', 'x1'), message('t2', 'y1')]);
    await h.cycle();
    expect(h.telegram.sent().map((c) => c.text)).toEqual(['💬 Thread t2 · zoe\nhello y1']);
  });
});

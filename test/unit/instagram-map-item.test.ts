// Raw items of shared/formats → igtg's Message.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { User } from '../../src/core/model.js';
import { igTimeToMs } from '../../src/instagram/ig-values.js';
import { mapItem, mapItems, type ItemContext } from '../../src/instagram/map-item.js';
import { mapInboxPage, mapThreadPage } from '../../src/instagram/map-thread.js';

const formats = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fakes/instagram/fixtures/${name}`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;

const zoe: User = { id: '1234567890', username: 'zoe.mueller', fullName: 'Zoë Müller', profilePicUrl: null };
const ctx: ItemContext = {
  threadId: 't1',
  viewerId: '1098765432',
  viewerName: 'Alex Kim',
  users: new Map([[zoe.id, zoe]]),
};

describe('igTimeToMs', () => {
  it('reads microseconds as numbers or strings, and ms/seconds by magnitude', () => {
    expect(igTimeToMs(1718351635800123)).toBe(1718351635800);
    expect(igTimeToMs('1718351600123456')).toBe(1718351600123);
    expect(igTimeToMs(1718351600123)).toBe(1718351600123);
    expect(igTimeToMs(1718351600)).toBe(1718351600000);
    expect(igTimeToMs('soon')).toBeNull();
    expect(igTimeToMs(undefined)).toBeNull();
  });
});

describe('the items of ig-thread.json', () => {
  const page = mapThreadPage(formats('ig-thread.json'), { id: '1098765432', name: 'Alex Kim' });
  const byId = new Map(page.items.map((message) => [message.id, message]));

  it('keeps ids as strings, newest first, with ms timestamps', () => {
    expect(page.thread.id).toBe('340282366841710300949128210682725503544');
    expect(page.items).toHaveLength(10);
    expect(page.items[0]!.sentAt).toBe(1718351635800);
    expect(page.olderCursor).toBe('28544793378841687329460340129792000');
  });

  it('maps a reply with reactions sent by the owner', () => {
    const reply = page.items[0]!;
    expect(reply).toMatchObject({
      kind: 'text',
      text: 'ok that reel 😂😂',
      fromMe: true,
      senderName: 'Alex Kim',
      replyTo: '32707599011234567890123456789012345',
      clientContext: '6838049163048278514',
      source: 'api',
    });
    expect(reply.reactions).toEqual([{ emoji: '😂', actor: 'zoe.mueller', actorId: '1234567890', at: 1718368145728 }]);
    expect(JSON.parse(reply.raw!).item_id).toBe(reply.id);
  });

  it('maps shares, media, voice, view-once, likes, placeholders, GIFs and action logs', () => {
    expect(byId.get('32707599011234567890123456789012345')).toMatchObject({
      kind: 'share',
      senderName: 'Zoë Müller',
      share: {
        url: 'https://www.instagram.com/reel/C7xYz12AbCd/',
        owner: 'some.creator',
        text: 'Sunday vibes ☀️ #köln',
      },
    });
    const photo = byId.get('32707598000000000000000000000000000')!;
    expect(photo.kind).toBe('photo');
    expect(photo.media[0]).toMatchObject({ kind: 'photo', width: 1080, height: 1440 });
    expect(photo.media[0]!.url).toContain('s1080x1440');
    expect(byId.get('32707597000000000000000000000000000')!.media[0]).toMatchObject({
      kind: 'audio',
      durationMs: 8400,
    });
    expect(byId.get('32707596000000000000000000000000000')).toMatchObject({
      kind: 'placeholder',
      text: '[view-once video: open Instagram to see it]',
    });
    expect(byId.get('32707595000000000000000000000000000')).toMatchObject({ kind: 'like', text: '❤️' });
    expect(byId.get('29954557456790899636748753408360448')!.text).toBe(
      'Use Latest App: Use the latest version of the Instagram app to see this reel.',
    );
    expect(byId.get('32707594000000000000000000000000000')!.media[0]).toMatchObject({
      kind: 'gif',
      width: 267,
      height: 200,
    });
    expect(byId.get('32707593000000000000000000000000000')).toMatchObject({
      kind: 'system',
      text: 'Zoë Müller missed a video chat',
    });
  });
});

describe('other item types', () => {
  const base = { item_id: '1', user_id: 1234567890, timestamp: '1718351600123456' };

  it('maps links, posts, double-nested clips, stories and reel replies', () => {
    const inbox = mapInboxPage(formats('ig-inbox.json'), false, { id: null, name: null });
    expect(inbox.threads[1]!.items[0]).toMatchObject({
      kind: 'link',
      text: 'look https://example.com/trip',
      share: { url: 'https://example.com/trip' },
    });
    expect(
      mapItem(
        {
          ...base,
          item_type: 'media_share',
          media_share: { code: 'Bx1', user: { username: 'poster' }, caption: { text: 'hi' } },
        },
        ctx,
      )!.share,
    ).toEqual({
      url: 'https://www.instagram.com/p/Bx1/',
      text: 'hi',
      owner: 'poster',
    });
    expect(
      mapItem({ ...base, item_type: 'clip', clip: { clip: { code: 'R1', user: { username: 'reeler' } } } }, ctx)!.share
        ?.url,
    ).toBe('https://www.instagram.com/reel/R1/');
    expect(
      mapItem(
        {
          ...base,
          item_type: 'story_share',
          story_share: { media: { pk: '99', user: { username: 'st' } }, text: 'wow' },
        },
        ctx,
      ),
    ).toMatchObject({
      text: 'wow',
      share: { url: 'https://www.instagram.com/stories/st/99/' },
    });
    expect(
      mapItem(
        {
          ...base,
          item_type: 'reel_share',
          reel_share: { text: 'haha', type: 'reply', reel_owner_id: 1234567890, media: { pk: '5' } },
        },
        ctx,
      ),
    ).toMatchObject({
      text: 'haha',
      share: { owner: 'zoe.mueller', url: 'https://www.instagram.com/stories/zoe.mueller/5/' },
    });
  });

  it('keeps unknown and malformed items as unsupported with their raw JSON, and marks unsent ones', () => {
    const unknown = mapItem({ ...base, item_type: 'hologram', hologram: { x: 1 } }, ctx)!;
    expect(unknown).toMatchObject({ kind: 'unsupported', text: null });
    expect(JSON.parse(unknown.raw!)).toMatchObject({ hologram: { x: 1 } });
    expect(mapItem({ ...base, item_type: 'link', link: 'not an object' }, ctx)!.kind).toBe('link');
    expect(mapItem({ ...base, item_type: 'deletion' }, ctx)!.unsent).toBe(true);
    expect(mapItems([{ item_type: 'text' }, null, { ...base, item_type: 'text', text: 'ok' }], ctx)).toHaveLength(1);
  });
});

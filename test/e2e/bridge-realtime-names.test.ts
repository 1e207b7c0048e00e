// The built binary's bridge with realtime on (fake broker, fake Instagram, fake Telegram): a contact
// who first writes after the link came up is named in their later pushed messages and reactions,
// and a pushed re-delivery of a stored item keeps its sender's name.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeInstagramMqtt, type FakeInstagramMqtt } from '../fakes/instagram-mqtt/broker.js';
import { bridgeWorld, until, type BridgeWorld } from '../helpers/bridge-world.js';

let world: BridgeWorld;
let broker: FakeInstagramMqtt;

beforeEach(async () => {
  world = await bridgeWorld();
  broker = await startFakeInstagramMqtt();
});

afterEach(async () => {
  await world.close();
  await broker.close();
});

const sentWith = (text: string) => world.tg.state.sent(world.owner).filter((m) => m.text?.includes(text));

async function realtimeConnected(): Promise<boolean> {
  return world
    .withStore(async (store) => {
      const text = await store.getMeta('bridge.realtime');
      return text ? (JSON.parse(text) as { connected: boolean }).connected : false;
    })
    .catch(() => false);
}

describe('igtg bridge with realtime: names of new contacts', () => {
  it('names a contact who first wrote after the link came up, in messages, reactions and re-deliveries', async () => {
    const { ig } = world;
    const daemon = world.start([], {
      IGTG_INSTAGRAM_REALTIME_URL: broker.url,
      NODE_EXTRA_CA_CERTS: broker.caFile,
      IGTG_REALTIME_BACKOFF_MS: '200',
    });
    await world.baselineDone();
    await until('realtime connected', realtimeConnected);

    // A new contact in a new thread: the pushed item sends the bridge to reconcile, which stores them.
    const newbie = ig.state.addUser({ username: 'newbie', full_name: 'New Person' });
    const thread = ig.state.addThread({ users: [newbie] });
    const first = ig.state.addItem(thread, { from: newbie.pk, text: 'hi first' });
    broker.publishItem(thread.thread_id, first);
    const firstSent = await until('first message', () => sentWith('hi first')[0]);
    expect(firstSent.text).toBe('💬 newbie · New Person\nhi first');

    const second = ig.state.addItem(thread, { from: newbie.pk, text: 'hi second' });
    broker.publishItem(thread.thread_id, second);
    const secondSent = await until('second message', () => sentWith('hi second')[0]);
    expect(secondSent.text).toBe('💬 newbie · New Person\nhi second');

    broker.publishReaction(thread.thread_id, String(second.item_id), newbie.pk, '😂');
    const note = await until('reaction note', () => sentWith('reacted to')[0]);
    expect(note.text).toBe('😂 newbie reacted to: hi second');

    broker.publishItem(thread.thread_id, first, 'replace');
    const marker = ig.state.addItem(thread, { from: newbie.pk, text: 'marker' });
    broker.publishItem(thread.thread_id, marker);
    await until('marker', () => sentWith('marker')[0]);
    const stored = await world.withStore((store) => store.getMessage(thread.thread_id, String(first.item_id)));
    expect(stored!.senderName).toBe('New Person');

    daemon.kill('SIGTERM');
    expect((await daemon).exitCode).toBe(0);
  }, 120_000);
});

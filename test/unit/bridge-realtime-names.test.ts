// Sender and reactor names of realtime items when the contact was stored after the link came up (by
// a reconciliation or a poll): the payloads carry ids only, so the link must name them from the
// store, and a re-delivered item must never lose its stored name to the "user <id>" placeholder.
import { afterEach, describe, expect, it } from 'vitest';
import { RealtimeLink } from '../../src/bridge/adapters/realtime-link.js';
import { silentLog } from '../../src/bridge/core/bridge.js';
import { decodeSyncPayload, eventsOfSync } from '../../src/realtime/map-patch.js';
import type { RealtimeHandlers, RealtimeReceiverPort, RealtimeState } from '../../src/realtime/port.js';
import { itemOp, reactionOp, syncPayload, textItem, type PatchOp } from '../fakes/instagram-mqtt/sync-payloads.js';
import { harness, type Harness } from './bridge-harness.js';
import { message, thread } from './bridge-fakes.js';

const NEWBIE = { id: '2000000005', username: 'newbie', fullName: 'New Person', profilePicUrl: null };

/** A receiver that is connected at once and hands the link what `push` maps, as the real one does. */
class PushingReceiver implements RealtimeReceiverPort {
  private handlers: RealtimeHandlers | null = null;
  private readonly connected: RealtimeState = {
    connected: true,
    connectedSince: 0,
    reconnects: 0,
    lastEventAt: null,
    polling: false,
    lastError: null,
  };
  constructor(private readonly usersOf: () => ReturnType<RealtimeLink['usersOf']>) {}
  start(_session: unknown, handlers: RealtimeHandlers): void {
    this.handlers = handlers;
    handlers.onState?.(this.state());
  }
  async stop(): Promise<void> {
    this.handlers = null;
  }
  state(): RealtimeState {
    return { ...this.connected };
  }
  async push(...ops: PatchOp[]): Promise<void> {
    const context = { viewerId: '1', viewerName: 'me', usersOf: this.usersOf };
    for (const event of eventsOfSync(decodeSyncPayload(syncPayload(ops)), context)) {
      if (event.type === 'item') await this.handlers!.onItem(event.message, event.op);
      else if (event.type === 'reaction') await this.handlers!.onReaction!(event.event);
      else await this.handlers!.onRemoval!(event.event);
    }
  }
}

let h: Harness;
afterEach(async () => {
  await h?.cleanup();
});

async function linked(): Promise<PushingReceiver> {
  h = await harness();
  let link: RealtimeLink | null = null;
  const receiver = new PushingReceiver(() => link!.usersOf());
  link = new RealtimeLink({
    store: h.store,
    receiver,
    session: async () => 'session',
    forward: () => h.bridge.forward(),
    reconcile: () => undefined,
    log: silentLog,
    now: () => h.clock.now(),
  });
  await link.start();
  return receiver;
}

/** What a reconciliation stores for a contact who wrote for the first time after the link came up. */
async function firstMessageReconciled(): Promise<void> {
  await h.store.write({ threads: [thread('t9', { title: 'newbie' })], users: [NEWBIE] });
  h.instagram.queue([], [message('t9', 'i1', { senderId: NEWBIE.id, senderName: 'New Person', text: 'hi first' })]);
  await h.cycle();
}

describe('realtime names of contacts stored after the link came up', () => {
  it('names the sender of their next message and their reactions from the store', async () => {
    const receiver = await linked();
    await firstMessageReconciled();
    await receiver.push(itemOp('t9', textItem('i2', NEWBIE.id, 'hi second')));
    await h.bridge.deliverOnce();
    h.clock.advance(1000);
    await receiver.push(reactionOp('t9', 'i2', NEWBIE.id, '😂'));
    await h.bridge.deliverOnce();

    expect(h.telegram.sent().map((c) => c.text)).toEqual([
      '💬 newbie · New Person\nhi first',
      '💬 newbie · New Person\nhi second',
      '😂 newbie reacted to: hi second',
    ]);
    const stored = await h.store.getMessage('t9', 'i2');
    expect(stored!.senderName).toBe('New Person');
    expect(stored!.reactions).toMatchObject([{ actor: 'newbie', actorId: NEWBIE.id }]);
  });

  it('keeps the stored name of a re-delivered item', async () => {
    const receiver = await linked();
    await firstMessageReconciled();
    await receiver.push(itemOp('t9', textItem('i1', NEWBIE.id, 'hi first'), 'replace'));
    expect((await h.store.getMessage('t9', 'i1'))!.senderName).toBe('New Person');

    // A sender the store has no user for (an archive name, say): the stored name still stands.
    await h.store.write({ messages: [message('t9', 'i3', { senderId: '3000', senderName: 'Old Friend' })] });
    await receiver.push(itemOp('t9', textItem('i3', '3000', 'hello again'), 'replace'));
    const stored = await h.store.getMessage('t9', 'i3');
    expect(stored!.text).toBe('hello again');
    expect(stored!.senderName).toBe('Old Friend');
  });
});

// The bot's buttons through the real client stack (BotApiTelegramClient, pacing, port) against the
// fake Bot API, which refuses callback_data over 64 bytes and edits that change nothing, as Telegram does.
import { afterEach, describe, expect, it } from 'vitest';
import { Bridge } from '../../src/bridge/core/bridge.js';
import { memoryOptions } from '../../src/bridge/core/options.js';
import { unpacedTelegramPort } from '../helpers/telegram-stack.js';
import { startFakeTelegram } from '../fakes/telegram/index.js';
import { ManualClock, MemoryInstagram, message, seededRandom, tempStore, thread } from '../unit/bridge-fakes.js';

let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

interface Button {
  text: string;
  callback_data: string;
}

async function world() {
  const tg = await startFakeTelegram();
  const { store, cleanup } = await tempStore();
  cleanups.push(() => tg.close(), cleanup);
  const telegram = unpacedTelegramPort(tg);
  const options = memoryOptions({ ownerId: tg.state.owner.id, pollIntervalSec: 60 });
  const bridge = new Bridge({
    store,
    instagram: new MemoryInstagram(store),
    telegram,
    options,
    clock: new ManualClock(Date.now()),
    random: seededRandom(),
    telegramTimeoutSec: 0,
  });
  await bridge.initialise();
  const owner = tg.state.owner.id;
  const sent = () => tg.state.sent(owner);
  const buttonsOf = (m: { keyboard: unknown }) =>
    ((m.keyboard as { inline_keyboard?: Button[][] } | null)?.inline_keyboard ?? []).flat();
  /** The owner sends a command or presses a button; the bridge handles it. */
  const command = async (text: string) => {
    tg.state.userSends({ text });
    await bridge.telegramOnce();
  };
  const press = async (messageId: number, data: string) => {
    const id = tg.state.userClicks({ messageId, data });
    await bridge.telegramOnce();
    return tg.state.callback(id)!;
  };
  return { tg, store, options, sent, buttonsOf, command, press };
}

const FOLDER = 'weekendcrewcampingtripplanningandotherthings_5979738325414604_überlang';

describe('bridge buttons against the Bot API', () => {
  it('answers /search and /messages for an archive thread with a long folder name, and pages it', async () => {
    const w = await world();
    const id = `archive:${FOLDER}`;
    const messages = Array.from({ length: 14 }, (_, i) =>
      message(id, `a:${String(i).padStart(24, '0')}`, { sentAt: 1_700_000_000_000, text: `tent ${i}` }),
    );
    await w.store.write({ threads: [thread(id, { source: 'archive', title: 'Weekend crew' })], messages });

    await w.command('/search tent');
    const results = w.sent().at(-1)!;
    expect(results.text).toContain('Weekend crew');
    const open = w.buttonsOf(results)[0]!;
    const opened = await w.press(results.messageId, open.callback_data);
    expect(opened.answered).toBe(true);
    expect(w.sent().some((m) => m.text?.includes('tent 13'))).toBe(true);

    await w.command('/messages Weekend crew');
    const page = w.sent().at(-1)!;
    expect(page.text).toContain('tent 4');
    const older = w.buttonsOf(page).find((b) => b.text === 'older')!;
    const answered = await w.press(page.messageId, older.callback_data);
    expect(answered.answered).toBe(true);
    const before = w.sent().at(-1)!;
    expect(
      before
        .text!.split('\n')
        .slice(1)
        .map((line) => line.replace(/^.*: /, '')),
    ).toEqual(['tent 0', 'tent 1', 'tent 2', 'tent 3']);
  });

  it('pressing the same settings choice twice neither fails nor sends a second copy', async () => {
    const w = await world();
    await w.command('/settings');
    const settings = w.sent().at(-1)!;
    const choice = w.buttonsOf(settings).find((b) => b.callback_data === 's:poll:120')!;
    expect((await w.press(settings.messageId, choice.callback_data)).answered).toBe(true);
    const count = w.sent().length;
    expect((await w.press(settings.messageId, choice.callback_data)).answered).toBe(true);
    expect(w.sent()).toHaveLength(count);
    expect(w.options.get().pollIntervalSec).toBe(120);
  });
});

// /settings and its buttons. A toggle button carries the state it sets (`s:mirror:1`), not "flip":
// a press handled twice (the store was busy the first time, so the update comes again) sets the
// same state twice instead of undoing itself.
import { callbackDataArgs, parseCallbackArgs } from '../../../telegram/keyboards.js';
import type { Keyboard } from '../../ports.js';
import type { CommandContext } from '../command-context.js';
import { BridgeMeta } from '../state-keys.js';
import { threadOf } from './buttons.js';

export const POLL_CHOICES = [30, 60, 120, 300];

const SETTINGS_ACTION = 's';
const flag = (on: boolean) => (on ? '1' : '0');

export async function settingsView(ctx: CommandContext): Promise<{ text: string; keyboard: Keyboard }> {
  const options = ctx.options.get();
  const threadId = await ctx.currentThread();
  const thread = threadId ? await ctx.store.getThread(threadId) : null;
  const muted = thread ? (await ctx.store.getMeta(BridgeMeta.muted(thread.id))) !== null : false;
  const on = (value: boolean) => (value ? 'on' : 'off');
  const keyboard: Keyboard = [
    [{ text: `Mirror my own messages: ${on(options.mirrorOwn)}`, data: `s:mirror:${flag(!options.mirrorOwn)}` }],
    [{ text: `Media as files: ${on(options.media)}`, data: `s:media:${flag(!options.media)}` }],
  ];
  if (thread) {
    keyboard.push([
      {
        text: `${muted ? 'Unmute' : 'Mute'} ${thread.title}`.slice(0, 60),
        data: callbackDataArgs(SETTINGS_ACTION, ['mute', flag(!muted), thread.id]),
      },
    ]);
  }
  keyboard.push(
    POLL_CHOICES.map((s) => ({ text: `${s === options.pollIntervalSec ? '● ' : ''}${s}s`, data: `s:poll:${s}` })),
  );
  return { text: 'Settings (poll interval below):', keyboard };
}

export async function settings(ctx: CommandContext): Promise<void> {
  const { text, keyboard } = await settingsView(ctx);
  await ctx.reply(text, keyboard);
}

/**
 * A settings button; returns the short confirmation shown on the button press. The stateless
 * toggles of earlier builds (`s:mirror`, `s:media`, `s:mute`) only show the settings again.
 */
export async function settingsButton(ctx: CommandContext, messageId: number, data: string): Promise<string> {
  const [, setting = '', ...rest] = data.split(':');
  const value = rest.join(':');
  let note = 'Settings shown again: press once more.';
  if (setting === 'mirror' && (value === '0' || value === '1')) {
    ctx.options.update({ mirrorOwn: value === '1' });
    note = `mirror own messages ${value === '1' ? 'on' : 'off'}`;
  } else if (setting === 'media' && (value === '0' || value === '1')) {
    ctx.options.update({ media: value === '1' });
    note = `media ${value === '1' ? 'on' : 'off'}`;
  } else if (setting === 'mute') {
    note = (await muteButton(ctx, value)) ?? note;
  } else if (setting === 'poll') {
    const seconds = Number(value);
    if (POLL_CHOICES.includes(seconds)) {
      ctx.options.update({ pollIntervalSec: seconds });
      note = `poll every ${seconds}s`;
    }
  }
  const { text, keyboard } = await settingsView(ctx);
  await ctx.edit(messageId, text, keyboard);
  return note;
}

/** `s:mute:<0|1>:<thread>`; undefined when the data is not one. */
async function muteButton(ctx: CommandContext, value: string): Promise<string | undefined> {
  const args = parseCallbackArgs(value, 2);
  if (!args || (args[0] !== '0' && args[0] !== '1')) return undefined;
  const threadId = await threadOf(ctx, args[1]!);
  if (!threadId) return 'That thread is not in the store any more.';
  const mute = args[0] === '1';
  await ctx.store.setMeta(BridgeMeta.muted(threadId), mute ? '1' : null);
  return mute ? 'muted' : 'unmuted';
}

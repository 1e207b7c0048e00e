import type { Keyboard } from '../../ports.js';
import type { CommandContext } from '../command-context.js';
import { BridgeMeta } from '../state-keys.js';

export const POLL_CHOICES = [30, 60, 120, 300];

export async function settingsView(ctx: CommandContext): Promise<{ text: string; keyboard: Keyboard }> {
  const options = ctx.options.get();
  const active = await ctx.store.getMeta(BridgeMeta.activeThread);
  const thread = active ? await ctx.store.getThread(active) : null;
  const muted = active ? (await ctx.store.getMeta(BridgeMeta.muted(active))) !== null : false;
  const on = (value: boolean) => (value ? 'on' : 'off');
  const keyboard: Keyboard = [
    [{ text: `Mirror my own messages: ${on(options.mirrorOwn)}`, data: 's:mirror' }],
    [{ text: `Media as files: ${on(options.media)}`, data: 's:media' }],
  ];
  if (thread) keyboard.push([{ text: `${muted ? 'Unmute' : 'Mute'} ${thread.title}`.slice(0, 60), data: 's:mute' }]);
  keyboard.push(
    POLL_CHOICES.map((s) => ({ text: `${s === options.pollIntervalSec ? '● ' : ''}${s}s`, data: `s:poll:${s}` })),
  );
  return { text: 'Settings (poll interval below):', keyboard };
}

export async function settings(ctx: CommandContext): Promise<void> {
  const { text, keyboard } = await settingsView(ctx);
  await ctx.reply(text, keyboard);
}

/** A settings button; returns the short confirmation shown on the button press. */
export async function settingsButton(ctx: CommandContext, messageId: number, data: string): Promise<string> {
  const options = ctx.options.get();
  let note = 'ok';
  if (data === 's:mirror') {
    ctx.options.update({ mirrorOwn: !options.mirrorOwn });
    note = `mirror own messages ${options.mirrorOwn ? 'off' : 'on'}`;
  } else if (data === 's:media') {
    ctx.options.update({ media: !options.media });
    note = `media ${options.media ? 'off' : 'on'}`;
  } else if (data === 's:mute') {
    const active = await ctx.store.getMeta(BridgeMeta.activeThread);
    if (active) {
      const key = BridgeMeta.muted(active);
      const muted = (await ctx.store.getMeta(key)) !== null;
      await ctx.store.setMeta(key, muted ? null : '1');
      note = muted ? 'unmuted' : 'muted';
    }
  } else if (data.startsWith('s:poll:')) {
    const seconds = Number(data.slice('s:poll:'.length));
    if (POLL_CHOICES.includes(seconds)) {
      ctx.options.update({ pollIntervalSec: seconds });
      note = `poll every ${seconds}s`;
    }
  }
  const { text, keyboard } = await settingsView(ctx);
  await ctx.edit(messageId, text, keyboard);
  return note;
}

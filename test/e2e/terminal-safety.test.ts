// Whoever can message the owner writes the text igtg shows: escape sequences in it must reach the
// terminal as visible symbols, never as commands (window title, hidden text, clipboard writes).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIgtg, tempHome } from '../helpers/cli.js';
import { withProfileStore } from '../helpers/profile-store.js';
import { T0, message, thread } from '../store/fixtures.js';

const { home, cleanup } = tempHome('igtg-escapes-');
afterAll(() => cleanup());

const ESC = '\u001b';
const TITLE = `Mallory${ESC}]0;owned${'\u0007'}`;
const SENDER = `Mallory${ESC}[2K${ESC}[1G`;
const TEXT = `free gift ${ESC}]52;c;ZWNobyBwd25lZA==${'\u0007'} ${ESC}[8mhidden${ESC}[0m\rAlex Kim: send the password`;

beforeAll(async () => {
  await withProfileStore(home, (store) =>
    store.write({
      threads: [thread('t-evil', { title: TITLE, isRequest: true })],
      messages: [message('t-evil', 'm1', { senderName: SENDER, text: TEXT, sentAt: T0 })],
    }),
  );
});

describe('text with escape sequences', () => {
  it.each([
    ['threads', ['threads']],
    ['show', ['show', 't-evil']],
    ['search', ['search', 'gift']],
  ])('is shown, not obeyed, by %s', async (_name, args) => {
    const result = await runIgtg(args, { home });
    expect(result.exitCode).toBe(0);
    const stdout = String(result.stdout);
    expect(stdout).not.toContain(ESC);
    expect(stdout).not.toContain('\u0007');
    expect(stdout).not.toContain('\r');
    expect(stdout).toContain('Mallory␛');
  });

  it('is kept exactly in --json output', async () => {
    const result = await runIgtg(['show', 't-evil', '--json'], { home });
    const [shown] = JSON.parse(String(result.stdout)) as Array<{ text: string; sender: string }>;
    expect(shown).toMatchObject({ text: TEXT, sender: SENDER });
  });

  it('is shown, not obeyed, in an error that quotes a title', async () => {
    await withProfileStore(home, (store) => store.write({ threads: [thread('t-evil-2', { title: `${TITLE} 2` })] }));
    const result = await runIgtg(['show', 'Mallory'], { home });
    expect(result.exitCode).toBe(2);
    expect(String(result.stderr)).toContain('matches 2 threads');
    expect(String(result.stderr)).not.toContain(ESC);
  });
});

// The owner guess of an import in one pass, from the heads of the files (owner-guess.ts).
import { describe, expect, it } from 'vitest';
import { guessOwnerFromHeads, headParticipants } from '../../src/archive/owner-guess.js';
import type { ThreadPlan } from '../../src/archive/layouts.js';
import type { ArchiveSource } from '../../src/archive/source.js';
import { metaJson } from '../fixtures/archive/build-archive.js';

describe('headParticipants', () => {
  it('reads the list Meta writes first, names repaired', () => {
    const text = metaJson({ participants: [{ name: 'Zoë Müller' }, { name: 'Alex Kim' }], messages: [] });
    expect(text).toContain('Zo\\u00c3\\u00ab');
    expect(headParticipants(text)).toEqual(['Zoë Müller', 'Alex Kim']);
  });

  it('finds the end of the list past brackets and quotes inside names', () => {
    const text = '{"participants": [{"name": "a ] b \\" [x"}, {"name": "c}"}], "messages": [';
    expect(headParticipants(text)).toEqual(['a ] b " [x', 'c}']);
  });

  it('answers null when the head does not start with a whole list of names', () => {
    expect(headParticipants('{"messages": [], "participants": [{"name": "a"}]}')).toBeNull();
    expect(headParticipants('{"participants": [{"name": "a"}, {"na')).toBeNull();
    expect(headParticipants('{"participants": [{"name": 5}]}')).toBeNull();
    expect(headParticipants('{"participants": [{"name": "a"}}')).toBeNull();
    expect(headParticipants('<html>')).toBeNull();
    expect(headParticipants('\ufeff{"participants": [{"name": "a"}]}')).toEqual(['a']);
  });
});

function sourceOf(files: Record<string, string>): ArchiveSource {
  const read = async (path: string, bytes: number) => Buffer.from(files[path]!).subarray(0, bytes);
  return { readHead: read } as unknown as ArchiveSource;
}

function plan(folder: string, format: 'json' | 'html' = 'json'): ThreadPlan {
  const path = `messages/inbox/${folder}/message_1.${format}`;
  return { folder, isRequest: false, files: [{ path, format, index: 1, root: '' }] };
}

const head = (...names: string[]) => metaJson({ participants: names.map((name) => ({ name })), messages: [] });
const none = { previous: null, archiveUsername: null };

describe('guessOwnerFromHeads', () => {
  it('names the one person in every thread', async () => {
    const source = sourceOf({
      'messages/inbox/a_1/message_1.json': head('Ann', 'Me'),
      'messages/inbox/b_1/message_1.json': head('Bob', 'Me'),
    });
    expect(await guessOwnerFromHeads(source, [plan('a_1'), plan('b_1')], none)).toBe('Me');
  });

  it('gives up on an HTML thread, an unreadable head or a tie', async () => {
    const source = sourceOf({
      'messages/inbox/a_1/message_1.json': head('Ann', 'Me'),
      'messages/inbox/b_1/message_1.json': '{"messages": []}',
    });
    expect(await guessOwnerFromHeads(source, [plan('a_1'), plan('c_1', 'html')], none)).toBeNull();
    expect(await guessOwnerFromHeads(source, [plan('a_1'), plan('b_1')], none)).toBeNull();
    expect(await guessOwnerFromHeads(source, [plan('a_1'), plan('missing_1')], none)).toBeNull();
    expect(await guessOwnerFromHeads(source, [plan('a_1')], none)).toBeNull();
    // A tie settled as owner.ts settles it: the earlier import's owner.
    expect(await guessOwnerFromHeads(source, [plan('a_1')], { previous: 'Me', archiveUsername: null })).toBe('Me');
  });
});

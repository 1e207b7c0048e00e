// Recognising the archive twin of an API thread, and the archive copy of an API message.
import { describe, expect, it } from 'vitest';
import type { Thread } from '../../src/core/model.js';
import type { Store } from '../../src/store/store.js';
import { ArchiveMessageKeys, ArchiveThreadIndex, normalizeName } from '../../src/sync/archive-merge.js';

function thread(id: string, names: string[], title = names.join(', ')): Thread {
  return {
    id,
    title,
    isGroup: names.length > 2,
    isRequest: false,
    participants: names.map((name) => ({ userId: null, name, username: null })),
    lastActivityAt: null,
    source: id.startsWith('archive:') ? 'archive' : 'api',
    archiveFolder: id.startsWith('archive:') ? id.slice(8) : null,
  };
}

function storeOf(threads: Thread[]): Store {
  return {
    listThreads: async () => threads.map((t) => ({ ...t, messageCount: 0, lastMessageAt: null })),
  } as unknown as Store;
}

describe('ArchiveThreadIndex', () => {
  const archive = [
    thread('archive:zoe_1', ['Zoë Müller', 'Alex Kim']),
    thread('archive:crew_2', ['José Álvarez', 'Sam Rivera', 'Alex Kim'], 'Weekend Crew'),
    thread('archive:twins_3', ['Pat Lee', 'Alex Kim'], 'Pat'),
    thread('archive:twins_4', ['Pat Lee', 'Alex Kim'], 'Pat again'),
  ];

  it('matches by participant full names, leaving the owner out, whatever the case or Unicode form', async () => {
    const index = new ArchiveThreadIndex(storeOf(archive), () => 'Alex Kim');
    expect((await index.twinOf(thread('1', ['zoë müller'.normalize('NFD')])))?.id).toBe('archive:zoe_1');
    expect((await index.twinOf(thread('2', ['Sam Rivera', 'José Álvarez'])))?.id).toBe('archive:crew_2');
    expect(await index.twinOf(thread('3', ['Zoë Müller', 'Sam Rivera']))).toBeNull();
  });

  it('refuses an ambiguous match unless the title decides, and never merges a twin twice', async () => {
    const index = new ArchiveThreadIndex(storeOf(archive), () => 'Alex Kim');
    expect(await index.twinOf(thread('4', ['Pat Lee'], 'Someone'))).toBeNull();
    expect((await index.twinOf(thread('5', ['Pat Lee'], 'Pat again')))?.id).toBe('archive:twins_4');
    index.consumed('archive:zoe_1');
    expect(await index.twinOf(thread('1', ['Zoë Müller']))).toBeNull();
  });
});

describe('ArchiveMessageKeys', () => {
  const keys = new ArchiveMessageKeys();
  keys.add({ senderName: 'Zoë Müller', sentAt: 1718345000000, text: 'Grüße aus Köln!' });
  keys.add({ senderName: 'Alex Kim', sentAt: 1718350000000, text: null });

  it('matches the same sender, millisecond and text', () => {
    expect(keys.matches({ senderName: 'zoë müller', sentAt: 1718345000000, text: 'Grüße aus Köln!' })).toBe(true);
    expect(keys.matches({ senderName: 'Zoë Müller', sentAt: 1718345000001, text: 'Grüße aus Köln!' })).toBe(false);
    expect(keys.matches({ senderName: 'Zoë Müller', sentAt: 1718345000000, text: 'something else' })).toBe(false);
    expect(keys.matches({ senderName: 'Sam', sentAt: 1718345000000, text: 'Grüße aus Köln!' })).toBe(false);
  });

  it('matches media without text on either side', () => {
    expect(keys.matches({ senderName: 'Alex Kim', sentAt: 1718350000000, text: null })).toBe(true);
    expect(keys.matches({ senderName: 'Alex Kim', sentAt: 1718350000000, text: 'caption' })).toBe(true);
  });

  it('normalizes names', () => {
    expect(normalizeName('  Zoe\u0308   MÜLLER ')).toBe('zoë müller');
  });
});

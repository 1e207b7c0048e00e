// Synthetic "Download your information" archive for benchmarks: N messages over T threads, in
// Meta's exact JSON layout and encoding (UTF-8 bytes as \u00xx escapes, ASCII only, indent 2,
// newest first, message_1.json newest, at most 10,000 messages per file).
//   node --import tsx bench/gen-archive.ts OUT_DIR [--messages N] [--threads T] [--seed S]
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeMetaDeep, stringifyMetaJson } from '../src/archive/decode-meta-text.js';

export interface GenArchiveOptions {
  dir: string;
  messages?: number;
  threads?: number;
  seed?: number;
  /** Messages per message_N.json (Meta: 10,000). */
  perFile?: number;
}

export interface GenArchiveResult {
  dir: string;
  messages: number;
  threads: number;
  files: number;
  bytes: number;
}

export const OWNER = 'Alex Kim';

const FIRST = [
  'Zoë',
  'José',
  'Łukasz',
  'Søren',
  'Ayşe',
  'Nguyễn',
  'Chloé',
  'Björn',
  'Amélie',
  'Mateo',
  'Priya',
  'Kenji',
  'Leila',
  'Olu',
  'Mia',
  'Noah',
];
const LAST = [
  'Müller',
  'Álvarez',
  'Nowak',
  'Jørgensen',
  'Yılmaz',
  'Văn An',
  'Dubois',
  'Öberg',
  'Kim',
  'Rossi',
  'Sharma',
  '田中',
  'حداد',
  'Adeyemi',
  'Novák',
  'Smith',
];
const WORDS = (
  'the a to and you I it is that of in for on we this are so me my be with have just but not was at what ' +
  'lunch dinner coffee café tomorrow tonight weekend party beach train ticket movie concert birthday holiday ' +
  'pizza sushi pancakes lighthouse mountain river garden rooftop museum festival playlist photo video reel ' +
  'naïve résumé jalapeño piñata über straße crème brûlée smörgåsbord façade'
)
  .split(/\s+/)
  .filter(Boolean);
const EMOJI = ['😂', '❤️', '👍🏽', '🔥', '🙏', '😍', '🎉', '👨‍👩‍👧‍👦', '🇩🇪', '☀️', '🏕️', '🥲'];
const EXTRA_TEXT = ['こんにちは', 'مرحبا', 'שלום', 'Привет', '你好', 'Grüße aus Köln'];
// Rare words for the search benchmark: one in every RARE_EVERY messages ends with one (~5 hits each
// per million messages). Placed by message number, so the random stream (and all else) is unchanged.
const SYLLABLES = [
  'zor',
  'vek',
  'lum',
  'qua',
  'tib',
  'nex',
  'fal',
  'dru',
  'wix',
  'pom',
  'gar',
  'sel',
  'yon',
  'kri',
  'bal',
];
export const RARE_WORDS = SYLLABLES.flatMap((a) => SYLLABLES.map((b) => `${a}${b}ix`));
export const RARE_EVERY = 997;
export const COMMON_WORDS: readonly string[] = WORDS;
export const OTHER_SCRIPTS: readonly string[] = EXTRA_TEXT;

/** mulberry32: a small deterministic PRNG. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function generateArchive(options: GenArchiveOptions): Promise<GenArchiveResult> {
  const total = options.messages ?? 1_000_000;
  const threadCount = Math.max(1, Math.min(options.threads ?? 2_000, total));
  const perFile = options.perFile ?? 10_000;
  const random = rng(options.seed ?? 42);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const person = () => `${pick(FIRST)} ${pick(LAST)}`;
  const sentence = () => {
    const n = 3 + Math.floor(random() * 14);
    const words: string[] = [];
    for (let i = 0; i < n; i += 1) words.push(pick(WORDS));
    if (random() < 0.3) words.push(pick(EMOJI));
    if (random() < 0.05) words.push(pick(EXTRA_TEXT));
    return words.join(' ');
  };

  // Thread sizes: skewed (a few long conversations, many short ones), summing to `total`.
  const weights = Array.from({ length: threadCount }, (_, i) => 1 / (i + 1) ** 0.8);
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.max(1, Math.floor((w / weightSum) * total)));
  let assigned = sizes.reduce((a, b) => a + b, 0);
  for (let i = 0; assigned !== total; i = (i + 1) % threadCount) {
    if (assigned < total) {
      sizes[i]! += 1;
      assigned += 1;
    } else if (sizes[i]! > 1) {
      sizes[i]! -= 1;
      assigned -= 1;
    }
  }

  rmSync(options.dir, { recursive: true, force: true });
  const end = Date.UTC(2024, 6, 1);
  const start = Date.UTC(2019, 0, 1);
  let files = 0;
  let bytes = 0;
  let serial = 0;
  for (let t = 0; t < threadCount; t += 1) {
    const isGroup = random() < 0.1;
    const isRequest = !isGroup && random() < 0.02;
    const others = Array.from({ length: isGroup ? 2 + Math.floor(random() * 6) : 1 }, person);
    const participants = [...new Set([...others, OWNER])];
    const title = isGroup ? `${pick(WORDS)} ${pick(WORDS)} ${pick(EMOJI)}` : others[0]!;
    const folder = `${title.toLowerCase().replace(/[^a-z0-9]/g, '') || 'user'}_${(17843920471234567n + BigInt(t) * 7919n).toString()}`;
    const box = isRequest ? 'message_requests' : 'inbox';
    const threadDir = join(options.dir, 'your_instagram_activity', 'messages', box, folder);
    const base = `your_instagram_activity/messages/${box}/${folder}`;
    mkdirSync(threadDir, { recursive: true });

    const count = sizes[t]!;
    // Newest first: timestamps descend from a random recent point.
    let ts = end - Math.floor(random() * 30 * 86_400_000);
    const step = Math.max(1000, Math.floor((ts - start) / (count + 1)));
    const messages: Array<Record<string, unknown>> = [];
    for (let i = 0; i < count; i += 1) {
      ts -= 1 + Math.floor(random() * step * 2 * 0.999);
      if (ts < start) ts = start + (count - i);
      const sender = random() < 0.45 ? OWNER : pick(others);
      const message: Record<string, unknown> = { sender_name: sender, timestamp_ms: ts };
      const roll = random();
      if (roll < 0.03) {
        message.share = {
          link: `https://www.instagram.com/reel/C${Math.floor(random() * 1e9).toString(36)}/`,
          share_text: sentence(),
          original_content_owner: `creator.${Math.floor(random() * 500)}`,
        };
      } else if (roll < 0.05) {
        message.photos = [
          { uri: `${base}/photos/${Math.floor(random() * 1e15)}_n.jpg`, creation_timestamp: Math.floor(ts / 1000) },
        ];
      } else if (roll < 0.06) {
        message.content = 'Liked a message';
      } else if (roll < 0.065) {
        message.content = `${sender} unsent a message`;
      } else {
        message.content = sentence();
      }
      serial += 1;
      if (serial % RARE_EVERY === 0 && roll >= 0.065) {
        message.content += ` ${RARE_WORDS[(serial / RARE_EVERY) % RARE_WORDS.length]!}`;
      }
      if (random() < 0.08) {
        message.reactions = [
          { reaction: pick(EMOJI), actor: pick(participants), timestamp: Math.floor(ts / 1000) + 60 },
        ];
      }
      message.is_geoblocked_for_viewer = false;
      message.is_unsent_image_by_messenger_kid_parent = false;
      messages.push(message);
    }
    for (let page = 0; page * perFile < Math.max(1, count); page += 1) {
      const thread: Record<string, unknown> = {
        participants: participants.map((name) => ({ name })),
        messages: messages.slice(page * perFile, (page + 1) * perFile),
        title,
        is_still_participant: true,
        thread_path: `${box}/${folder}`,
        magic_words: [],
      };
      if (isGroup) thread.joinable_mode = { mode: 1, link: '' };
      const text = `${stringifyMetaJson(encodeMetaDeep(thread))}\n`;
      writeFileSync(join(threadDir, `message_${page + 1}.json`), text);
      files += 1;
      bytes += text.length;
    }
  }
  return { dir: options.dir, messages: total, threads: threadCount, files, bytes };
}

function argValue(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

if (process.argv[1] === import.meta.filename) {
  const args = process.argv.slice(2);
  const dir = args.find((arg, i) => !arg.startsWith('--') && (i === 0 || !args[i - 1]!.startsWith('--')));
  if (!dir) {
    console.error('usage: node --import tsx bench/gen-archive.ts OUT_DIR [--messages N] [--threads T] [--seed S]');
    process.exit(2);
  }
  const started = Date.now();
  const result = await generateArchive({
    dir,
    messages: Number(argValue(args, '--messages') ?? 1_000_000),
    threads: Number(argValue(args, '--threads') ?? 2_000),
    seed: Number(argValue(args, '--seed') ?? 42),
  });
  console.log(
    `wrote ${result.messages} messages over ${result.threads} threads in ${result.files} files ` +
      `(${(result.bytes / 1e6).toFixed(0)} MB) to ${result.dir} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

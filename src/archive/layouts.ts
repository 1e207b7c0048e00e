// Finds the message files in an archive's file list, whatever the layout:
//   current    your_instagram_activity/messages/{inbox,message_requests}/<folder>/message_N.json|html
//   2020–23    messages/{inbox,message_requests}/<folder>/message_N.json|html
//   legacy     messages.json (one file for every conversation, 2018–19)
// optionally below one top folder (instagram-<user>-<date>/…). Threads are keyed by folder name.
import { ArchiveError } from './archive-error.js';
import { isSafeRelativePath, type ArchiveSource } from './source.js';

export type MessageBox = 'inbox' | 'message_requests' | 'archived_threads';

export interface ThreadFileRef {
  /** Archive-relative path of message_N.json / message_N.html. */
  path: string;
  format: 'json' | 'html';
  /** N of message_N: 1 holds the newest messages. */
  index: number;
  /** Archive-relative prefix of the `messages/` folder that holds it ('' or 'your_instagram_activity/'…). */
  root: string;
}

export interface ThreadPlan {
  /** The thread's folder name, e.g. `zoemuller_17843920471234567`: its identity. */
  folder: string;
  isRequest: boolean;
  /** Oldest first (highest N first). */
  files: ThreadFileRef[];
}

export interface ArchivePlan {
  threads: ThreadPlan[];
  legacyFiles: string[];
}

const THREAD_FILE =
  /^((?:.*\/)?)messages\/(inbox|message_requests|archived_threads)\/([^/]+)\/message_(\d+)\.(json|html)$/;
const LEGACY_FILE = /^(?:[^/]+\/)?messages\.json$/;

export function planArchive(files: readonly string[]): ArchivePlan {
  const groups = new Map<string, { boxes: Set<MessageBox>; files: ThreadFileRef[] }>();
  const legacyFiles: string[] = [];
  for (const path of files) {
    const match = THREAD_FILE.exec(path);
    if (match) {
      const [, root, box, folder, index, format] = match as unknown as [
        string,
        string,
        MessageBox,
        string,
        string,
        string,
      ];
      let group = groups.get(folder);
      if (!group) {
        group = { boxes: new Set(), files: [] };
        groups.set(folder, group);
      }
      group.boxes.add(box);
      group.files.push({ path, format: format as 'json' | 'html', index: Number(index), root });
      continue;
    }
    if (LEGACY_FILE.test(path)) legacyFiles.push(path);
  }
  const threads: ThreadPlan[] = [];
  for (const [folder, group] of groups) {
    // An archive requested twice (JSON and HTML) unpacked into one folder: the JSON is exact, use it.
    const json = group.files.filter((file) => file.format === 'json');
    const chosen = json.length > 0 ? json : group.files;
    chosen.sort((a, b) => b.index - a.index || a.path.localeCompare(b.path));
    // Two archives unpacked side by side hold the same conversations: reading both would store every
    // message they share twice (exact repeats are told apart by their order in one archive only).
    const roots = [...new Set(chosen.map((file) => file.root))];
    if (roots.length > 1) {
      const [first, second] = roots.map((root) => (root ? `"${root.replace(/\/$/, '')}"` : 'the top folder'));
      throw new ArchiveError(
        `holds more than one archive (the conversation ${folder} is in ${first} and in ${second}); import each archive on its own`,
      );
    }
    threads.push({
      folder,
      isRequest: group.boxes.size === 1 && group.boxes.has('message_requests'),
      files: chosen,
    });
  }
  threads.sort((a, b) => a.folder.localeCompare(b.folder));
  legacyFiles.sort();
  return { threads, legacyFiles };
}

/**
 * The archive path of a media file a message refers to, or null when the archive does not hold it.
 * Meta's `uri` is relative to the zip root (`your_instagram_activity/messages/inbox/x/photos/a.jpg`
 * or `messages/inbox/x/photos/a.jpg`); the archive may have been given from a folder below that,
 * so the part from `messages/` on is matched against the folder that holds the thread's files.
 */
export function resolveMediaPath(uri: string, file: ThreadFileRef, source: ArchiveSource): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(uri)) return null;
  const clean = uri.replace(/^(\.\/)+/, '').replace(/\/{2,}/g, '/');
  if (!isSafeRelativePath(clean)) return null;
  const candidates: string[] = [];
  const fromMessages = /(?:^|\/)(messages\/.+)$/.exec(clean);
  if (fromMessages) candidates.push(`${file.root}${fromMessages[1]}`);
  candidates.push(clean);
  const threadDir = file.path.slice(0, file.path.lastIndexOf('/'));
  const tail = clean.split('/').slice(-2).join('/');
  candidates.push(`${threadDir}/${tail}`);
  for (const candidate of candidates) if (source.has(candidate)) return candidate;
  return null;
}

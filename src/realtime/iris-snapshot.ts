// The iris starting point from a raw /api/v1/direct_v2/inbox/ response: top-level `seq_id` and
// `snapshot_at_ms` (shared/formats/ig-inbox.json). For the Instagram adapter to expose as
// `fetchIrisSnapshot()`; the receiver asks for a fresh one before every (re)connect.
import { num, obj } from '../instagram/ig-values.js';
import type { IrisSnapshot } from './port.js';

export function irisSnapshotFromInbox(body: unknown): IrisSnapshot | null {
  const root = obj(body);
  const seqId = num(root?.seq_id);
  const snapshotAtMs = num(root?.snapshot_at_ms);
  if (seqId === null || snapshotAtMs === null) return null;
  return { seqId, snapshotAtMs };
}

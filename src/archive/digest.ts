// One-shot digests (message ids are built from them).
import crypto from 'node:crypto';

type OneShotHash = (algorithm: string, data: Buffer | string, encoding: 'hex' | 'base64url') => string;
// crypto.hash (Node ≥ 20.12) avoids a Hash object per call; older Node falls back to createHash.
const oneShot = (crypto as unknown as { hash?: OneShotHash }).hash;

export function digest(algorithm: 'sha1' | 'sha256', data: Buffer | string, encoding: 'hex' | 'base64url'): string {
  if (oneShot) return oneShot(algorithm, data, encoding);
  return crypto.createHash(algorithm).update(data).digest(encoding);
}

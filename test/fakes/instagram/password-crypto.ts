// The password encryption Instagram's login uses (#PWD_INSTAGRAM:4:<time>:<base64>): an RSA key
// announced by qe/sync headers wraps an AES-256-GCM key. The fake decrypts it to check the password.
import { constants, createDecipheriv, generateKeyPairSync, privateDecrypt, type KeyObject } from 'node:crypto';

export interface PasswordKey {
  keyId: number;
  publicKeyBase64: string;
  privateKey: KeyObject;
}

let cached: PasswordKey | null = null;

/** One key per process: generating RSA keys is slow and tests start many fakes. */
export function generatePasswordKey(): PasswordKey {
  cached ??= generateKey();
  return cached;
}

function generateKey(): PasswordKey {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { keyId: 41, publicKeyBase64: Buffer.from(pem).toString('base64'), privateKey };
}

/** PKCS#1 v1.5 unpadding by hand: Node 20 refuses RSA_PKCS1_PADDING for private decryption. */
function rsaDecrypt(key: KeyObject, data: Buffer): Buffer {
  const block = privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, data);
  if (block[0] !== 0 || block[1] !== 2) throw new Error('bad padding');
  const end = block.indexOf(0, 2);
  if (end < 10) throw new Error('bad padding');
  return block.subarray(end + 1);
}

/** The clear password of an enc_password field, or null when it cannot be decrypted. */
export function decryptPassword(key: PasswordKey, encPassword: string): string | null {
  const match = /^#PWD_INSTAGRAM:4:(\d+):(.+)$/.exec(encPassword);
  if (!match) return null;
  try {
    const data = Buffer.from(match[2]!, 'base64');
    if (data[0] !== 1 || data[1] !== key.keyId) return null;
    const iv = data.subarray(2, 14);
    const size = data.readInt16LE(14);
    const wrapped = data.subarray(16, 16 + size);
    const tag = data.subarray(16 + size, 32 + size);
    const sealed = data.subarray(32 + size);
    const aesKey = rsaDecrypt(key.privateKey, wrapped);
    const decipher = createDecipheriv('aes-256-gcm', aesKey, iv);
    decipher.setAAD(Buffer.from(match[1]!));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

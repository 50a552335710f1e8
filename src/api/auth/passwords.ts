/**
 * Password hashing with scrypt (node:crypto): `scrypt$N=16384,r=8,p=1$<salt b64>$<key b64>`. The parameters travel
 * with the hash, so they can be raised later without invalidating stored hashes.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const SALT_BYTES = 16;
const KEY_BYTES = 64;
const DEFAULT_PARAMS = { N: 16384, r: 8, p: 1 };
const FORMAT = /^scrypt\$N=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

function scrypt(password: string, salt: Buffer, length: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(password, salt, length, { ...options, maxmem: 256 * options.N! * options.r! }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await scrypt(password, salt, KEY_BYTES, DEFAULT_PARAMS);
  return `scrypt$N=${DEFAULT_PARAMS.N},r=${DEFAULT_PARAMS.r},p=${DEFAULT_PARAMS.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** True when `password` matches `stored`; false for a wrong password and for a malformed or unsupported hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = FORMAT.exec(stored);
  if (match === null) return false;
  const [, n, r, p, saltText, keyText] = match;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  // Refuse absurd parameters from a tampered file rather than burn the CPU or memory on them.
  if (params.N > 1 << 20 || params.r > 32 || params.p > 16 || (params.N & (params.N - 1)) !== 0) return false;
  const expected = Buffer.from(keyText!, 'base64');
  if (expected.length < 16) return false;
  const actual = await scrypt(password, Buffer.from(saltText!, 'base64'), expected.length, params);
  return timingSafeEqual(actual, expected);
}

/**
 * Deterministic event ids. An event sent without an id gets one derived from its content, so a producer that
 * retries the same event can never create a second copy; engines derive ids from their input the same way.
 */
import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so equal content always hashes equal. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  const entries = Object.keys(value as Record<string, unknown>)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}

/** A 32-hex-character id (128 bits of SHA-256) with a readable prefix. */
export function contentId(prefix: string, content: unknown): string {
  return `${prefix}-${createHash('sha256').update(canonicalJson(content)).digest('hex').slice(0, 32)}`;
}

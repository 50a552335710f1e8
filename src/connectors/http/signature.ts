/**
 * Authenticating webhook requests: a shared secret in a header, or an HMAC over the raw body bytes (GitHub style,
 * `sha256=<hex>`), optionally bound to a send timestamp so an old request cannot be replayed outside the tolerance.
 * Every comparison runs in constant time, so response timing does not leak how much of a guess was right.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { HmacConfig } from './config.js';

export type AuthOutcome = { ok: true } | { ok: false; reason: string };

export type HeaderLookup = (name: string) => string | undefined;

/** Compares two secrets in constant time, whatever their lengths (both are hashed to the same size first). */
export function secretsEqual(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  // The explicit length check is redundant after hashing but keeps an empty secret from ever matching by accident.
  return timingSafeEqual(a, b) && expected.length > 0;
}

/** Checks a shared secret sent as a header value. */
export function verifySharedSecret(presented: string | undefined, secret: string, header: string): AuthOutcome {
  if (presented === undefined || presented === '') return { ok: false, reason: `header ${header} is missing` };
  return secretsEqual(presented, secret) ? { ok: true } : { ok: false, reason: `header ${header} does not hold the shared secret` };
}

/** What the signature covers: the body alone, or `<timestamp>.<body>` when a timestamp header is configured. */
export function signedContent(body: Uint8Array, timestamp: string | undefined): Uint8Array {
  if (timestamp === undefined) return body;
  return Buffer.concat([Buffer.from(`${timestamp}.`, 'utf8'), body]);
}

/** The header value a sender computes: prefix + digest of the signed content. */
export function sign(body: Uint8Array, secret: string, config: Pick<HmacConfig, 'algorithm' | 'encoding' | 'prefix'>, timestamp?: string): string {
  const digest = createHmac(config.algorithm, secret).update(signedContent(body, timestamp)).digest(config.encoding);
  return `${config.prefix ?? ''}${digest}`;
}

/** Reads a send time: epoch seconds (or ms when 13+ digits) or ISO 8601; undefined when unreadable. */
export function parseSendTime(value: string): number | undefined {
  const text = value.trim();
  if (/^\d{1,12}$/.test(text)) return Number(text) * 1000;
  if (/^\d{13,}$/.test(text)) return Number(text);
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/** Verifies an HMAC signature header over the raw body (and the timestamp, when configured). */
export function verifyHmac(body: Uint8Array, header: HeaderLookup, secret: string, config: HmacConfig, now: number): AuthOutcome {
  const presented = header(config.header);
  if (presented === undefined || presented === '') return { ok: false, reason: `header ${config.header} is missing` };
  let timestamp: string | undefined;
  if (config.timestampHeader !== undefined) {
    timestamp = header(config.timestampHeader);
    if (timestamp === undefined || timestamp === '') return { ok: false, reason: `header ${config.timestampHeader} is missing` };
    const sentAt = parseSendTime(timestamp);
    if (sentAt === undefined) return { ok: false, reason: `header ${config.timestampHeader} is not a time` };
    if (Math.abs(now - sentAt) > config.toleranceSeconds * 1000) {
      return { ok: false, reason: `header ${config.timestampHeader} is more than ${config.toleranceSeconds} s from our clock (replay or clock skew)` };
    }
  }
  const expected = sign(body, secret, config, timestamp);
  // Hex digests are case-insensitive; base64 is not.
  const normalise = (text: string): string => (config.encoding === 'hex' ? text.trim().toLowerCase() : text.trim());
  return secretsEqual(normalise(presented), normalise(expected)) ? { ok: true } : { ok: false, reason: `header ${config.header} does not match the body's ${config.algorithm} HMAC` };
}

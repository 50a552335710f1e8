/**
 * How outbound webhooks are signed, and how a receiver checks them (docs/notifications.md). The signature is
 * `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` in `x-plantfabric-signature`, the timestamp (Unix seconds) in
 * `x-plantfabric-timestamp`; binding the timestamp stops an old request from being replayed later. This file imports
 * only node:crypto so a receiver written in Node can copy `verifyWebhookSignature` as it is.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-plantfabric-signature';
export const TIMESTAMP_HEADER = 'x-plantfabric-timestamp';
export const DELIVERY_HEADER = 'x-plantfabric-delivery';

/** The signature header value for a body sent at `timestamp` (Unix seconds, as text). */
export function signWebhook(secret: string, timestamp: string, body: string | Uint8Array): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

export interface WebhookVerification {
  secret: string;
  /** The raw request body exactly as received (before any JSON parsing). */
  body: string | Uint8Array;
  /** The x-plantfabric-signature header. */
  signature: string | undefined;
  /** The x-plantfabric-timestamp header. */
  timestamp: string | undefined;
  /** How far the timestamp may be from the receiver's clock. Default 300 s. */
  toleranceSeconds?: number;
  /** The receiver's clock, epoch ms. Default Date.now(). */
  now?: number;
}

/** True when the request was signed with `secret`, its body is unchanged, and it was sent within the tolerance. */
export function verifyWebhookSignature(input: WebhookVerification): boolean {
  const { secret, body, signature, timestamp } = input;
  if (signature === undefined || timestamp === undefined || !/^\d{1,12}$/.test(timestamp)) return false;
  const now = input.now ?? Date.now();
  if (Math.abs(now / 1000 - Number(timestamp)) > (input.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body), 'utf8');
  const presented = Buffer.from(signature.trim().toLowerCase(), 'utf8');
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

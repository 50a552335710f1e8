import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import type { HmacConfig } from './config.js';
import { parseSendTime, secretsEqual, sign, verifyHmac, verifySharedSecret } from './signature.js';

const body = new TextEncoder().encode('{"orderNo":"4711"}');
const secret = 'It\'s a Secret to Everybody';
const github: HmacConfig = { secretEnv: 'X', header: 'x-hub-signature-256', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=', toleranceSeconds: 300 };
const headers = (values: Record<string, string>) => (name: string) => values[name.toLowerCase()];

describe('webhook signatures', () => {
  it('computes GitHub-style signatures (GitHub\'s documented test vector)', () => {
    // From GitHub's "Validating webhook deliveries": secret "It's a Secret to Everybody", payload "Hello, World!".
    const expected = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    assert.equal(sign(new TextEncoder().encode('Hello, World!'), secret, github), expected);
  });

  it('accepts the right HMAC, in either hex case, and refuses a wrong or missing one', () => {
    const signature = sign(body, secret, github);
    assert.deepEqual(verifyHmac(body, headers({ 'x-hub-signature-256': signature }), secret, github, 0), { ok: true });
    assert.deepEqual(verifyHmac(body, headers({ 'x-hub-signature-256': signature.toUpperCase().replace('SHA256=', 'sha256=') }), secret, github, 0), { ok: true });
    const tampered = new TextEncoder().encode('{"orderNo":"4712"}');
    assert.equal(verifyHmac(tampered, headers({ 'x-hub-signature-256': signature }), secret, github, 0).ok, false);
    assert.equal(verifyHmac(body, headers({ 'x-hub-signature-256': sign(body, 'other', github) }), secret, github, 0).ok, false);
    assert.equal(verifyHmac(body, headers({ 'x-hub-signature-256': signature.slice('sha256='.length) }), secret, github, 0).ok, false, 'prefix required');
    const missing = verifyHmac(body, headers({}), secret, github, 0);
    assert.deepEqual(missing, { ok: false, reason: 'header x-hub-signature-256 is missing' });
  });

  it('supports base64 digests and other algorithms', () => {
    const config: HmacConfig = { ...github, algorithm: 'sha512', encoding: 'base64', prefix: undefined };
    const digest = createHmac('sha512', secret).update(body).digest('base64');
    assert.deepEqual(verifyHmac(body, headers({ 'x-hub-signature-256': digest }), secret, config, 0), { ok: true });
  });

  it('binds the signature to the timestamp and refuses one outside the tolerance', () => {
    const config: HmacConfig = { ...github, timestampHeader: 'x-timestamp', toleranceSeconds: 300 };
    const now = Date.UTC(2026, 0, 1, 12);
    const sentAt = String(now / 1000 - 60);
    const signature = sign(body, secret, config, sentAt);
    assert.equal(signature, `sha256=${createHmac('sha256', secret).update(`${sentAt}.`).update(body).digest('hex')}`);
    assert.deepEqual(verifyHmac(body, headers({ 'x-hub-signature-256': signature, 'x-timestamp': sentAt }), secret, config, now), { ok: true });
    const replayed = verifyHmac(body, headers({ 'x-hub-signature-256': signature, 'x-timestamp': sentAt }), secret, config, now + 10 * 60_000);
    assert.match(!replayed.ok ? replayed.reason : '', /more than 300 s from our clock/);
    const moved = String(now / 1000);
    assert.equal(verifyHmac(body, headers({ 'x-hub-signature-256': signature, 'x-timestamp': moved }), secret, config, now).ok, false, 'a changed timestamp breaks the signature');
    assert.equal(verifyHmac(body, headers({ 'x-hub-signature-256': signature }), secret, config, now).ok, false);
  });

  it('reads send times in seconds, milliseconds and ISO 8601', () => {
    assert.equal(parseSendTime('1767268800'), 1767268800000);
    assert.equal(parseSendTime('1767268800000'), 1767268800000);
    assert.equal(parseSendTime('2026-01-01T12:00:00Z'), 1767268800000);
    assert.equal(parseSendTime('soon'), undefined);
  });

  it('compares shared secrets of any length, and never matches an empty secret', () => {
    assert.equal(secretsEqual('s3cret', 's3cret'), true);
    assert.equal(secretsEqual('s3cre', 's3cret'), false);
    assert.equal(secretsEqual('', ''), false);
    assert.deepEqual(verifySharedSecret(undefined, 's3cret', 'x-plantfabric-secret'), { ok: false, reason: 'header x-plantfabric-secret is missing' });
    assert.equal(verifySharedSecret('s3cret', 's3cret', 'x-plantfabric-secret').ok, true);
  });
});

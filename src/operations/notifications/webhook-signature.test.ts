import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { signWebhook, verifyWebhookSignature } from './webhook-signature.js';

describe('webhook signature', () => {
  const secret = 'shh';
  const body = '{"kind":"case.assigned"}';
  const now = Date.UTC(2026, 0, 5, 6);
  const timestamp = String(now / 1000);
  const signature = signWebhook(secret, timestamp, body);

  it('is sha256=<hex HMAC of "timestamp.body">', () => {
    assert.equal(signature, `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`);
  });
  it('verifies the untouched request and refuses a changed body, timestamp, secret or a stale one', () => {
    assert.ok(verifyWebhookSignature({ secret, body, signature, timestamp, now }));
    assert.ok(verifyWebhookSignature({ secret, body: Buffer.from(body), signature: signature.toUpperCase().replace('SHA256=', 'sha256='), timestamp, now }));
    assert.ok(!verifyWebhookSignature({ secret, body: body.replace('assigned', 'closed'), signature, timestamp, now }));
    assert.ok(!verifyWebhookSignature({ secret, body, signature, timestamp: String(now / 1000 + 1), now }));
    assert.ok(!verifyWebhookSignature({ secret: 'other', body, signature, timestamp, now }));
    assert.ok(!verifyWebhookSignature({ secret, body, signature, timestamp, now: now + 301_000 }), 'older than the tolerance');
    assert.ok(!verifyWebhookSignature({ secret, body, signature: undefined, timestamp, now }));
    assert.ok(!verifyWebhookSignature({ secret, body, signature, timestamp: 'yesterday', now }));
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NotificationRequest } from '../../core/notifications.js';
import { effectiveChannels, globMatches, planDeliveries, type RecipientInfo } from './delivery-plan.js';
import { DEFAULT_RETRY, retryDelay, retryPolicyOf } from './retry-policy.js';

const request = (overrides: Partial<NotificationRequest> = {}): NotificationRequest => ({
  key: 'case-1|assigned|1',
  kind: 'case.assigned',
  recipients: ['mike', 'olga'],
  title: 'Press 1 faulted',
  body: 'You own case-1',
  severity: 'high',
  caseId: 'case-1',
  at: Date.UTC(2026, 0, 5, 6),
  ...overrides,
});
const mike: RecipientInfo = { id: 'mike', user: { email: 'mike@example.com' } };
const olga: RecipientInfo = { id: 'olga', user: {} };
const options = { emailConfigured: true, webhooks: [] };

describe('notification delivery plan', () => {
  it('matches kinds by glob, * spanning dots', () => {
    assert.ok(globMatches('case.*', 'case.opened'));
    assert.ok(globMatches('case.*', 'case.sla.breached'));
    assert.ok(globMatches('*', 'anything.at.all'));
    assert.ok(globMatches('case.*.breached', 'case.sla.breached'));
    assert.ok(globMatches('case.assigned', 'case.assigned'));
    assert.ok(!globMatches('case.assigned', 'case.assigned.again'));
    assert.ok(!globMatches('case.*', 'cases.opened'));
    assert.ok(!globMatches('case.*.breached', 'case.breached'));
  });

  it('takes the user\'s channels first, then the plant default, then the built-in one', () => {
    assert.deepEqual(effectiveChannels('low', { channels: { low: ['email'] } }, { low: ['in-app'] }), ['email']);
    assert.deepEqual(effectiveChannels('low', { channels: { high: ['email'] } }, { low: [] }), []);
    assert.deepEqual(effectiveChannels('critical', undefined, undefined), ['in-app', 'email']);
    assert.deepEqual(effectiveChannels('medium', undefined, undefined), ['in-app']);
  });

  it('plans one delivery per recipient and channel with stable ids, and skips email without an address, with the reason', () => {
    const plan = planDeliveries(request(), [mike, olga, mike], options);
    assert.deepEqual(plan.deliveries.map((delivery) => delivery.id), [
      'case-1|assigned|1|mike|in-app',
      'case-1|assigned|1|mike|email',
      'case-1|assigned|1|olga|in-app',
    ]);
    assert.deepEqual(plan.skipped, [{ channel: 'email', recipient: 'olga', reason: "user 'olga' has no email address" }]);
  });

  it('follows preferences: channels per severity, and mutes except for critical', () => {
    const quiet: RecipientInfo = { ...mike, preferences: { channels: { high: ['email'] }, mute: ['case.handover.*'] } };
    assert.deepEqual(planDeliveries(request(), [quiet], options).deliveries.map((delivery) => delivery.channel), ['email']);
    const handover = planDeliveries(request({ kind: 'case.handover.offered' }), [quiet], options);
    assert.equal(handover.deliveries.length, 0);
    assert.match(handover.skipped[0]!.reason, /muted .*case\.handover\.\*/);
    const critical = planDeliveries(request({ kind: 'case.handover.offered', severity: 'critical' }), [quiet], options);
    assert.deepEqual(critical.deliveries.map((delivery) => delivery.channel), ['in-app', 'email'], 'critical ignores the mute');
  });

  it('skips unknown users and email when the plant has no SMTP server', () => {
    const plan = planDeliveries(request({ severity: 'critical' }), [{ id: 'ghost' }, mike], { ...options, emailConfigured: false });
    assert.deepEqual(plan.deliveries.map((delivery) => delivery.id), ['case-1|assigned|1|mike|in-app']);
    assert.deepEqual(plan.skipped.map((skip) => [skip.recipient, skip.channel]), [['ghost', 'in-app'], ['mike', 'email']]);
  });

  it('sends to each webhook whose kinds and minimum severity match, once per request', () => {
    const webhooks = [
      { id: 'all-cases', url: 'http://x', secretEnv: 'S', kinds: ['case.*'] },
      { id: 'breaches', url: 'http://x', secretEnv: 'S', kinds: ['case.sla.*'] },
      { id: 'severe', url: 'http://x', secretEnv: 'S', kinds: ['*'], minSeverity: 'critical' as const },
    ];
    const plan = planDeliveries(request({ recipients: [] }), [], { ...options, webhooks });
    assert.deepEqual(plan.deliveries, [{ id: 'case-1|assigned|1|webhook:all-cases', channel: 'webhook', webhook: 'all-cases' }]);
  });
});

describe('notification retry policy', () => {
  it('waits longer after each failure, up to the ceiling, and stops after the last attempt', () => {
    const policy = retryPolicyOf({ attempts: 5, initialMs: 1000, maxMs: 5000 });
    assert.deepEqual([1, 2, 3, 4].map((made) => retryDelay(policy, made)), [1000, 2000, 4000, 5000]);
    assert.equal(retryDelay(policy, 5), undefined);
    assert.deepEqual(retryPolicyOf(undefined), DEFAULT_RETRY);
  });
});

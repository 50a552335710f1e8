import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { NotificationsConfigSchema, notificationsIssues } from './notifications-config.js';

const check = TypeCompiler.Compile(NotificationsConfigSchema);
const email = { smtp: { host: 'smtp.example.com', port: 587 }, from: 'plantfabric@example.com' };
const hook = { id: 'ops', url: 'https://ops.example.com/hooks', secretEnv: 'OPS_SECRET', kinds: ['case.*'] };

describe('notifications config', () => {
  it('accepts email, webhooks, defaults and retry, and refuses secrets inline or unknown channels', () => {
    assert.ok(check.Check({ email, webhooks: [hook], defaults: { critical: ['in-app', 'email'] }, retry: { attempts: 3 } }));
    assert.ok(!check.Check({ email: { ...email, smtp: { ...email.smtp, password: 'hunter2' } } }), 'a password has no place in the file');
    assert.ok(!check.Check({ defaults: { low: ['sms'] } }));
    assert.ok(!check.Check({ webhooks: [{ ...hook, url: 'ftp://x' }] }));
    assert.ok(!check.Check({ webhooks: [{ ...hook, secretEnv: 'not a name' }] }));
  });

  it('finds duplicate webhook ids, email chosen without an SMTP server, and a ceiling below the first wait', () => {
    assert.deepEqual(notificationsIssues(undefined), []);
    assert.deepEqual(notificationsIssues({ email, webhooks: [hook], defaults: { high: ['email'] } }), []);
    const issues = notificationsIssues({ webhooks: [hook, hook], defaults: { high: ['in-app', 'email'] }, retry: { initialMs: 10_000, maxMs: 1000 } });
    assert.deepEqual(issues.map((issue) => issue.path), ['/notifications/webhooks/1/id', '/notifications/defaults/high', '/notifications/retry/maxMs']);
  });
});

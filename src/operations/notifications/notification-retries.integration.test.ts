import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NOTIFY_CHANNEL, type NotificationRequest } from '../../core/notifications.js';
import { createCore, type Core } from '../../runtime/create-runtime.js';
import { freePort } from '../../../test/support/brokers.js';
import { ManualClock, startSmtpListener, type SmtpListener } from '../../../test/support/notification-receivers.js';

const T0 = Date.UTC(2026, 0, 5, 6);
const WAIT_MS = 60_000;

function plantYaml(smtpPort: number): string {
  return `
version: 1
enterprise: { id: acme }
sites:
  - id: plant-1
    areas: [{ id: assembly, equipment: [{ id: press-1 }] }]
users:
  - { id: mike, name: Mike Maintenance, email: mike@example.com, grants: [{ role: maintenance, areas: [assembly] }] }
notifications:
  email:
    smtp: { host: 127.0.0.1, port: ${smtpPort}, timeoutMs: 5000 }
    from: plantfabric@example.com
  retry: { attempts: 3, initialMs: ${WAIT_MS}, maxMs: ${WAIT_MS} }
`;
}

describe('notification retries: an SMTP server that is down', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pf-notify-retry-'));
  const clock = new ManualClock(T0);
  let port: number;
  let core: Core;
  let smtp: SmtpListener | undefined;

  before(async () => {
    port = await freePort();
    writeFileSync(join(dir, 'plant.yaml'), plantYaml(port));
    core = await createCore({ configFile: join(dir, 'plant.yaml'), dataDir: dir, clock });
    await core.notifications.start();
  });
  after(async () => {
    await core.close();
    await smtp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function notify(key: string): Promise<void> {
    const request: NotificationRequest = { key, kind: 'case.escalated', recipients: ['mike'], title: `Escalated ${key}`, body: 'Nobody acknowledged.', severity: 'high', at: clock.now() };
    await core.stores.operations.commit({ outbox: [{ id: key, channel: NOTIFY_CHANNEL, payload: { ...request } }] });
    core.notifications.wake();
    await core.notifications.idle();
  }

  /** Moves plant time to the next retry and waits for the attempt to be recorded. */
  async function nextAttempt(): Promise<void> {
    clock.advance(WAIT_MS);
    await core.notifications.idle();
  }

  it('keeps the email pending with backoff while the server is down, and delivers it once the server is back', async () => {
    await notify('r1');
    const first = await core.stores.operations.getOutbox('r1|mike|email');
    assert.deepEqual([first?.status, first?.attempts, first?.nextAttemptAt], ['pending', 1, T0 + WAIT_MS]);
    assert.match(first?.lastError ?? '', /ECONNREFUSED|connect/i);
    assert.equal((await core.notifications.list('mike', { limit: 5 })).notifications.length, 1, 'in-app does not wait for email');

    await nextAttempt();
    assert.deepEqual([(await core.stores.operations.getOutbox('r1|mike|email'))?.status, (await core.stores.operations.getOutbox('r1|mike|email'))?.attempts], ['pending', 2]);

    smtp = await startSmtpListener(port);
    await nextAttempt();
    const delivered = await core.stores.operations.getOutbox('r1|mike|email');
    assert.deepEqual([delivered?.status, delivered?.attempts], ['sent', 3]);
    assert.equal(smtp.mails.length, 1);
    assert.deepEqual([smtp.mails[0]!.to, smtp.mails[0]!.subject], [['mike@example.com'], 'Escalated r1']);
    const trail = await core.stores.audit.query({ subjectKind: 'notification', subjectId: 'r1', action: 'notification' });
    assert.deepEqual(
      trail.filter((entry) => entry.data?.channel === 'email').map((entry) => [entry.action, entry.data?.attempts]),
      [['notification.attempt.failed', 1], ['notification.attempt.failed', 2], ['notification.sent', 3]],
    );
    assert.equal(core.metrics.value('pf_notifications_total', { channel: 'email', result: 'retried' }), 2);
  });

  it('ends failed after the last attempt, with a notification.failed audit entry, the metric and the status', async () => {
    await smtp!.close();
    smtp = undefined;
    await notify('r2');
    await nextAttempt();
    assert.equal((await core.stores.operations.getOutbox('r2|mike|email'))?.status, 'pending');
    await nextAttempt();
    const failed = await core.stores.operations.getOutbox('r2|mike|email');
    assert.deepEqual([failed?.status, failed?.attempts], ['failed', 3]);
    await nextAttempt();
    assert.equal((await core.stores.operations.getOutbox('r2|mike|email'))?.attempts, 3, 'a failed delivery is not tried again');

    const [entry] = await core.stores.audit.query({ action: 'notification.failed', subjectId: 'r2' });
    assert.ok(entry, 'the final failure is in the audit ledger');
    assert.deepEqual([entry.subject, entry.data?.channel, entry.data?.recipient, entry.data?.key, entry.data?.code], [
      { kind: 'notification', id: 'r2' }, 'email', 'mike', 'r2', 'PF_ERR_NOTIFICATION_DELIVERY',
    ]);
    assert.match(entry.reason ?? '', /gave up after 3 attempt/);
    assert.equal(core.metrics.value('pf_notifications_total', { channel: 'email', result: 'failed' }), 1);
    const status = core.notifications.status();
    assert.equal(status.channels.email.failed, 1);
    assert.equal(status.lastFailure?.channel, 'email');
  });
});

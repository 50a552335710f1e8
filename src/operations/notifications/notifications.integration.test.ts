import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../api/app.js';
import type { InAppNotification } from '../../core/notification-inbox.js';
import { NOTIFY_CHANNEL, type NotificationRequest } from '../../core/notifications.js';
import { apiContextOf, createCore, type Core } from '../../runtime/create-runtime.js';
import { ManualClock, startSmtpListener, startWebhookReceiver, type SmtpListener, type WebhookReceiver } from '../../../test/support/notification-receivers.js';
import { assertNothingLeftBehind, resourceCounts, until } from '../../../test/support/wait.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhookSignature } from './webhook-signature.js';

const SECRET = 'a-webhook-secret-for-tests';
const SECRET_ENV = 'PF_TEST_NOTIFICATIONS_WEBHOOK_SECRET';
const T0 = Date.UTC(2026, 0, 5, 6);

function plantYaml(smtpPort: number, hookUrl: string): string {
  return `
version: 1
enterprise: { id: acme }
sites:
  - id: plant-1
    areas:
      - id: assembly
        equipment: [{ id: press-1 }]
users:
  - { id: ada, name: Ada Admin, email: ada@example.com, grants: [{ role: admin, areas: ['*'] }] }
  - { id: mike, name: Mike Maintenance, email: mike@example.com, grants: [{ role: maintenance, areas: [assembly] }] }
  - { id: olga, name: Olga Operator, grants: [{ role: operator, areas: [assembly] }] }
notifications:
  email:
    smtp: { host: 127.0.0.1, port: ${smtpPort}, timeoutMs: 5000 }
    from: "Plantfabric <plantfabric@example.com>"
    subjectPrefix: "[plant-1]"
  webhooks:
    - { id: ops-bridge, url: "${hookUrl}", secretEnv: ${SECRET_ENV}, kinds: ["case.*"], timeoutMs: 5000 }
  defaults: { critical: [in-app, email], high: [in-app, email], medium: [in-app], low: [in-app] }
  retry: { attempts: 3, initialMs: 60000 }
`;
}

function request(key: string, recipients: string[], overrides: Partial<NotificationRequest> = {}): NotificationRequest {
  return { key, kind: 'case.assigned', recipients, title: 'Press 1 faulted', body: 'Case case-1 is yours: press-1 faulted (jam).', severity: 'critical', caseId: 'case-1', at: T0, ...overrides };
}

/** Reads server-sent events from a live response into `events`. */
function collectSse(response: IncomingMessage, events: InAppNotification[]): { connected: () => boolean } {
  let buffer = '';
  let connected = false;
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => {
    buffer += chunk;
    if (buffer.includes(': connected')) connected = true;
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const message = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = message.split('\n').find((line) => line.startsWith('data: '));
      if (data !== undefined) events.push(JSON.parse(data.slice('data: '.length)) as InAppNotification);
      end = buffer.indexOf('\n\n');
    }
  });
  return { connected: () => connected };
}

describe('notifications: in-app, email at a loopback SMTP listener, signed webhooks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pf-notify-'));
  const clock = new ManualClock(T0);
  let smtp: SmtpListener;
  let hooks: WebhookReceiver;
  let core: Core;
  let resources: Record<string, number>;

  before(async () => {
    process.env[SECRET_ENV] = SECRET;
    smtp = await startSmtpListener();
    hooks = await startWebhookReceiver(SECRET);
    writeFileSync(join(dir, 'plant.yaml'), plantYaml(smtp.port, hooks.url));
    core = await createCore({ configFile: join(dir, 'plant.yaml'), dataDir: dir, clock });
    resources = resourceCounts();
    await core.notifications.start();
  });
  after(async () => {
    await core.close();
    await smtp.close();
    await hooks.close();
    delete process.env[SECRET_ENV];
    rmSync(dir, { recursive: true, force: true });
  });

  /** Writes requests the way the cases service does (outbox, channel notify, id = key), wakes and waits. */
  async function notify(...requests: Array<NotificationRequest & { messageId?: string }>): Promise<void> {
    await core.stores.operations.commit({ outbox: requests.map(({ messageId, ...item }) => ({ id: messageId ?? item.key, channel: NOTIFY_CHANNEL, payload: { ...item } })) });
    core.notifications.wake();
    await core.notifications.idle();
  }

  it('emails the owner, shows both recipients in-app, posts a signed webhook, and skips a user without email with the reason', async () => {
    await notify(request('k1', ['mike', 'olga']));

    assert.equal(smtp.mails.length, 1);
    assert.deepEqual(smtp.mails[0]!.to, ['mike@example.com']);
    assert.equal(smtp.mails[0]!.subject, '[plant-1] Press 1 faulted');
    assert.match(smtp.mails[0]!.raw, /Case: case-1/);
    assert.match(smtp.mails[0]!.raw, /^Message-ID: <[0-9a-f]{32}@plantfabric>/im);

    assert.equal(hooks.hooks.length, 1);
    const hook = hooks.hooks[0]!;
    assert.equal(hook.valid, true, 'the receiver verifies the signature with the documented function');
    const payload = JSON.parse(hook.body) as { kind: string; key: string; recipients: string[]; delivery: string };
    assert.deepEqual([payload.kind, payload.key, payload.recipients, payload.delivery], ['case.assigned', 'k1', ['mike', 'olga'], 'k1|webhook:ops-bridge']);
    const signature = String(hook.headers[SIGNATURE_HEADER]);
    const timestamp = String(hook.headers[TIMESTAMP_HEADER]);
    assert.match(signature, /^sha256=[0-9a-f]{64}$/);
    assert.equal(verifyWebhookSignature({ secret: SECRET, body: hook.body.replace('"k1"', '"k9"'), signature, timestamp }), false, 'a tampered body fails');

    const [mikes, olgas] = await Promise.all([core.notifications.list('mike', { limit: 10 }), core.notifications.list('olga', { limit: 10 })]);
    assert.deepEqual([mikes.notifications.map((item) => item.key), mikes.unread], [['k1'], 1]);
    assert.deepEqual(olgas.notifications.map((item) => item.key), ['k1']);

    assert.equal((await core.stores.operations.getOutbox('k1'))?.status, 'sent');
    assert.equal((await core.stores.operations.getOutbox('k1|mike|email'))?.status, 'sent');
    assert.equal(await core.stores.operations.getOutbox('k1|olga|email'), undefined);
    const audit = await core.stores.audit.query({ action: 'notification', subjectKind: 'notification', subjectId: 'k1' });
    const summary = audit.map((entry) => `${entry.action} ${String(entry.data?.channel)} ${String(entry.data?.recipient ?? entry.data?.webhook)}`).sort();
    assert.deepEqual(summary, [
      'notification.sent email mike',
      'notification.sent in-app mike',
      'notification.sent in-app olga',
      'notification.sent webhook ops-bridge',
      'notification.skipped email olga',
    ]);
    assert.match(audit.find((entry) => entry.action === 'notification.skipped')!.reason!, /olga.*no email address/);
    assert.equal(core.metrics.value('pf_notifications_total', { channel: 'email', result: 'sent' }), 1);
    assert.equal(core.metrics.value('pf_notifications_total', { channel: 'email', result: 'skipped' }), 1);
  });

  it('delivers a key once: a repeated request, or another message carrying the same key, reaches nobody twice', async () => {
    await notify(request('k1', ['mike', 'olga'], { title: 'again' }));
    await notify({ ...request('k1', ['mike', 'olga'], { title: 'copy' }), messageId: 'k1-copy' });
    assert.equal(smtp.mails.length, 1);
    assert.equal(hooks.hooks.length, 1);
    assert.equal((await core.notifications.list('mike', { limit: 10 })).notifications.length, 1);
    assert.equal((await core.stores.operations.getOutbox('k1-copy'))?.status, 'sent', 'the copy was expanded into nothing new');
  });

  it('follows each user\'s preferences: channels per severity, mutes, critical never silenced', async () => {
    await core.notifications.setPreferences('mike', { channels: { critical: ['in-app'], low: ['in-app', 'email'] }, mute: ['case.commented'] }, 'mike');
    await notify(request('k2', ['mike'], { severity: 'critical' }));
    assert.equal(smtp.mails.length, 1, 'critical now only in-app for mike');
    await notify(request('k3', ['mike'], { severity: 'low', title: 'Low but wanted by email' }));
    assert.equal(smtp.mails.length, 2);
    assert.equal(smtp.mails[1]!.subject, '[plant-1] Low but wanted by email');
    await notify(request('k4', ['mike'], { severity: 'low', kind: 'case.commented' }));
    assert.equal(smtp.mails.length, 2, 'muted kind');
    await notify(request('k5', ['mike'], { severity: 'critical', kind: 'case.commented' }));
    assert.deepEqual((await core.notifications.list('mike', { limit: 10 })).notifications.map((item) => item.key).sort(), ['k1', 'k2', 'k3', 'k5'], 'muted k4 is not in the list; critical k5 is');
    const changed = await core.stores.audit.query({ action: 'notification.preferences.changed', actor: 'mike' });
    assert.equal(changed.length, 1);
    const effective = await core.notifications.preferences('mike');
    assert.deepEqual([effective.effective.critical, effective.effective.high, effective.email], [['in-app'], ['in-app', 'email'], 'mike@example.com']);
  });

  it('streams a new notification to its recipient only, and serves the list, read marks and preferences over HTTP', async () => {
    const app: FastifyInstance = await buildApp(apiContextOf(core));
    try {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const address = app.server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      const token = async (user: string): Promise<string> => `Bearer ${(await core.auth.createToken(user, 'test')).token}`;
      const [mikeAuth, olgaAuth, adaAuth] = [await token('mike'), await token('olga'), await token('ada')];
      const open = (authorization: string, events: InAppNotification[]) =>
        new Promise<{ response: IncomingMessage; connected: () => boolean }>((resolve, reject) => {
          get({ host: '127.0.0.1', port, path: '/api/v1/notifications/stream', headers: { authorization } }, (response) => {
            resolve({ response, ...collectSse(response, events) });
          }).on('error', reject);
        });
      const mikeEvents: InAppNotification[] = [];
      const olgaEvents: InAppNotification[] = [];
      const mikeStream = await open(mikeAuth, mikeEvents);
      const olgaStream = await open(olgaAuth, olgaEvents);
      assert.equal(mikeStream.response.statusCode, 200);
      await until('both streams connected', () => mikeStream.connected() && olgaStream.connected());

      await notify(request('s1', ['mike'], { severity: 'medium' }));
      await notify(request('s2', ['olga'], { severity: 'medium' }));
      await notify(request('s3', ['mike'], { severity: 'medium' }));
      // Each socket keeps order: once s3 is in, anything meant for mike before it is in too.
      await until('mike got s3', () => mikeEvents.some((event) => event.key === 's3'));
      await until('olga got s2', () => olgaEvents.length > 0);
      assert.deepEqual(mikeEvents.map((event) => event.key), ['s1', 's3']);
      assert.deepEqual(olgaEvents.map((event) => [event.key, event.userId]), [['s2', 'olga']]);
      mikeStream.response.destroy();
      olgaStream.response.destroy();
      const unauthenticated = await app.inject({ url: '/api/v1/notifications/stream' });
      assert.equal(unauthenticated.statusCode, 401);

      const list = await app.inject({ url: '/api/v1/notifications?unread=true&limit=50', headers: { authorization: mikeAuth } });
      assert.equal(list.statusCode, 200, list.body);
      const listed = list.json() as { notifications: InAppNotification[]; unread: number };
      assert.ok(listed.notifications.every((item) => item.userId === 'mike' && item.readAt === undefined));
      const first = listed.notifications[0]!;
      const read = await app.inject({ method: 'POST', url: `/api/v1/notifications/${first.id}/read`, headers: { authorization: mikeAuth } });
      assert.equal(read.statusCode, 200, read.body);
      assert.ok(read.json().readAt);
      const notMine = await app.inject({ method: 'POST', url: `/api/v1/notifications/${first.id}/read`, headers: { authorization: olgaAuth } });
      assert.equal(notMine.json().error.code, 'PF_ERR_NOTIFICATION_NOT_FOUND');
      const after = (await app.inject({ url: '/api/v1/notifications', headers: { authorization: mikeAuth } })).json() as { unread: number };
      assert.equal(after.unread, listed.unread - 1);
      const all = await app.inject({ method: 'POST', url: '/api/v1/notifications/read-all', headers: { authorization: mikeAuth } });
      assert.equal(all.json().marked, listed.unread - 1);

      const refused = await app.inject({ method: 'PUT', url: '/api/v1/me/notification-preferences', headers: { authorization: olgaAuth }, payload: { channels: { critical: [] } } });
      assert.equal(refused.statusCode, 400, 'critical cannot be switched off');
      const put = await app.inject({ method: 'PUT', url: '/api/v1/me/notification-preferences', headers: { authorization: olgaAuth }, payload: { channels: { medium: [] } } });
      assert.equal(put.statusCode, 200, put.body);
      const prefs = (await app.inject({ url: '/api/v1/me/notification-preferences', headers: { authorization: olgaAuth } })).json();
      assert.deepEqual([prefs.userId, prefs.effective.medium, prefs.effective.critical, prefs.email], ['olga', [], ['in-app', 'email'], undefined]);

      assert.equal((await app.inject({ url: '/api/v1/notifications/status', headers: { authorization: olgaAuth } })).statusCode, 403);
      const status = (await app.inject({ url: '/api/v1/notifications/status', headers: { authorization: adaAuth } })).json();
      assert.equal(status.state, 'running');
      assert.equal(status.channels.webhook.sent, hooks.hooks.length);
      const metrics = await app.inject({ url: '/metrics', headers: { authorization: adaAuth } });
      assert.match(metrics.body, /^pf_notifications_total\{channel="email",result="sent"\} 2$/m);
    } finally {
      await app.close();
    }
  });

  it('retries a webhook that answers 503 until it answers 2xx, and fails one that answers 400 at once', async () => {
    hooks.answer(503);
    await notify(request('w1', [], { severity: 'high' }));
    const pending = await core.stores.operations.getOutbox('w1|webhook:ops-bridge');
    assert.deepEqual([pending?.status, pending?.attempts], ['pending', 1]);
    assert.match(pending?.lastError ?? '', /answered 503/);
    hooks.answer(204);
    clock.advance(60_000);
    await core.notifications.idle();
    const sent = await core.stores.operations.getOutbox('w1|webhook:ops-bridge');
    assert.deepEqual([sent?.status, sent?.attempts], ['sent', 2]);
    assert.equal(hooks.hooks.at(-1)?.headers['x-plantfabric-attempt'], '2');

    hooks.answer(400);
    await notify(request('w2', [], { severity: 'high' }));
    const refused = await core.stores.operations.getOutbox('w2|webhook:ops-bridge');
    assert.deepEqual([refused?.status, refused?.attempts], ['failed', 1], 'a 4xx would be refused again');
    const [failed] = await core.stores.audit.query({ action: 'notification.failed', subjectId: 'w2' });
    assert.deepEqual([failed?.data?.webhook, failed?.reason], ['ops-bridge', 'refused; trying again would not help']);
    hooks.answer(204);
  });

  it('stop() closes the SMTP pool, the webhook sockets and every timer it set', async () => {
    assert.ok((resourceCounts().TCPSocketWrap ?? 0) > (resources.TCPSocketWrap ?? 0), 'pooled SMTP and keep-alive webhook sockets are open while running');
    await core.notifications.stop();
    assert.equal(clock.pending, 0, 'no plant-clock timer left');
    await assertNothingLeftBehind(resources);
    assert.equal(core.notifications.status().state, 'stopped');
  });
});

/**
 * The case API over app.inject() on the real core: authentication, area scoping, who may take which step, the 409
 * for an unverified close, comments and attachments in the history, filters, metrics and the /metrics gauges.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { CaseDoc } from '../../../core/cases.js';
import { apiContextOf, type Core } from '../../../runtime/create-runtime.js';
import { buildApp } from '../../app.js';
import { allCases, EARLY_MORNING, fastClock, ingest, plantEvent, PRESS, startCaseCore, writeCasePlant } from '../../../../test/support/case-plant.js';
import { until } from '../../../../test/support/wait.js';

describe('case API', () => {
  const plant = writeCasePlant();
  let core: Core;
  let app: FastifyInstance;
  let opened: CaseDoc;
  const auth: Record<string, string> = {};

  before(async () => {
    core = await startCaseCore(plant, fastClock(EARLY_MORNING, 300));
    app = await buildApp(apiContextOf(core));
    for (const user of ['ada', 'sam', 'mike', 'mara', 'olga', 'walt']) auth[user] = `Bearer ${(await core.auth.createToken(user, 'test')).token}`;
    await ingest(core, [plantEvent('equipment.state.changed', core.clock.now(), { equipment: PRESS }, { state: 'faulted' })]);
    opened = await until('the case opens', async () => (await allCases(core))[0]);
  });
  after(async () => {
    await app.close();
    await core.close();
    plant.remove();
  });

  const call = (user: string | undefined, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    app.inject({ method, url, ...(user === undefined ? {} : { headers: { authorization: auth[user]! } }), ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });

  it('needs authentication and shows each caller only the cases of their areas', async () => {
    assert.equal((await call(undefined, 'GET', '/api/v1/cases')).statusCode, 401);
    const olga = await call('olga', 'GET', '/api/v1/cases');
    assert.equal(olga.statusCode, 200);
    assert.deepEqual(olga.json().cases.map((doc: CaseDoc) => doc.id), [opened.id]);
    assert.deepEqual((await call('walt', 'GET', '/api/v1/cases')).json().cases, [], 'the warehouse sees no assembly case');
    const hidden = await call('walt', 'GET', `/api/v1/cases/${opened.id}`);
    assert.equal(hidden.statusCode, 404);
    assert.equal(hidden.json().error.code, 'PF_ERR_CASE_NOT_FOUND');
    assert.equal((await call('walt', 'POST', `/api/v1/cases/${opened.id}/comments`, { text: 'hello' })).statusCode, 404);
  });

  it('lets only the owner (or an admin) acknowledge, and anyone of the area comment', async () => {
    const byOperator = await call('olga', 'POST', `/api/v1/cases/${opened.id}/acknowledge`);
    assert.equal(byOperator.statusCode, 403);
    assert.equal(byOperator.json().error.code, 'PF_ERR_ACCESS_DENIED');
    assert.equal((await call('mara', 'POST', `/api/v1/cases/${opened.id}/acknowledge`)).statusCode, 403, 'a technician who is not the owner');
    const acknowledged = await call('mike', 'POST', `/api/v1/cases/${opened.id}/acknowledge`, {});
    assert.equal(acknowledged.statusCode, 200, acknowledged.body);
    assert.equal(acknowledged.json().case.status, 'acknowledged');
    const again = await call('mike', 'POST', `/api/v1/cases/${opened.id}/acknowledge`);
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, 'PF_ERR_CASE_TRANSITION');
    assert.deepEqual(again.json().error.details.allowed, ['assign', 'start', 'resolve']);
    const comment = await call('olga', 'POST', `/api/v1/cases/${opened.id}/comments`, { text: 'it jams on the left feeder' });
    assert.equal(comment.statusCode, 201, comment.body);
    assert.equal(comment.json().case.comments[0].author, 'olga');
  });

  it('refuses to close an unverified case with 409 PF_ERR_CASE_NOT_VERIFIED, and closing needs cases:close', async () => {
    assert.equal((await call('mike', 'POST', `/api/v1/cases/${opened.id}/start`)).statusCode, 200);
    const resolved = await call('mike', 'POST', `/api/v1/cases/${opened.id}/resolve`, { resolution: 'cleared the jam' });
    assert.equal(resolved.json().case.status, 'resolved');
    const refused = await call('mike', 'POST', `/api/v1/cases/${opened.id}/close`);
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json().error.code, 'PF_ERR_CASE_NOT_VERIFIED');
    assert.equal(refused.json().error.details.reason, 'condition-active');
    assert.match(refused.json().error.message, /still active/);
    assert.equal((await call('olga', 'POST', `/api/v1/cases/${opened.id}/close`)).statusCode, 403, 'operators do not confirm closure');
    const invalid = await call('mike', 'POST', `/api/v1/cases/${opened.id}/resolve`, { colour: 'red' });
    assert.equal(invalid.statusCode, 400);
  });

  it('attaches by reference and returns the history of every step', async () => {
    const attached = await call('mike', 'POST', `/api/v1/cases/${opened.id}/attachments`, { name: 'feeder photo', url: 'https://dms.example.com/doc/4711' });
    assert.equal(attached.statusCode, 201, attached.body);
    assert.equal((await call('mike', 'POST', `/api/v1/cases/${opened.id}/attachments`, { name: 'nothing' })).statusCode, 400, 'a url or document id is needed');
    const detail = await call('sam', 'GET', `/api/v1/cases/${opened.id}`);
    assert.equal(detail.statusCode, 200);
    const body = detail.json() as { case: CaseDoc; history: Array<{ action: string; actor: string; at: string }> };
    assert.equal(body.case.attachments[0]?.url, 'https://dms.example.com/doc/4711');
    const actions = body.history.map((entry) => entry.action);
    for (const action of ['opened', 'assigned', 'acknowledged', 'commented', 'started', 'resolved', 'attachment.added']) assert.ok(actions.includes(action), `${action} in ${actions.join(', ')}`);
    assert.ok(body.history.every((entry) => !Number.isNaN(Date.parse(entry.at))));
    assert.equal(body.case.context?.equipment?.path, PRESS, 'the context snapshot comes along');
  });

  it('filters by status, owner and kind, and rejects unknown statuses', async () => {
    const count = async (query: string): Promise<number> => (await call('ada', 'GET', `/api/v1/cases?${query}`)).json().cases.length;
    assert.equal(await count('status=resolved'), 1);
    assert.equal(await count('status=open,assigned'), 0);
    assert.equal(await count('owner=mike&kind=machine-fault'), 1);
    assert.equal(await count('area=warehouse'), 0);
    assert.equal(await count(`from=${new Date(EARLY_MORNING + 86_400_000).toISOString()}`), 0);
    const bad = await call('ada', 'GET', '/api/v1/cases?status=sleeping');
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'PF_ERR_REQUEST_INVALID');
  });

  it('reports case metrics in the API and as gauges in /metrics', async () => {
    const metrics = await call('sam', 'GET', '/api/v1/cases/metrics');
    assert.equal(metrics.statusCode, 200, metrics.body);
    const figures = metrics.json();
    assert.equal(figures.opened, 1);
    assert.deepEqual(figures.byArea, { assembly: 1 });
    assert.deepEqual(figures.byKind, { 'machine-fault': 1 });
    assert.equal(figures.timeToFirstAssignment.count, 1);
    assert.equal(figures.timeToFirstAssignment.p50, 0, 'assigned as it opened');
    assert.equal(figures.timeToResolve.count, 1);
    assert.equal(figures.reopenRate, 0);
    assert.equal((await call('walt', 'GET', '/api/v1/cases/metrics')).json().opened, 0, 'scoped to the caller\'s areas');
    const scraped = await call('ada', 'GET', '/metrics');
    assert.match(scraped.body, /^pf_cases_live\{status="resolved"\} 1$/m);
    assert.match(scraped.body, /^pf_case_time_to_seconds\{stage="assign",stat="p50"\} 0$/m);
    assert.match(scraped.body, /^pf_cases_opened_by_area\{area="assembly"\} 1$/m);
    assert.match(scraped.body, /^pf_case_reopen_ratio 0$/m);
  });

  it('puts every step on the event log for the live stream', async () => {
    const response = await call('ada', 'GET', '/api/v1/events?type=case.opened,case.assigned,case.acknowledged,case.commented,case.started,case.resolved&limit=100');
    const types = (response.json().events as Array<{ type: string; subject: { case?: string } }>).filter((event) => event.subject.case === opened.id).map((event) => event.type);
    assert.deepEqual([...types].sort(), ['case.acknowledged', 'case.assigned', 'case.commented', 'case.opened', 'case.resolved', 'case.started']);
  });
});

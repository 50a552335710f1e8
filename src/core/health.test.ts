import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HealthTracker } from './health.js';

describe('HealthTracker', () => {
  it('walks the lifecycle, stamping since and keeping the last error', () => {
    let now = 0;
    const tracker = new HealthTracker(() => now);
    const changes: string[] = [];
    tracker.onChange((health, previous) => changes.push(`${previous}→${health.state}`));
    now = 1000;
    tracker.set('connecting');
    now = 2000;
    tracker.set('disconnected', { message: 'ECONNREFUSED', code: 'PF_ERR_PROTOCOL' });
    now = 3000;
    tracker.set('disconnected', { message: 'ECONNREFUSED again' });
    const health = tracker.get();
    assert.equal(health.since, new Date(2000).toISOString(), 'staying disconnected keeps the original since');
    assert.equal(health.lastError?.message, 'ECONNREFUSED again');
    tracker.set('connecting');
    tracker.set('connected');
    tracker.set('stopped');
    assert.deepEqual(changes, ['stopped→connecting', 'connecting→disconnected', 'disconnected→connecting', 'connecting→connected', 'connected→stopped']);
  });
  it('refuses illegal transitions', () => {
    const tracker = new HealthTracker();
    assert.throws(() => tracker.set('connected'), /stopped → connected/);
  });
});

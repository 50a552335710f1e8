import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkErrorDocument, checkStreamsHeader, describeAgentErrors, lostRange } from './sequence.js';

const cursor = { instanceId: '100', next: 50 };
const header = (overrides: Partial<{ instanceId: string; nextSequence: number; firstSequence: number; lastSequence: number }> = {}) => ({
  instanceId: '100', nextSequence: 60, firstSequence: 1, lastSequence: 70, ...overrides,
});

describe('MTConnect sequence tracking', () => {
  it('accepts an answer that continues from the cursor, heartbeats included', () => {
    assert.deepEqual(checkStreamsHeader(cursor, header()), { kind: 'in-order' });
    assert.deepEqual(checkStreamsHeader(cursor, header({ nextSequence: 50, firstSequence: 50, lastSequence: 49 })), { kind: 'in-order' }, 'an empty heartbeat at the end of the buffer');
  });

  it('tells an agent restart by its new instanceId, or by sequence numbers going back', () => {
    assert.deepEqual(checkStreamsHeader(cursor, header({ instanceId: '200', nextSequence: 5 })), { kind: 'agent-restarted', previousInstanceId: '100', instanceId: '200' });
    assert.deepEqual(checkStreamsHeader(cursor, header({ nextSequence: 20, lastSequence: 19 })), { kind: 'agent-restarted', previousInstanceId: '100', instanceId: '100' });
  });

  it('sees a buffer overrun when the agent\'s firstSequence is past the sequence wanted', () => {
    assert.deepEqual(checkStreamsHeader(cursor, header({ firstSequence: 58, nextSequence: 80, lastSequence: 90 })), { kind: 'gap', reason: 'buffer-overrun', from: 50, firstAvailable: 58 });
    assert.deepEqual(checkStreamsHeader(cursor, header({ firstSequence: 50 })), { kind: 'in-order' }, 'exactly the sequence wanted is still there');
  });

  it('reads OUT_OF_RANGE as a gap, other errors as refusals, and a new instance first', () => {
    const error = (code: string, instanceId?: string) => ({ kind: 'error' as const, ...(instanceId === undefined ? {} : { instanceId }), errors: [{ code, message: 'because' }] });
    assert.deepEqual(checkErrorDocument(cursor, error('OUT_OF_RANGE', '100')), { kind: 'gap', reason: 'out-of-range', from: 50 });
    assert.deepEqual(checkErrorDocument(cursor, error('OUT_OF_RANGE')), { kind: 'gap', reason: 'out-of-range', from: 50 }, '1.0 errors carry no header');
    assert.deepEqual(checkErrorDocument(cursor, error('OUT_OF_RANGE', '300')), { kind: 'agent-restarted', previousInstanceId: '100', instanceId: '300' });
    assert.deepEqual(checkErrorDocument(cursor, error('NO_DEVICE', '100')), { kind: 'refused', message: 'NO_DEVICE: because' });
    assert.equal(describeAgentErrors({ kind: 'error', errors: [] }), 'MTConnectError without an Error element');
  });

  it('measures the lost range up to where current lets the connector resume', () => {
    const at = '2026-01-01T00:00:00.000Z';
    assert.deepEqual(lostRange({ reason: 'buffer-overrun', from: 50, firstAvailable: 58 }, '100', 58, at), { from: 50, to: 57, reason: 'buffer-overrun', instanceId: '100', firstAvailable: 58, at });
    assert.deepEqual(lostRange({ reason: 'out-of-range', from: 50 }, '100', 90, at), { from: 50, to: 89, reason: 'out-of-range', instanceId: '100', at });
    assert.equal(lostRange({ reason: 'out-of-range', from: 50 }, '100', 50, at), undefined, 'nothing lost when current resumes where we stood');
  });
});

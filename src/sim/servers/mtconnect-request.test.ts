import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_HEARTBEAT_MS, parseAgentRequest, rangeError, type AgentRequest } from './mtconnect-request.js';

const DEVICES = [
  { name: 'Agent', uuid: 'plantfabric-sim-agent' },
  { name: 'cnc-1', uuid: 'plantfabric-sim-cnc-1' },
];
const SCHEMA = '/schemas/PlantfabricStreams_1.7.xsd';
const parse = (url: string, method = 'GET') => parseAgentRequest(method, url, DEVICES, [SCHEMA]);
const code = (url: string) => {
  const request = parse(url);
  return request.kind === 'error' ? `${request.status} ${request.code}` : request.kind;
};

describe('parseAgentRequest', () => {
  it('reads probe, current and sample, for the agent or one device (by name or uuid)', () => {
    assert.deepEqual(parse('/'), { kind: 'probe' });
    assert.deepEqual(parse('/probe'), { kind: 'probe' });
    assert.deepEqual(parse('/cnc-1'), { kind: 'probe', device: 'cnc-1' });
    assert.deepEqual(parse('/plantfabric-sim-cnc-1/probe'), { kind: 'probe', device: 'cnc-1' });
    assert.deepEqual(parse('/current'), { kind: 'current' });
    assert.deepEqual(parse('/cnc-1/current?at=42'), { kind: 'current', device: 'cnc-1', at: 42 });
    assert.deepEqual(parse('/sample'), { kind: 'sample' });
    assert.deepEqual(parse('/sample?from=7&count=50'), { kind: 'sample', from: 7, count: 50 });
    assert.deepEqual(parse('/cnc-1/sample?from=7&interval=500'), { kind: 'sample', device: 'cnc-1', from: 7, stream: { intervalMs: 500, heartbeatMs: DEFAULT_HEARTBEAT_MS } });
    assert.deepEqual(parse('/sample?interval=0&heartbeat=200&count=10'), { kind: 'sample', count: 10, stream: { intervalMs: 0, heartbeatMs: 200 } });
    assert.deepEqual(parse(SCHEMA), { kind: 'schema', path: SCHEMA });
    assert.deepEqual(parse('/current', 'HEAD'), { kind: 'current' });
  });

  it('refuses malformed requests with the MTConnect error codes', () => {
    assert.equal(code('/sample?from=abc'), '400 INVALID_REQUEST');
    assert.equal(code('/sample?from=-1'), '400 INVALID_REQUEST');
    assert.equal(code('/sample?count=1.5'), '400 INVALID_REQUEST');
    assert.equal(code('/sample?interval=x'), '400 INVALID_REQUEST');
    assert.equal(code('/sample?interval=3600001'), '400 INVALID_REQUEST');
    assert.equal(code('/sample?interval=10&heartbeat=0'), '400 INVALID_REQUEST');
    assert.equal(code('/sample?heartbeat=100'), '400 INVALID_REQUEST', 'a heartbeat without a stream');
    assert.equal(code('/current?at='), '400 INVALID_REQUEST');
    assert.equal(code('/current?from=3'), '400 INVALID_REQUEST', 'from is not a parameter of current');
    assert.equal(code('/probe?count=3'), '400 INVALID_REQUEST');
    assert.equal(code('/cnc-1/assets'), '400 INVALID_REQUEST');
    assert.equal(code('/sample?path=//DataItem'), '400 UNSUPPORTED');
    assert.equal(code('/current?interval=100'), '400 UNSUPPORTED');
    assert.equal(code('/cnc-9/current'), '404 NO_DEVICE');
    assert.equal(code('/a/b/c'), '404 INVALID_URI');
    const post = parse('/current', 'POST');
    assert.ok(post.kind === 'error' && post.status === 405 && post.code === 'UNSUPPORTED');
  });
});

describe('rangeError', () => {
  const window = { firstSequence: 100, nextSequence: 200, bufferSize: 100 };
  const check = (request: AgentRequest) => rangeError(request, window)?.code;

  it('answers OUT_OF_RANGE for a from or at outside the buffer and a count beyond it', () => {
    assert.equal(check({ kind: 'sample', from: 99 }), 'OUT_OF_RANGE', 'expired');
    assert.equal(check({ kind: 'sample', from: 201 }), 'OUT_OF_RANGE', 'not written yet');
    assert.equal(check({ kind: 'sample', from: 100 }), undefined);
    assert.equal(check({ kind: 'sample', from: 200 }), undefined, 'the next sequence: nothing yet, not an error');
    assert.equal(check({ kind: 'sample', count: 0 }), 'OUT_OF_RANGE');
    assert.equal(check({ kind: 'sample', count: 101 }), 'OUT_OF_RANGE');
    assert.equal(check({ kind: 'sample', count: 100 }), undefined);
    assert.equal(check({ kind: 'current', at: 99 }), 'OUT_OF_RANGE');
    assert.equal(check({ kind: 'current', at: 200 }), 'OUT_OF_RANGE');
    assert.equal(check({ kind: 'current', at: 199 }), undefined);
    assert.equal(check({ kind: 'probe' }), undefined);
    assert.match(rangeError({ kind: 'sample', from: 3 }, window)?.message ?? '', /'from' must be greater than or equal to 100/);
  });
});

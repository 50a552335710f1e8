import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertAllowed, isAllowed, type Principal } from './access.js';
import { PlantfabricError } from './errors.js';

const operator: Principal = { userId: 'olga', name: 'Olga', via: 'session', grants: [{ role: 'operator', areas: ['assembly'] }] };
const admin: Principal = { userId: 'ada', name: 'Ada', via: 'token', grants: [{ role: 'admin', areas: ['*'] }] };

describe('access', () => {
  it('allows a role its permissions in its own areas only', () => {
    assert.equal(isAllowed(operator, 'events:write', { kind: 'areas', areas: ['assembly'] }), true);
    assert.equal(isAllowed(operator, 'events:write', { kind: 'areas', areas: ['warehouse'] }), false);
    assert.equal(isAllowed(operator, 'events:write', { kind: 'areas', areas: ['assembly', 'warehouse'] }), false);
    assert.equal(isAllowed(operator, 'events:write', { kind: 'plant' }), false, 'plant-wide writes need a * grant');
  });
  it('denies permissions the role does not carry, whatever the area', () => {
    assert.equal(isAllowed(operator, 'deadletters:replay', { kind: 'any' }), false);
    assert.equal(isAllowed(operator, 'users:admin', { kind: 'areas', areas: ['assembly'] }), false);
  });
  it('gives a * grant every area', () => {
    assert.equal(isAllowed(admin, 'deadletters:replay', { kind: 'areas', areas: ['anything'] }), true);
  });
  it('throws PF_ERR_ACCESS_DENIED naming what was refused', () => {
    assert.throws(
      () => assertAllowed(operator, 'events:read', { kind: 'areas', areas: ['warehouse'] }),
      (error: unknown) => error instanceof PlantfabricError && error.code === 'PF_ERR_ACCESS_DENIED' && error.httpStatus === 403 && error.message.includes('warehouse'),
    );
  });
});

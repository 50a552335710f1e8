import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { plainValue, qualityOf, toReading } from './mapping.js';

describe('OPC UA mapping', () => {
  it('reads quality from the status code severity bits', () => {
    assert.equal(qualityOf(0x00000000), 'good');
    assert.equal(qualityOf(0x40920000), 'uncertain'); // UncertainSubNormal
    assert.equal(qualityOf(0x80050000), 'bad'); // BadCommunicationError
    assert.equal(qualityOf(0x808a0000), 'bad');
  });
  it('turns 64-bit pairs and dates into numbers, leaving other arrays alone', () => {
    assert.equal(plainValue([0, 5], 8), 5);
    assert.equal(plainValue([-1, 0xfffffffe], 8), -2);
    assert.equal(plainValue([1, 0], 9), 2 ** 32);
    assert.deepEqual(plainValue([1, 2], 6), [1, 2]);
    assert.equal(plainValue(new Date(1000)), 1000);
  });
  it('uses the source timestamp and carries the status name when not good', () => {
    const reading = toReading('ns=1;s=X', { value: { value: 3.5 }, statusCode: { value: 0x80050000, name: 'BadCommunicationError' }, sourceTimestamp: new Date(42) }, 99);
    assert.deepEqual(reading, { address: 'ns=1;s=X', value: 3.5, ts: 42, quality: 'bad', status: 'BadCommunicationError' });
    assert.equal(toReading('a', { value: { value: 1 } }, 99).ts, 99, 'no timestamps: the receive time');
  });
});

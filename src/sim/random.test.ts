import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Random } from './random.js';

const draw = (rng: Random, count: number): number[] => Array.from({ length: count }, () => rng.next());

describe('Random', () => {
  it('gives the same stream for the same seed and path', () => {
    assert.deepEqual(draw(new Random('demo', 'press-1'), 50), draw(new Random('demo', 'press-1'), 50));
    assert.deepEqual(draw(new Random(42), 10), draw(new Random('42'), 10), 'a number seed is its decimal text');
  });

  it('gives different streams for another seed or another component', () => {
    assert.notDeepEqual(draw(new Random('demo', 'press-1'), 10), draw(new Random('other', 'press-1'), 10));
    assert.notDeepEqual(draw(new Random('demo', 'press-1'), 10), draw(new Random('demo', 'press-2'), 10));
  });

  it('derives sub-streams that depend only on the names, not on draws made before', () => {
    const used = new Random('demo', 'press-1');
    draw(used, 100);
    assert.deepEqual(draw(used.derive('faults'), 5), draw(new Random('demo', 'press-1', 'faults'), 5));
  });

  it('stays in range and is roughly uniform', () => {
    const values = draw(new Random('uniform'), 20_000);
    assert.ok(values.every((value) => value >= 0 && value < 1));
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    assert.ok(Math.abs(mean - 0.5) < 0.01, `mean ${mean}`);
    const rng = new Random('ints');
    const ints = Array.from({ length: 5000 }, () => rng.int(3, 6));
    assert.deepEqual([...new Set(ints)].sort(), [3, 4, 5, 6]);
  });

  it('draws normals and exponentials with the asked mean and spread', () => {
    const rng = new Random('shapes');
    const normals = Array.from({ length: 20_000 }, () => rng.normal(10, 2));
    const mean = normals.reduce((sum, value) => sum + value, 0) / normals.length;
    const sd = Math.sqrt(normals.reduce((sum, value) => sum + (value - mean) ** 2, 0) / normals.length);
    assert.ok(Math.abs(mean - 10) < 0.05, `normal mean ${mean}`);
    assert.ok(Math.abs(sd - 2) < 0.05, `normal sd ${sd}`);
    const waits = Array.from({ length: 20_000 }, () => rng.exponential(30));
    const waitMean = waits.reduce((sum, value) => sum + value, 0) / waits.length;
    assert.ok(waits.every((value) => value >= 0));
    assert.ok(Math.abs(waitMean - 30) < 1, `exponential mean ${waitMean}`);
  });

  it('chooses every element of a list and refuses an empty one', () => {
    const rng = new Random('choice');
    const seen = new Set(Array.from({ length: 200 }, () => rng.choice(['a', 'b', 'c'])));
    assert.deepEqual([...seen].sort(), ['a', 'b', 'c']);
    assert.throws(() => rng.choice([]), RangeError);
  });
});

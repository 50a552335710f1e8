import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { containsPoint, distanceOutside, distanceOutsideSolid, shapeArea, type Shape } from './geometry.js';

const crib: Shape = { kind: 'rect', x: [96, 104], y: [4, 12] };
// An L-shaped aisle: the notch (5..10, 5..10) is outside.
const ell: Shape = { kind: 'polygon', points: [[0, 0], [10, 0], [10, 5], [5, 5], [5, 10], [0, 10]] };

describe('zone geometry', () => {
  it('puts a point inside a rectangle, on its edge, or outside it', () => {
    assert.equal(containsPoint(crib, { x: 100, y: 8 }), true);
    assert.equal(containsPoint(crib, { x: 96, y: 12 }), true, 'a corner counts as inside');
    assert.equal(containsPoint(crib, { x: 95.9, y: 8 }), false);
    assert.equal(containsPoint(crib, { x: 100, y: 12.01 }), false);
  });

  it('measures how far a point lies outside a rectangle, diagonally at a corner', () => {
    assert.equal(distanceOutside(crib, { x: 100, y: 8 }), 0);
    assert.equal(distanceOutside(crib, { x: 94, y: 8 }), 2);
    assert.equal(distanceOutside(crib, { x: 107, y: 16 }), 5, 'a 3-4-5 triangle off the corner (104, 12)');
  });

  it('handles a concave polygon: the notch is outside, the arms inside', () => {
    assert.equal(containsPoint(ell, { x: 2, y: 8 }), true);
    assert.equal(containsPoint(ell, { x: 8, y: 2 }), true);
    assert.equal(containsPoint(ell, { x: 8, y: 8 }), false);
    assert.equal(distanceOutside(ell, { x: 8, y: 8 }), 3, 'nearest edge is y = 5 (and x = 5), 3 m away');
    assert.equal(containsPoint(ell, { x: 5, y: 7 }), true, 'on the inner edge');
    assert.equal(distanceOutside(ell, { x: -1, y: 3 }), 1);
  });

  it('is the same polygon whichever way its corners run', () => {
    const reversed: Shape = { kind: 'polygon', points: ell.kind === 'polygon' ? [...ell.points].reverse() : [] };
    for (const point of [{ x: 2, y: 8 }, { x: 8, y: 8 }, { x: 12, y: 3 }]) assert.equal(distanceOutside(reversed, point), distanceOutside(ell, point));
    assert.equal(shapeArea(reversed), 75);
  });

  it('judges height only when both the zone and the report have it', () => {
    const mezzanine = { shape: crib, z: [3, 6] as const };
    assert.equal(distanceOutsideSolid(mezzanine, { x: 100, y: 8, z: 4 }), 0);
    assert.equal(distanceOutsideSolid(mezzanine, { x: 100, y: 8, z: 1 }), 2, 'on the floor below');
    assert.equal(distanceOutsideSolid(mezzanine, { x: 100, y: 8 }), 0, 'no z reported: judged in the plane');
    assert.equal(distanceOutsideSolid({ shape: crib }, { x: 100, y: 8, z: 40 }), 0, 'no height band: any z');
  });

  it('gives areas in square metres', () => {
    assert.equal(shapeArea(crib), 64);
    assert.equal(shapeArea(ell), 75);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { locationConfigOf } from './location-config.js';
import { LocationTracker, type LocationFact } from './location-tracker.js';
import { planOf } from './zone-plan.js';

const T0 = Date.UTC(2026, 0, 5, 5, 0);
const sec = (seconds: number): number => T0 + seconds * 1000;
const min = (minutes: number): number => sec(minutes * 60);

// A slice of the demo hall (docs/demo-plant.md): the line-1 zone, its tool crib 1 m to the east, the walkway.
const config = locationConfigOf({
  zones: [
    { id: 'line-1', equipment: 'acme/plant-1/assembly/line-1', rect: { x: [40, 95], y: [4, 20] } },
    { id: 'line-1-crib', rect: { x: [96, 104], y: [4, 12] } },
    { id: 'line-2', rect: { x: [40, 95], y: [30, 46] } },
    { id: 'walkway', rect: { x: [25, 120], y: [52, 56] } },
  ],
  tags: [
    { id: 'torque-wrench-7', kind: 'tool', home: 'line-1-crib', allowedZones: ['line-1'] },
    { id: 'cart-1', kind: 'cart', home: 'line-1' },
    { id: 'forklift-1', kind: 'forklift' },
  ],
  restricted: [{ zone: 'walkway', kinds: ['forklift'] }],
  misplacedAfterMinutes: 10,
  hysteresisMeters: 0.5,
});

function tracker(): LocationTracker {
  return new LocationTracker(planOf(config));
}

/** The facts as short strings, e.g. `entered line-1 @60`, seconds after T0. */
function brief(facts: readonly LocationFact[]): string[] {
  return facts.map((fact) => {
    const zone = 'zone' in fact ? ` ${fact.zone}` : ` [${fact.zones.join(',')}]`;
    return `${fact.type}${zone} @${(fact.at - T0) / 1000}`;
  });
}

describe('LocationTracker', () => {
  it('enters the zones a first report lies in, and leaves them with their dwell', () => {
    const track = tracker();
    assert.deepEqual(brief(track.report({ tag: 'cart-1', at: sec(0), x: 60, y: 10 })), ['entered line-1 @0']);
    assert.deepEqual(brief(track.report({ tag: 'cart-1', at: sec(30), x: 70, y: 10 })), [], 'moving inside: nothing');
    const out = track.report({ tag: 'cart-1', at: sec(90), x: 60, y: 25 });
    assert.deepEqual(brief(out), ['exited line-1 @90']);
    assert.equal(out[0]!.type === 'exited' && out[0]!.enteredAt, sec(0));
  });

  it('does not chatter when noise jitters across a boundary within the hysteresis', () => {
    const track = tracker();
    const facts: LocationFact[] = [];
    // Standing on line-1's east edge (x = 95) with ±0.3 m noise.
    [94.8, 95.2, 94.9, 95.3, 95.1, 94.7].forEach((x, index) => facts.push(...track.report({ tag: 'cart-1', at: sec(index * 10), x, y: 10 })));
    assert.deepEqual(brief(facts), ['entered line-1 @0']);
    assert.deepEqual(track.view('cart-1')!.zones.map((stay) => stay.zone), ['line-1']);
  });

  it('dates an exit to the first report outside, not to the one far enough away to be sure', () => {
    const track = tracker();
    track.report({ tag: 'cart-1', at: sec(0), x: 90, y: 10 });
    assert.deepEqual(brief(track.report({ tag: 'cart-1', at: sec(10), x: 95.3, y: 10 })), [], 'outside by 0.3 m: still in');
    assert.deepEqual(brief(track.report({ tag: 'cart-1', at: sec(20), x: 95.4, y: 10 })), []);
    const leaving = track.report({ tag: 'cart-1', at: sec(30), x: 97, y: 10 });
    assert.deepEqual(brief(leaving), ['exited line-1 @10', 'entered line-1-crib @30']);
  });

  it('forgets a pending exit when the tag steps back inside', () => {
    const track = tracker();
    track.report({ tag: 'cart-1', at: sec(0), x: 90, y: 10 });
    track.report({ tag: 'cart-1', at: sec(10), x: 95.3, y: 10 });
    track.report({ tag: 'cart-1', at: sec(20), x: 94, y: 10 });
    assert.deepEqual(brief(track.report({ tag: 'cart-1', at: sec(30), x: 95.6, y: 10 })), ['exited line-1 @30']);
  });

  it('ignores a report older than the tag\'s last one', () => {
    const track = tracker();
    track.report({ tag: 'cart-1', at: sec(20), x: 60, y: 10 });
    assert.deepEqual(track.report({ tag: 'cart-1', at: sec(10), x: 60, y: 40 }), []);
    assert.equal(track.view('cart-1')!.position.y, 10);
  });

  it('reports a forklift entering the walkway as a breach, and not a cart', () => {
    const track = tracker();
    track.report({ tag: 'forklift-1', at: sec(0), x: 45, y: 50 });
    assert.deepEqual(brief(track.report({ tag: 'forklift-1', at: sec(5), x: 45, y: 54 })), ['entered walkway @5', 'restricted walkway @5']);
    assert.deepEqual(brief(track.report({ tag: 'forklift-1', at: sec(45), x: 45, y: 50 })), ['exited walkway @45']);
    track.report({ tag: 'cart-1', at: sec(0), x: 45, y: 50 });
    assert.deepEqual(brief(track.report({ tag: 'cart-1', at: sec(5), x: 45, y: 54 })), ['entered walkway @5']);
  });

  it('flags a tool out of its home and allowed zones longer than the limit, once, and its return', () => {
    const track = tracker();
    track.report({ tag: 'torque-wrench-7', at: min(0), x: 100, y: 8 });
    // Into line-1 (allowed): no episode.
    assert.deepEqual(brief(track.report({ tag: 'torque-wrench-7', at: min(1), x: 80, y: 10 })), ['exited line-1-crib @60', 'entered line-1 @60']);
    assert.equal(track.view('torque-wrench-7')!.outsideSince, undefined);
    // Carried over to line-2 and left there, reporting every 10 s as a still tag does.
    assert.deepEqual(brief(track.report({ tag: 'torque-wrench-7', at: min(3), x: 72, y: 38 })), ['exited line-1 @180', 'entered line-2 @180']);
    const facts: LocationFact[] = [];
    for (let at = min(3) + 10_000; at <= min(20); at += 10_000) facts.push(...track.report({ tag: 'torque-wrench-7', at, x: 72, y: 38 }));
    assert.deepEqual(brief(facts), ['misplaced [line-2] @780'], 'at 3 + 10 minutes, exactly, and only once');
    const misplaced = facts[0]!;
    assert.equal(misplaced.type === 'misplaced' && misplaced.outsideSince, min(3));

    const back = track.report({ tag: 'torque-wrench-7', at: min(30), x: 100, y: 8 });
    assert.deepEqual(brief(back), ['exited line-2 @1800', 'entered line-1-crib @1800', 'returned line-1-crib @1800']);
    const returned = back[2]!;
    assert.equal(returned.type === 'returned' && returned.misplacedAt, min(13));
    assert.equal(track.view('torque-wrench-7')!.misplacedAt, undefined, 'the episode is over');
  });

  it('does not flag a tool that comes back before the limit', () => {
    const track = tracker();
    track.report({ tag: 'torque-wrench-7', at: min(0), x: 100, y: 8 });
    track.report({ tag: 'torque-wrench-7', at: min(1), x: 72, y: 38 });
    const facts = track.report({ tag: 'torque-wrench-7', at: min(9), x: 100, y: 8 });
    assert.deepEqual(brief(facts), ['exited line-2 @540', 'entered line-1-crib @540']);
    track.report({ tag: 'forklift-1', at: min(30), x: 10, y: 10 });
    assert.equal(track.view('torque-wrench-7')!.misplacedAt, undefined);
  });

  it('finds a tool misplaced on other tags\' clock when it has stopped reporting', () => {
    const track = tracker();
    track.report({ tag: 'torque-wrench-7', at: min(0), x: 100, y: 8 });
    track.report({ tag: 'torque-wrench-7', at: min(2), x: 30, y: 30 }); // between zones, then silent
    assert.deepEqual(brief(track.report({ tag: 'cart-1', at: min(11), x: 60, y: 10 })), ['entered line-1 @660']);
    const facts = track.report({ tag: 'cart-1', at: min(12), x: 61, y: 10 });
    assert.deepEqual(brief(facts), ['misplaced [] @720'], 'in no zone at all');
    assert.equal(facts[0]!.type === 'misplaced' && facts[0]!.position.x, 30, 'where it was last seen');
  });

  it('does not watch carts or forklifts unless their entry sets a limit', () => {
    const track = tracker();
    track.report({ tag: 'cart-1', at: min(0), x: 60, y: 10 });
    track.report({ tag: 'cart-1', at: min(1), x: 60, y: 40 });
    assert.deepEqual(brief(track.report({ tag: 'cart-1', at: min(60), x: 60, y: 40 })), []);

    const watched = new LocationTracker(planOf({ ...config, tags: [{ id: 'cart-1', kind: 'cart', home: 'line-1', misplacedAfterMinutes: 5 }] }));
    watched.report({ tag: 'cart-1', at: min(0), x: 60, y: 10 });
    watched.report({ tag: 'cart-1', at: min(1), x: 60, y: 40 });
    assert.deepEqual(brief(watched.report({ tag: 'cart-1', at: min(7), x: 60, y: 40 })), ['misplaced [line-2] @360']);
  });

  it('tracks tags the config does not list, without watching or restricting them', () => {
    const track = tracker();
    track.report({ tag: 'visitor-3', at: sec(0), x: 45, y: 50 });
    assert.deepEqual(brief(track.report({ tag: 'visitor-3', at: sec(5), x: 45, y: 54 })), ['entered walkway @5']);
  });
});

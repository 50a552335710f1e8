import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { EVENT_TYPE_PATTERN } from './event.js';
import { EVENT_TYPES, isKnownEventType } from './event-types.js';

describe('event catalogue', () => {
  it('names every type dotted and lower-case', () => {
    for (const type of Object.keys(EVENT_TYPES)) assert.match(type, new RegExp(EVENT_TYPE_PATTERN));
  });
  it('knows catalogue types and the custom. prefix only', () => {
    assert.equal(isKnownEventType('equipment.state.changed'), true);
    assert.equal(isKnownEventType('custom.paint.mixed'), true);
    assert.equal(isKnownEventType('equipment.state.change'), false);
  });
  it('is documented type by type in docs/events.md', () => {
    const documented = readFileSync(new URL('../../docs/events.md', import.meta.url), 'utf8');
    for (const type of Object.keys(EVENT_TYPES)) assert.ok(documented.includes(`| \`${type}\` |`), `${type} is missing from docs/events.md`);
  });
});

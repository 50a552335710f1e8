/**
 * Two runs of the demo plant with the same seed and speed produce the same event sequence: a digest of the events the
 * simulated systems sent (everything but Plantfabric's own derived events), ignoring receive times, over the first
 * 40 simulated minutes. Each event is taken as its source sent it: its id is derived from that content (ADR 0002), and
 * the work order the enrich stage fills in is left out, because it depends on which of two readings of the same
 * instant reached the layer first (two protocols, two sockets).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { canonicalJson } from '../../src/core/pipeline/event-id.js';
import { startDemo } from '../../src/runtime/demo.js';
import { until } from '../support/wait.js';

const WINDOW_MS = 40 * 60_000;

interface Run {
  digest: string;
  count: number;
  lines: string[];
}

async function run(seed: string): Promise<Run> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pf-demo-digest-'));
  const demo = await startDemo({ dataDir, reset: true, ports: 'auto', port: 0, speed: 240, seed });
  try {
    const end = demo.sim.clock.start + WINDOW_MS;
    await until('the window has passed', () => demo.sim.clock.now() > end + 3 * 60_000 || undefined, 300_000);
    const read = async () => {
      const all = [];
      let after = 0;
      for (;;) {
        const page = await demo.runtime.stores.events.query({ to: end, afterPosition: after, limit: 10_000 });
        all.push(...page);
        if (page.length < 10_000) break;
        after = page[page.length - 1]!.position;
      }
      return all.filter((event) => event.source.system !== 'plantfabric');
    };
    // Everything inside the window is in once two reads a second apart agree.
    let events = await read();
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const again = await read();
      if (again.length === events.length) break;
      events = again;
    }
    const sequence = events
      .map(({ receivedAt: _receivedAt, position: _position, subject: { workOrder: _order, operation: _operation, lot: _lot, ...subject }, ...event }) => ({ ...event, subject }))
      .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.id.localeCompare(b.id));
    const lines = sequence.map((event) => canonicalJson(event));
    return { digest: createHash('sha256').update(canonicalJson(sequence)).digest('hex'), count: sequence.length, lines };
  } finally {
    await demo.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

describe('the demo plant is deterministic', () => {
  it('gives the same event sequence for the same seed and speed', { timeout: 600_000 }, async () => {
    const first = await run('digest-check');
    const second = await run('digest-check');
    assert.ok(first.count > 500, `${first.count} events in the window`);
    // On a mismatch, say which events differ: the first few on each side.
    const only = (a: Run, b: Run) => { const other = new Set(b.lines); return a.lines.filter((line) => !other.has(line)).slice(0, 5); };
    assert.equal(second.digest, first.digest, `differs:\n  first only: ${only(first, second).join('\n    ')}\n  second only: ${only(second, first).join('\n    ')}`);
    assert.equal(second.count, first.count);
  });
});

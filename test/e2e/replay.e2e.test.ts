/**
 * Replay / shadow mode over a recorded demo run: fed the recorded events, the engines make exactly the derived events
 * the live run made; a changed rule is judged without touching the live cases.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DEMO_PLANT, startDemo } from '../../src/runtime/demo.js';
import { runReplay } from '../../src/runtime/replay.js';
import { openSqliteStores } from '../../src/store/sqlite/index.js';
import { until } from '../support/wait.js';

const RUN_MS = 100 * 60_000;

describe('replay (shadow mode)', () => {
  it('reproduces the live run\'s derived events, and judges a changed rule without touching live cases', { timeout: 600_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pf-replay-'));
    const demo = await startDemo({ dataDir, reset: true, ports: 'auto', port: 0, speed: 480 });
    const from = demo.sim.clock.start;
    const to = from + RUN_MS;
    try {
      await until('the recorded run', () => demo.sim.clock.now() > to + 10 * 60_000 || undefined, 300_000);
      await demo.runtime.engines.waitForIdle();
      await demo.runtime.sampleEngines.idle();
    } finally {
      await demo.stop();
    }
    try {
      const same = await runReplay({ liveConfigFile: DEMO_PLANT, liveDataDir: dataDir, from, to, warmupMs: 0 });
      assert.ok(same.comparison.same > 10, `${same.comparison.same} derived events compared`);
      assert.deepEqual(
        { onlyReplay: same.comparison.onlyReplay, onlyLive: same.comparison.onlyLive },
        { onlyReplay: 0, onlyLive: 0 },
        `replay differs from the live run:\n+ ${same.comparison.examples.onlyReplay.join('\n+ ')}\n- ${same.comparison.examples.onlyLive.join('\n- ')}`,
      );
      assert.ok(same.cases.some((entry) => entry.rule === 'machine-fault' && (entry.equipment ?? '').endsWith('press-1')), 'the press stop would open its case, as it did live');

      // Judge a stricter rule: a fault must last 30 minutes before a case opens; the 20-minute press stop then opens none.
      const stricter = join(dataDir, 'stricter.yaml');
      writeFileSync(stricter, readFileSync(DEMO_PLANT, 'utf8').replace('      holdFor: 2m\n', '      holdFor: 30m\n'));
      const live = openSqliteStores({ file: join(dataDir, 'plantfabric.db'), readonly: true });
      const liveCasesBefore = await live.operations.countCases({});
      await live.close();
      const shadow = await runReplay({ liveConfigFile: DEMO_PLANT, liveDataDir: dataDir, shadowConfigFile: stricter, from, to, warmupMs: 0, engines: ['oee'] });
      assert.equal(shadow.cases.filter((entry) => entry.rule === 'machine-fault').length, 0, 'no machine-fault case under the stricter rule');
      const after = openSqliteStores({ file: join(dataDir, 'plantfabric.db'), readonly: true });
      assert.equal(await after.operations.countCases({}), liveCasesBefore, 'the live cases are untouched');
      await after.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

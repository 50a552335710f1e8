import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPlantfabricError } from '../core/errors.js';
import { loadSimConfig, parseSimConfig, simConfigIssues, validateSimConfig } from './config.js';

describe('sim config', () => {
  it('loads the demo plant with the ISA-95 ids and protocols of the issue', async () => {
    const config = await loadSimConfig();
    const byProtocol = (protocol: string): string[] => config.machines.filter((machine) => machine.protocol === protocol).map((machine) => machine.id);
    assert.equal(config.site, 'plant-1');
    assert.deepEqual(byProtocol('opcua'), ['press-1', 'weld-1', 'assembly-1', 'test-1']);
    assert.deepEqual(byProtocol('sparkplug'), ['press-2', 'assembly-2', 'test-2', 'packer-1']);
    assert.deepEqual(byProtocol('mtconnect'), ['cnc-1', 'cnc-2']);
    assert.deepEqual([config.utilities.compressor.id, config.utilities.powerMeter.id], ['compressor-1', 'power-meter-1']);
    assert.deepEqual(config.rtls.tags.filter((tag) => tag.kind === 'forklift').map((tag) => tag.id), ['forklift-1', 'forklift-2']);
    assert.ok(config.incidents.longStop.atMinute < 60, 'the long stop comes within the first simulated hour');
    assert.equal(config.machineClasses.press?.starvedAfterSeconds, 120, 'defaults are filled inside machine classes');
  });

  it('reports unknown references with their paths', async () => {
    const config = structuredClone(await loadSimConfig()) as unknown as Record<string, unknown> & { machines: Array<Record<string, unknown>>; bearing: Record<string, unknown> };
    config.machines[0]!.class = 'laser';
    config.bearing.machine = 'cnc-9';
    const issues = simConfigIssues(config);
    assert.ok(issues.some((issue) => issue.path === '/machines/0/class' && issue.message.includes('laser')), JSON.stringify(issues));
    assert.ok(issues.some((issue) => issue.path === '/bearing/machine'));
  });

  it('refuses bad YAML and schema violations with PF_ERR_CONFIG_INVALID', () => {
    assert.throws(() => parseSimConfig('seed: [unclosed'), (error) => isPlantfabricError(error) && error.code === 'PF_ERR_CONFIG_INVALID');
    assert.throws(
      () => validateSimConfig({ seed: 1, speed: -1 }),
      (error) => isPlantfabricError(error) && error.code === 'PF_ERR_CONFIG_INVALID' && /speed/.test(error.message),
    );
  });

  it('says which file is missing with PF_ERR_CONFIG_NOT_FOUND', async () => {
    await assert.rejects(loadSimConfig('does/not/exist.yaml'), (error) => isPlantfabricError(error) && error.code === 'PF_ERR_CONFIG_NOT_FOUND');
  });
});

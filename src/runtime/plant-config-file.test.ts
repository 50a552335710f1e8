import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PlantfabricError } from '../core/errors.js';
import { checkPlantConfigFile, loadPlantConfigFile } from './plant-config-file.js';

describe('plant.yaml files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pf-config-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string): string => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('loads the shipped example plant', async () => {
    const { config, model } = await loadPlantConfigFile(new URL('../../examples/plant.yaml', import.meta.url).pathname);
    assert.equal(config.enterprise.id, 'acme');
    assert.equal(model.get('acme/plant-1/assembly/line-2/weld/weld-cell-1')?.level, 'equipment');
    assert.equal(model.areaOf('acme/plant-1/assembly/line-2/weld/weld-cell-1'), 'assembly');
  });

  it('gives each problem its line and column', async () => {
    const file = write('bad.yaml', ['version: 1', 'enterprise: { id: acme }', 'sites:', '  - id: plant-1', '    areas:', '      - id: assembly', '        colour: blue', ''].join('\n'));
    const result = await checkPlantConfigFile(file);
    assert.equal(result.ok, false);
    if (result.ok) return;
    const issue = result.issues.find((entry) => entry.path === '/sites/0/areas/0/colour');
    assert.ok(issue, JSON.stringify(result.issues));
    assert.equal(issue.line, 7);
  });

  it('reports YAML syntax errors with a line', async () => {
    const result = await checkPlantConfigFile(write('syntax.yaml', 'version: 1\nsites: [\n  - oops: {\n'));
    assert.equal(result.ok, false);
    if (!result.ok) assert.ok(result.issues.every((issue) => issue.message.startsWith('YAML') && issue.line !== undefined));
  });

  it('throws documented codes from load', async () => {
    await assert.rejects(loadPlantConfigFile(join(dir, 'missing.yaml')), (error: unknown) => error instanceof PlantfabricError && error.code === 'PF_ERR_CONFIG_NOT_FOUND');
    await assert.rejects(loadPlantConfigFile(write('empty-sites.yaml', 'version: 1\nenterprise: { id: acme }\nsites: []\n')), (error: unknown) => {
      return error instanceof PlantfabricError && error.code === 'PF_ERR_CONFIG_INVALID' && /sites/.test(error.message);
    });
  });
});

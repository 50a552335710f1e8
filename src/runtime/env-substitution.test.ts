import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { substituteEnv } from './env-substitution.js';

describe('environment references in plant.yaml', () => {
  it('fills references inside text and types a value that is one reference', () => {
    const { value, issues } = substituteEnv(
      { url: 'mqtt://${HOST}:${PORT}', port: '${PORT}', secure: '${SECURE:-false}', name: 'plain', list: ['${HOST}'] },
      { HOST: 'broker.local', PORT: '1883' },
    );
    assert.deepEqual(value, { url: 'mqtt://broker.local:1883', port: 1883, secure: false, name: 'plain', list: ['broker.local'] });
    assert.deepEqual(issues, []);
  });
  it('uses the default when unset and reports an unset name without one, with its path', () => {
    const { value, issues } = substituteEnv({ connectors: [{ url: '${MISSING}', host: '${H:-localhost}' }] }, {});
    assert.deepEqual(value, { connectors: [{ url: '', host: 'localhost' }] });
    assert.equal(issues.length, 1);
    assert.equal(issues[0]!.path, '/connectors/0/url');
    assert.match(issues[0]!.message, /MISSING is not set/);
  });
  it('keeps a value that only looks like a number as text when it is embedded', () => {
    assert.deepEqual(substituteEnv({ id: 'line-${N}' }, { N: '2' }).value, { id: 'line-2' });
  });
});

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { registerWebUi } from './web-ui.js';

describe('web UI serving', () => {
  it('serves the page and hashed assets publicly, and nothing outside the build folder', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pf-web-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Plantfabric</title>');
    writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
    writeFileSync(join(root, '..', `secret-${process.pid}.txt`), 'no');
    const app = Fastify();
    try {
      await registerWebUi(app, `${root}/`);
      const page = await app.inject('/');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<title>Plantfabric/);
      const asset = await app.inject('/assets/index-abc.js');
      assert.equal(asset.statusCode, 200);
      assert.match(String(asset.headers['cache-control']), /immutable/);
      const escape = await app.inject(`/assets/..%2F..%2Fsecret-${process.pid}.txt`);
      assert.notEqual(escape.statusCode, 200, 'no path outside the build folder');
      assert.equal((await app.inject('/assets/missing.js')).statusCode, 404);
    } finally {
      await app.close();
      rmSync(root, { recursive: true, force: true });
      rmSync(join(root, '..', `secret-${process.pid}.txt`), { force: true });
    }
  });
  it('explains how to build the UI when it is missing', async () => {
    const app = Fastify();
    await registerWebUi(app, join(tmpdir(), `pf-no-web-${process.pid}/`));
    const page = await app.inject('/');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /npm run build:web/);
    await app.close();
  });
});

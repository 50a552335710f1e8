/**
 * `plantfabric start` as a user runs it: prints its URL, serves, and on SIGINT/SIGTERM drains and exits cleanly,
 * leaving every acknowledged event in an intact database.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { DATABASE_FILE } from '../../src/runtime/create-runtime.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const configFile = join(root, 'test/fixtures/plant.yaml');

async function startServer(dataDir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/run.ts'), 'start', '-c', configFile, '--data', dataDir, '--port', '0'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const output: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      output.push(line);
      const match = /running: (http:\/\/\S+)/.exec(line);
      if (match) resolve(match[1]!);
    });
    void exited.then(() => reject(new Error(`server exited early:\n${output.join('\n')}`)));
  });
  return { child, url, output, exited };
}

describe('plantfabric start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pf-start-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`prints its URL, serves, and stops cleanly on ${signal}`, async () => {
      const server = await startServer(dataDir);
      const health = await fetch(`${server.url}/healthz`);
      assert.equal(health.status, 200);

      const login = await fetch(`${server.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'ada', password: 'demo-ada' }),
      });
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
      const events = Array.from({ length: 500 }, (_, index) => ({
        id: `${signal}-${index}`,
        type: 'production.count.recorded',
        occurredAt: new Date(Date.UTC(2026, 10, 22) + index).toISOString(),
        source: { system: 'test' },
        subject: { equipment: 'acme/plant-1/assembly/line-1/press-1' },
        data: { good: 1 },
      }));
      const posted = await fetch(`${server.url}/api/v1/events`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(events) });
      assert.equal(posted.status, 200);

      server.child.kill(signal);
      const { code } = await server.exited;
      assert.equal(code, 0, server.output.join('\n'));
      assert.ok(server.output.some((line) => line.includes('stopped cleanly')));

      const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
      try {
        assert.equal((db.pragma('integrity_check', { simple: true }) as string), 'ok');
        const ids = events.map((event) => event.id);
        const found = db.prepare(`SELECT count(*) AS n FROM events WHERE id IN (${ids.map(() => '?').join(',')})`).get(...ids) as { n: number };
        assert.equal(found.n, 500);
      } finally {
        db.close();
      }
    });
  }
});

/**
 * The OPC UA connector against a real node-opcua server: 1,000 variables whose every change arrives once and in
 * order, a server restart recovered without help, and SignAndEncrypt refused with a clear error until each side
 * trusts the other's certificate.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { createCore } from '../../runtime/create-runtime.js';
import { freePort } from '../../../test/support/brokers.js';
import { startOpcuaServer } from '../../../test/support/opcua-server.js';
import { assertNothingLeftBehind, resourceCounts, until } from '../../../test/support/wait.js';

const MACHINE = 'acme/plant-1/assembly/line-1/press-1';

function plantYaml(endpoint: string, variables: number, extra = ''): string {
  const bindings = Array.from({ length: variables }, (_, index) => `      - { address: "ns=1;s=V${index}", equipment: ${MACHINE}, signal: v${index}, as: sample }`).join('\n');
  return `
version: 1
enterprise: { id: acme }
sites:
  - id: plant-1
    areas: [{ id: assembly, lines: [{ id: line-1, equipment: [{ id: press-1 }] }] }]
connectors:
  - id: press-opcua
    kind: opcua
    endpoint: ${endpoint}
    samplingIntervalMs: 0
    publishingIntervalMs: 50
    queueSize: 100
    flushMs: 10
${extra}
    bindings:
${bindings}
`;
}

describe('OPC UA connector', () => {
  it('delivers every change of 1,000 variables once, in order, and recovers from a server restart', async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'pf-opcua-'));
    let server = await startOpcuaServer({ port, variables: 1000 });
    writeFileSync(join(dir, 'plant.yaml'), plantYaml(server.endpoint, 1000));
    const core = await createCore({ configFile: join(dir, 'plant.yaml'), dataDir: dir });
    try {
      await core.connectors.start();
      const status = () => core.connectors.status()[0]!;
      await until('connected', () => status().health.state === 'connected');
      const t0 = Date.UTC(2026, 0, 1, 6);
      const ROUNDS = 3;
      for (let round = 1; round <= ROUNDS; round += 1) {
        for (let index = 0; index < 1000; index += 1) server.set(index, round * 1000 + index, new Date(t0 + round * 1000));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const series = (index: number) => core.stores.historian.range({ equipment: MACHINE, signal: `v${index}`, from: t0, to: t0 + 100_000 });
      // Each series holds the value read when the item was created (stamped at server start) plus every change.
      await until('all changes', async () => {
        const counts = await core.stores.historian.series(MACHINE);
        return counts.length === 1000 && counts.every((entry) => entry.count === ROUNDS + 1);
      });
      for (const index of [0, 1, 499, 998, 999]) {
        assert.deepEqual((await series(index)).map((point) => point.value), [1000 + index, 2000 + index, 3000 + index], `v${index} in order, once each`);
      }

      await server.close();
      await until('disconnected', () => status().health.state !== 'connected');
      server = await startOpcuaServer({ port, variables: 1000 });
      await until('reconnected', () => status().health.state === 'connected', 40_000);
      server.set(7, 4242, new Date(t0 + 9000));
      await until('change after restart', async () => (await series(7)).some((point) => point.value === 4242));
      const after = await series(7);
      assert.equal(new Set(after.map((point) => point.ts)).size, after.length, 'no change stored twice');
      assert.match(status().health.lastError?.message ?? '', /opc\.tcp:\/\/127\.0\.0\.1/);
    } finally {
      await core.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('dead-letters a value its binding cannot transform, and leaves nothing running after stop', async () => {
    const before = resourceCounts();
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'pf-opcua-bad-'));
    const server = await startOpcuaServer({ port, variables: 1, textVariables: ['Speed'] });
    writeFileSync(join(dir, 'plant.yaml'), plantYaml(server.endpoint, 1).replace('    bindings:\n', `    bindings:\n      - { address: "ns=1;s=Speed", equipment: ${MACHINE}, signal: speed, as: sample }\n`));
    const core = await createCore({ configFile: join(dir, 'plant.yaml'), dataDir: dir });
    try {
      await core.connectors.start();
      await until('connected', () => core.connectors.status()[0]!.health.state === 'connected');
      server.setText('Speed', 'fast', new Date(Date.UTC(2026, 0, 1)));
      const rejected = await until('dead letter', async () => (await core.stores.deadLetters.list({ stage: 'connector' })).find((entry) => entry.message.includes('"fast"')));
      assert.equal(rejected.code, 'PF_ERR_INGEST_SCHEMA');
      assert.equal(rejected.source.address, 'ns=1;s=Speed');
      assert.deepEqual(JSON.parse(Buffer.from(rejected.raw).toString('utf8')), { nodeId: 'ns=1;s=Speed', value: 'fast' });
      assert.equal((await core.stores.historian.series(MACHINE)).find((series) => series.signal === 'speed'), undefined, 'not counted as data');
    } finally {
      await core.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
    await assertNothingLeftBehind(before);
  });

  it('logs in with a user name and password, says why a wrong one is refused, and writes a value back', async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'pf-opcua-user-'));
    const server = await startOpcuaServer({ port, variables: 2, users: { plantfabric: 'right-password' } });
    const passwordEnv = `PF_TEST_OPCUA_PASSWORD_${process.pid}`;
    process.env[passwordEnv] = 'wrong-password';
    writeFileSync(join(dir, 'plant.yaml'), plantYaml(server.endpoint, 2, `    username: plantfabric\n    passwordEnv: ${passwordEnv}`));
    const core = await createCore({ configFile: join(dir, 'plant.yaml'), dataDir: dir });
    try {
      await core.connectors.start();
      const status = () => core.connectors.status()[0]!;
      const refused = await until('refused', () => (status().health.state === 'disconnected' ? status().health : undefined));
      assert.match(refused.lastError?.message ?? '', /BadUserAccessDenied|BadIdentityTokenRejected|BadIdentityTokenInvalid|user/i);
      process.env[passwordEnv] = 'right-password';
      await until('connected with the right password', () => status().health.state === 'connected', 40_000);
      const written = await core.connectors.connector('press-opcua')!.write!({ address: 'ns=1;s=V1', value: 42.5 });
      assert.deepEqual(written, { ok: true });
      assert.equal(server.variables[1]!.readValue().value.value, 42.5, 'the value reached the server');
      const refusedWrite = await core.connectors.connector('press-opcua')!.write!({ address: 'ns=1;s=Nowhere', value: 1 });
      assert.equal(refusedWrite.ok, false);
      assert.match(refusedWrite.status ?? refusedWrite.message ?? '', /BadNodeIdUnknown/);
    } finally {
      delete process.env[passwordEnv];
      await core.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses SignAndEncrypt with an untrusted certificate, with a clear error, and connects once trusted', async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'pf-opcua-sec-'));
    const serverPki = join(dir, 'server-pki');
    const clientPki = join(dir, 'client-pki');
    const server = await startOpcuaServer({ port, variables: 2, pkiDir: serverPki, secureOnly: true });
    writeFileSync(join(dir, 'plant.yaml'), plantYaml(server.endpoint, 2, `    securityMode: SignAndEncrypt\n    securityPolicy: Basic256Sha256\n    pkiDir: ${clientPki}`));
    const core = await createCore({ configFile: join(dir, 'plant.yaml'), dataDir: dir });
    try {
      await core.connectors.start();
      const status = () => core.connectors.status()[0]!;
      const refused = await until('refused', () => (status().health.state === 'disconnected' ? status().health : undefined));
      assert.match(refused.lastError?.message ?? '', /certificate/i);

      // Trust both ways, as an engineer would. Ours: move the server certificate from rejected/ to trusted/certs/ (the
      // connector reads the folder at each connection attempt). The test server's: trust the certificate the connector made (own/certs/) through its API.
      const rejected = (folder: string) => readdirSync(join(folder, 'rejected')).filter((name) => name.endsWith('.pem') || name.endsWith('.der')).map((name) => join(folder, 'rejected', name));
      mkdirSync(join(clientPki, 'trusted', 'certs'), { recursive: true });
      for (const file of rejected(clientPki)) renameSync(file, join(clientPki, 'trusted', 'certs', basename(file)));
      const derOf = (file: string): Buffer => {
        const text = readFileSync(file, 'utf8');
        return text.includes('-----BEGIN') ? Buffer.from(text.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64') : readFileSync(file);
      };
      const ownCertificates = readdirSync(join(clientPki, 'own', 'certs')).filter((name) => name.endsWith('.pem')).map((name) => join(clientPki, 'own', 'certs', name));
      assert.ok(ownCertificates.length > 0, 'the connector made its own certificate');
      for (const file of ownCertificates) await server.server.serverCertificateManager.trustCertificate(derOf(file));
      await until('connected once trusted', () => status().health.state === 'connected', 40_000);
      server.set(1, 12.5, new Date(Date.UTC(2026, 0, 2)));
      await until('secure data', async () => (await core.stores.historian.range({ equipment: MACHINE, signal: 'v1', from: 0, to: Date.now() + 1e9 })).some((point) => point.value === 12.5));
    } finally {
      await core.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * The MQTT connector against Mosquitto over TLS with a user name and password, as a plant broker is set up: a
 * certificate signed by the plant's own CA (made here with openssl), a password file (mosquitto_passwd). A wrong
 * password is refused with the broker's reason; with the right one readings flow and a write-back is published.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import mqtt from 'mqtt';
import { createCore } from '../../runtime/create-runtime.js';
import { freePort, mosquittoPath } from '../../../test/support/brokers.js';
import { until } from '../../../test/support/wait.js';

const mosquitto = mosquittoPath();
const tools = ['/usr/bin/openssl', '/usr/bin/mosquitto_passwd'].every((tool) => existsSync(tool));
const skip = mosquitto === undefined ? 'mosquitto is not installed (CI installs it)' : !tools ? 'openssl or mosquitto_passwd is missing' : false;
const PRESS = 'acme/plant-1/assembly/line-1/press-1';

/** A CA and a server certificate for 127.0.0.1, as a plant's IT would issue them. */
function certificates(dir: string): { ca: string; cert: string; key: string } {
  const ca = join(dir, 'ca.pem');
  const caKey = join(dir, 'ca.key');
  const key = join(dir, 'server.key');
  const csr = join(dir, 'server.csr');
  const cert = join(dir, 'server.pem');
  const ext = join(dir, 'server.ext');
  const openssl = (args: string[]) => execFileSync('/usr/bin/openssl', args, { stdio: 'ignore' });
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', caKey, '-out', ca, '-days', '2', '-subj', '/CN=Plant test CA']);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', '/CN=127.0.0.1']);
  writeFileSync(ext, 'subjectAltName=IP:127.0.0.1\n');
  openssl(['x509', '-req', '-in', csr, '-CA', ca, '-CAkey', caKey, '-CAcreateserial', '-out', cert, '-days', '2', '-extfile', ext]);
  return { ca, cert, key };
}

describe('MQTT over TLS with a user name and password (Mosquitto)', () => {
  it('refuses a wrong password with the broker\'s reason, then reads and writes back over TLS', { skip }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pf-mqtt-tls-'));
    const port = await freePort();
    const { ca, cert, key } = certificates(dir);
    const passwords = join(dir, 'passwords');
    execFileSync('/usr/bin/mosquitto_passwd', ['-b', '-c', passwords, 'plantfabric', 'right-password'], { stdio: 'ignore' });
    // Mosquitto started as root drops to its own user before reading keys: let it read the test's (throwaway) files.
    chmodSync(dir, 0o755);
    for (const file of [ca, cert, key, passwords]) chmodSync(file, 0o644);
    writeFileSync(join(dir, 'mosquitto.conf'), [
      `listener ${port} 127.0.0.1`, `cafile ${ca}`, `certfile ${cert}`, `keyfile ${key}`,
      'allow_anonymous false', `password_file ${passwords}`, 'persistence false', 'set_tcp_nodelay true', '',
    ].join('\n'));
    const broker: ChildProcess = spawn(mosquitto!, ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
    await until('the broker listening', () => new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => { socket.destroy(); resolve(true); });
      socket.once('error', () => resolve(false));
    }), 10_000);
    const passwordEnv = `PF_TEST_MQTT_PASSWORD_${process.pid}`;
    process.env[passwordEnv] = 'wrong-password';
    writeFileSync(join(dir, 'plant.yaml'), `
version: 1
enterprise: { id: acme }
sites: [{ id: plant-1, areas: [{ id: assembly, lines: [{ id: line-1, equipment: [{ id: press-1 }] }] }] }]
connectors:
  - id: secure-broker
    kind: mqtt
    url: mqtts://127.0.0.1:${port}
    username: plantfabric
    passwordEnv: ${passwordEnv}
    tls: { caFile: ${ca} }
    flushMs: 5
    bindings:
      - { topic: line1/press-1/rms, equipment: ${PRESS}, signal: vibration-rms, as: sample, field: value }
`);
    const core = await createCore({ configFile: join(dir, 'plant.yaml'), dataDir: dir });
    try {
      await core.connectors.start();
      const health = () => core.connectors.status()[0]!.health;
      const refused = await until('refused', () => (health().state === 'disconnected' ? health() : undefined));
      assert.match(refused.lastError?.message ?? '', /Not authorized|Bad username or password/i);

      process.env[passwordEnv] = 'right-password';
      await until('connected over TLS', () => health().state === 'connected', 40_000);
      const client = await mqtt.connectAsync(`mqtts://127.0.0.1:${port}`, { username: 'plantfabric', password: 'right-password', ca: [readFileSync(ca)], reconnectPeriod: 0 });
      try {
        const echoed = new Promise<string>((resolve) => client.on('message', (_topic, payload) => resolve(payload.toString('utf8'))));
        await client.subscribeAsync('line1/press-1/setpoint', { qos: 1 });
        await client.publishAsync('line1/press-1/rms', JSON.stringify({ value: 4.25 }), { qos: 1 });
        await until('sample over TLS', async () => (await core.stores.historian.series(PRESS)).some((series) => series.signal === 'vibration-rms') || undefined);
        assert.deepEqual(await core.connectors.connector('secure-broker')!.write!({ address: 'line1/press-1/setpoint', value: { value: 12 } }), { ok: true });
        assert.equal(await echoed, '{"value":12}', 'the write-back was published to the topic');
      } finally {
        await client.endAsync(true);
      }
    } finally {
      delete process.env[passwordEnv];
      await core.close();
      broker.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});


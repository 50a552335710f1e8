/**
 * Real MQTT brokers for integration tests: the embedded aedes broker always, and Mosquitto when it is installed
 * (`.ci/run` installs it from Debian packages). Each runs on loopback on a free port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedBroker } from '../../src/runtime/embedded-broker.js';

export interface TestBroker {
  name: string;
  url: string;
  port: number;
  /** Stops the broker (to test reconnection); `restart` brings it back on the same port. */
  stop(): Promise<void>;
  restart(): Promise<void>;
  /** Stops it for good and removes its files. */
  dispose(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function aedesBroker(): Promise<TestBroker> {
  const port = await freePort();
  let broker = await startEmbeddedBroker({ port });
  return {
    name: 'aedes (embedded)',
    url: broker.url,
    port,
    stop: () => broker.close(),
    async restart() {
      broker = await startEmbeddedBroker({ port });
    },
    dispose: () => broker.close().catch(() => undefined),
  };
}

/** The Mosquitto binary when installed, else undefined. */
export function mosquittoPath(): string | undefined {
  return ['/usr/sbin/mosquitto', '/usr/bin/mosquitto', '/usr/local/sbin/mosquitto'].find((candidate) => existsSync(candidate));
}

async function waitForPort(port: number, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nothing listens on port ${port} after ${timeoutMs} ms`);
}

export async function mosquittoBroker(binary: string): Promise<TestBroker> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'pf-mosquitto-'));
  const configFile = join(dir, 'mosquitto.conf');
  writeFileSync(configFile, `listener ${port} 127.0.0.1\nallow_anonymous true\nset_tcp_nodelay true\npersistence false\nmax_queued_messages 1000000\n`);
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    child = spawn(binary, ['-c', configFile], { stdio: 'ignore' });
    await waitForPort(port);
  };
  await start();
  const broker: TestBroker = {
    name: 'Mosquitto',
    url: `mqtt://127.0.0.1:${port}`,
    port,
    async stop() {
      const running = child;
      if (running === undefined || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM');
      await exited;
      child = undefined;
    },
    restart: start,
    async dispose() {
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return broker;
}

/**
 * The OPC UA connector: one session, one subscription, every binding a monitored item. Status codes travel as quality.
 * A lost connection (server restart, network) tears everything down and rebuilds it through the shared backoff; the
 * values re-sent on re-subscription carry their original source timestamps, so the log and the historian (idempotent
 * on id and on (series, ts)) keep exactly one copy of each change.
 */
import { join } from 'node:path';
import type { Connector, ConnectorContext, WriteRequest, WriteResult } from '../../core/connector.js';
import { describeError } from '../../core/errors.js';
import { RetryTimer } from '../../core/backoff.js';
import { HealthTracker } from '../../core/health.js';
import { ReadingBatcher } from '../../core/reading-batcher.js';
import { mapReading, type MappingMemory } from '../../core/mapping.js';
import type { OpcuaConfig } from './config.js';
import { toReading } from './mapping.js';
import { connectOpcua, type OpcuaTransport } from './transport.js';

export function createOpcuaConnector(config: OpcuaConfig, context: ConnectorContext): Connector {
  const health = new HealthTracker(context.now);
  const memory: MappingMemory = new Map();
  const retry = new RetryTimer(context.backoff({ initialMs: 500, maxMs: 30_000 }));
  const source = { system: context.system, connector: context.id };
  const pkiDir = config.pkiDir ?? join(context.stateDir, 'pki');
  let transport: OpcuaTransport | undefined;
  let stopped = true;
  let connecting: Promise<void> | undefined;
  let notifications = 0;
  const batcher = new ReadingBatcher({ sink: context.sink, flushMs: config.flushMs, onError: (error) => context.log.error(`ingest failed: ${describeError(error)}`) });

  health.setDetails({ endpoint: config.endpoint, securityMode: config.securityMode, bindings: config.bindings.length });

  async function connect(): Promise<void> {
    if (stopped) return;
    health.set('connecting');
    try {
      const password = config.passwordEnv === undefined ? undefined : process.env[config.passwordEnv];
      if (config.passwordEnv !== undefined && password === undefined) throw new Error(`environment variable ${config.passwordEnv} is not set`);
      const opened = await connectOpcua({ config, pkiDir, ...(password === undefined ? {} : { password }), onLost });
      if (stopped) return await opened.close();
      transport = opened;
      const { failed } = await opened.monitor(
        config.bindings.map((binding) => binding.address),
        config.bindings.map((binding) => binding.samplingIntervalMs ?? config.samplingIntervalMs),
        onChange,
      );
      retry.succeeded();
      if (failed.length > 0) {
        const list = failed.slice(0, 5).map((failure) => `${config.bindings[failure.index]!.address} (${failure.status})`).join(', ');
        health.set('degraded', { message: `${failed.length} monitored item(s) refused: ${list}`, code: 'PF_ERR_PROTOCOL' });
      } else {
        health.set('connected');
      }
    } catch (error) {
      await transport?.close();
      transport = undefined;
      if (stopped) return;
      health.set('disconnected', { message: `${config.endpoint}: ${explain(error)}`, code: 'PF_ERR_PROTOCOL' });
      scheduleReconnect();
    }
  }

  function onLost(reason: string): void {
    const lost = transport;
    transport = undefined;
    if (stopped || lost === undefined) return;
    health.set('disconnected', { message: `${config.endpoint}: ${reason}`, code: 'PF_ERR_PROTOCOL' });
    void lost.close().then(scheduleReconnect);
  }

  function scheduleReconnect(): void {
    if (!stopped) retry.schedule(() => (connecting = connect()));
  }

  function onChange(index: number, dataValue: Parameters<typeof toReading>[1]): void {
    const binding = config.bindings[index];
    if (binding === undefined) return;
    notifications += 1;
    const result = mapReading(binding, toReading(binding.address, dataValue, context.now()), memory, source);
    if (result.kind === 'reject') {
      void context.sink.deadLetter(new TextEncoder().encode(JSON.stringify({ nodeId: binding.address, value: dataValue.value?.value ?? null })), {
        code: result.code, message: result.message, address: binding.address, contentType: 'application/json',
      });
    } else batcher.add(result);
  }

  return {
    async start() {
      if (!stopped) return;
      stopped = false;
      connecting = connect();
    },

    async stop() {
      stopped = true;
      retry.cancel();
      await connecting;
      const open = transport;
      transport = undefined;
      await open?.close();
      await batcher.flush();
      if (health.state !== 'stopped') health.set('stopped');
    },

    health() {
      health.setDetails({ notifications });
      return health.get();
    },

    async write(request: WriteRequest): Promise<WriteResult> {
      if (transport === undefined) return { ok: false, message: 'not connected' };
      try {
        const result = await transport.write(request.address, request.value);
        return result.ok ? { ok: true } : { ok: false, status: result.status, message: `server answered ${result.status}` };
      } catch (error) {
        return { ok: false, message: describeError(error) };
      }
    },
  };
}

/** node-opcua's certificate refusals are terse; say what to do about them. */
function explain(error: unknown): string {
  const message = describeError(error);
  if (/BadCertificate|certificate/i.test(message)) {
    return `${message} — the server did not accept our certificate or we do not trust its: put the server certificate in the connector's pki trusted/certs folder and ours in the server's trusted list`;
  }
  return message;
}

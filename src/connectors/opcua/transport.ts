/**
 * A thin wrapper over node-opcua's client: one secure channel, one session, one subscription with a monitored-item
 * group. node-opcua is loaded on first use, since it takes a second to load and most commands never need it.
 * Reconnection is not left to node-opcua (maxRetry 0): on a lost connection the connector tears down and builds
 * everything again through the shared backoff, which also covers a server that restarted with a new address space.
 */
import type { ClientSession, DataValue, OPCUAClient } from 'node-opcua';
import type { OpcuaConfig } from './config.js';

export interface OpcuaTransport {
  /** Monitors the node ids; `onChange` gets each notification with the index of its node id. */
  monitor(nodeIds: string[], samplingIntervals: number[], onChange: (index: number, dataValue: DataValue) => void): Promise<{ failed: Array<{ index: number; status: string }> }>;
  write(nodeId: string, value: unknown): Promise<{ ok: boolean; status: string }>;
  close(): Promise<void>;
}

export interface OpcuaConnectOptions {
  config: OpcuaConfig;
  pkiDir: string;
  password?: string;
  onLost: (reason: string) => void;
}

export async function connectOpcua(options: OpcuaConnectOptions): Promise<OpcuaTransport> {
  const opcua = await import('node-opcua');
  const { config } = options;
  const certificateManager = new opcua.OPCUACertificateManager({ rootFolder: options.pkiDir, automaticallyAcceptUnknownCertificate: false });
  await certificateManager.initialize();
  const securityMode = opcua.MessageSecurityMode[config.securityMode];
  const securityPolicy = config.securityMode === 'None' ? opcua.SecurityPolicy.None : opcua.SecurityPolicy[config.securityPolicy ?? 'Basic256Sha256'];
  const client: OPCUAClient = opcua.OPCUAClient.create({
    applicationName: 'Plantfabric',
    applicationUri: 'urn:plantfabric:client',
    securityMode,
    securityPolicy,
    endpointMustExist: false,
    keepSessionAlive: true,
    clientCertificateManager: certificateManager,
    connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
  });
  let closing = false;
  client.on('connection_lost', () => {
    if (!closing) options.onLost('connection lost');
  });
  client.on('close', () => {
    if (!closing) options.onLost('connection closed');
  });
  let session: ClientSession | undefined;
  try {
    await client.connect(config.endpoint);
    session = await client.createSession(
      config.username === undefined
        ? { type: opcua.UserTokenType.Anonymous }
        : { type: opcua.UserTokenType.UserName, userName: config.username, password: options.password ?? '' },
    );
  } catch (error) {
    closing = true;
    await client.disconnect().catch(() => undefined);
    await certificateManager.dispose().catch(() => undefined);
    throw error;
  }
  const opened = session;
  const subscription = await opened.createSubscription2({
    requestedPublishingInterval: config.publishingIntervalMs,
    requestedLifetimeCount: 600,
    requestedMaxKeepAliveCount: 20,
    maxNotificationsPerPublish: 0,
    publishingEnabled: true,
    priority: 10,
  });
  subscription.on('terminated', () => {
    if (!closing) options.onLost('subscription terminated');
  });

  return {
    async monitor(nodeIds, samplingIntervals, onChange) {
      // One monitored-item group per sampling interval: a group shares one set of monitoring parameters.
      const byInterval = new Map<number, number[]>();
      samplingIntervals.forEach((interval, index) => byInterval.set(interval, [...(byInterval.get(interval) ?? []), index]));
      const failed: Array<{ index: number; status: string }> = [];
      for (const [samplingInterval, indexes] of byInterval) {
        const group = opcua.ClientMonitoredItemGroup.create(
          subscription,
          indexes.map((index) => ({ nodeId: nodeIds[index]!, attributeId: opcua.AttributeIds.Value })),
          { samplingInterval, discardOldest: true, queueSize: config.queueSize },
          opcua.TimestampsToReturn.Both,
        );
        await new Promise<void>((resolve, reject) => {
          group.once('initialized', () => resolve());
          group.once('err', (message: string) => reject(new Error(message)));
        });
        group.monitoredItems.forEach((item, position) => {
          const status = (item as unknown as { statusCode?: { value: number; name: string } }).statusCode;
          if (status !== undefined && status.value !== 0) failed.push({ index: indexes[position]!, status: status.name });
        });
        group.on('changed', (_item, dataValue, position) => onChange(indexes[position]!, dataValue));
      }
      return { failed };
    },
    async write(nodeId, value) {
      const current = await opened.read({ nodeId, attributeId: opcua.AttributeIds.Value });
      const dataType = current.value.dataType;
      const status = await opened.write({ nodeId, attributeId: opcua.AttributeIds.Value, value: { value: { dataType, value } } });
      return { ok: status.value === 0, status: status.name };
    },
    async close() {
      closing = true;
      await subscription.terminate().catch(() => undefined);
      await opened.close().catch(() => undefined);
      await client.disconnect().catch(() => undefined);
      await certificateManager.dispose().catch(() => undefined);
    },
  };
}

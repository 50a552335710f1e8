/**
 * A real OPC UA server (node-opcua) for integration tests and benchmarks: N Double variables `ns=1;s=V<i>` under an
 * Objects/Plant folder, whose values the test sets with explicit source timestamps, and optional String variables
 * `ns=1;s=<name>` (a device that reports text where a number is expected).
 */
import type { OPCUAServer, UAVariable } from 'node-opcua';

export interface OpcuaTestServer {
  endpoint: string;
  server: OPCUAServer;
  variables: UAVariable[];
  set(index: number, value: number, sourceTimestamp: Date): void;
  setText(name: string, value: string, sourceTimestamp: Date): void;
  close(): Promise<void>;
}

export interface OpcuaTestServerOptions {
  port: number;
  variables: number;
  /** Certificate folder; security modes other than None need one whose trusted/ list the test controls. */
  pkiDir?: string;
  secureOnly?: boolean;
  /** Names of String variables to add. */
  textVariables?: string[];
  /** User name → password: anonymous sessions are then refused. */
  users?: Record<string, string>;
}

export async function startOpcuaServer(options: OpcuaTestServerOptions): Promise<OpcuaTestServer> {
  const opcua = await import('node-opcua');
  const serverCertificateManager =
    options.pkiDir === undefined ? undefined : new opcua.OPCUACertificateManager({ rootFolder: options.pkiDir, automaticallyAcceptUnknownCertificate: false });
  if (serverCertificateManager !== undefined) await serverCertificateManager.initialize();
  const server = new opcua.OPCUAServer({
    port: options.port,
    hostname: '127.0.0.1',
    resourcePath: '/UA/Plant',
    allowAnonymous: options.users === undefined,
    ...(options.users === undefined
      ? {}
      : { userManager: { isValidUser: (userName: string, password: string) => options.users?.[userName] !== undefined && options.users[userName] === password } }),
    ...(serverCertificateManager === undefined ? {} : { serverCertificateManager }),
    ...(options.secureOnly === true
      ? { securityModes: [opcua.MessageSecurityMode.SignAndEncrypt], securityPolicies: [opcua.SecurityPolicy.Basic256Sha256] }
      : {}),
  });
  await server.initialize();
  const addressSpace = server.engine.addressSpace!;
  const namespace = addressSpace.getOwnNamespace();
  const folder = namespace.addFolder(addressSpace.rootFolder.objects, { browseName: 'Plant' });
  const variables: UAVariable[] = [];
  for (let index = 0; index < options.variables; index += 1) {
    variables.push(
      namespace.addVariable({
        componentOf: folder,
        browseName: `V${index}`,
        nodeId: `s=V${index}`,
        dataType: 'Double',
        value: new opcua.Variant({ dataType: opcua.DataType.Double, value: 0 }),
        accessLevel: 'CurrentRead | CurrentWrite',
        userAccessLevel: 'CurrentRead | CurrentWrite',
      }),
    );
  }
  const texts = new Map<string, UAVariable>();
  for (const name of options.textVariables ?? []) {
    texts.set(name, namespace.addVariable({ componentOf: folder, browseName: name, nodeId: `s=${name}`, dataType: 'String', value: new opcua.Variant({ dataType: opcua.DataType.String, value: '' }) }));
  }
  await server.start();
  return {
    endpoint: `opc.tcp://127.0.0.1:${options.port}/UA/Plant`,
    server,
    variables,
    set(index, value, sourceTimestamp) {
      variables[index]!.setValueFromSource(new opcua.Variant({ dataType: opcua.DataType.Double, value }), opcua.StatusCodes.Good, sourceTimestamp);
    },
    setText(name, value, sourceTimestamp) {
      const variable = texts.get(name);
      if (variable === undefined) throw new Error(`no text variable ${name}`);
      variable.setValueFromSource(new opcua.Variant({ dataType: opcua.DataType.String, value }), opcua.StatusCodes.Good, sourceTimestamp);
    },
    async close() {
      await server.shutdown(0);
      await serverCertificateManager?.dispose();
    },
  };
}

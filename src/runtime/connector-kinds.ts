/**
 * Every connector kind this build knows. Adding a protocol is one folder under src/connectors and one line here.
 */
import type { ConnectorDefinition } from '../core/connector.js';
import { fileConnector } from '../connectors/file/index.js';
import { restConnector, webhookConnector } from '../connectors/http/index.js';
import { modbusConnector } from '../connectors/modbus/index.js';
import { mqttConnector, unsConnector } from '../connectors/mqtt/index.js';
import { mtconnectConnector } from '../connectors/mtconnect/index.js';
import { opcuaConnector } from '../connectors/opcua/index.js';
import { sparkplugConnector } from '../connectors/sparkplug/index.js';

export const CONNECTOR_KINDS: readonly ConnectorDefinition[] = [opcuaConnector, mqttConnector, sparkplugConnector, modbusConnector, mtconnectConnector, unsConnector, webhookConnector, restConnector, fileConnector];

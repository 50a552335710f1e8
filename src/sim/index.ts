/**
 * The demo plant simulator (docs/demo-plant.md): what the CLI (`plantfabric demo`, `plantfabric sim`), the
 * end-to-end tests and the benchmarks use.
 */
export { SimClock, type SimStep } from './clock.js';
export { defaultSimConfigPath, loadSimConfig, parseSimConfig, validateSimConfig, type SimConfig } from './config.js';
export { startLoad, LOAD_PROTOCOLS, type LoadHandle, type LoadOptions, type LoadProtocol, type LoadReport } from './load.js';
export { incidentTimes, type IncidentTimes } from './model/incidents.js';
export { LEGAL_TRANSITIONS, PACKML, PACKML_NAMES } from './model/machine.js';
export { canonicalJson, digestUpdates, Plant, simulate } from './model/plant.js';
export { MACHINE_TAGS, UTILITY_TAGS, type PlantUpdate, type TagUpdate, type WorkOrder } from './model/types.js';
export type { CncDataItem, CncObservation, CncFeed } from './servers/cnc-feed.js';
export { utilityRegisterMap, type RegisterEntry } from './servers/modbus-unit.js';
export { MtconnectAgent, type MtconnectAgentOptions } from './servers/mtconnect-agent.js';
export { ENDPOINT_NAMES, startSimulator, type EndpointName, type SimulatorEndpoints, type SimulatorHandle, type SimulatorOptions } from './simulator.js';

/**
 * What the plant model produces: a typed stream of updates with SIMULATED timestamps. The protocol servers serve
 * this stream and nothing else, so a run is fully described by it (and its digest proves two runs equal).
 */

/** A tag's value. */
export type TagValue = number | string | boolean;

/** A machine or utility tag changed value (only changes are emitted). */
export interface TagUpdate {
  kind: 'tag';
  machine: string;
  tag: string;
  value: TagValue;
  /** Simulated epoch ms; strictly increasing per machine tag, so no node is written twice in one millisecond. */
  ts: number;
}

/** An RTLS tag reported its position on the hall map (metres). */
export interface PositionUpdate {
  kind: 'position';
  tag: string;
  x: number;
  y: number;
  z: number;
  ts: number;
}

/** A camera's finding on one part. */
export interface VisionUpdate {
  kind: 'vision';
  camera: string;
  equipment: string;
  detection: 'defect' | 'label-unreadable';
  /** Defect class for `defect`, absent for `label-unreadable`. */
  defect?: string;
  confidence: number;
  serial: string;
  workOrder: string;
  ts: number;
}

/** One operation of a work order's routing. */
export interface RoutingStep {
  operation: number;
  equipment: string;
  standardCycleSeconds: number;
  /** Planned duration of the operation for the order's quantity. */
  minutes?: number;
}

/** A work order as ERP releases it. */
export interface WorkOrder {
  id: string;
  line: string;
  material: string;
  rawMaterial: string;
  quantity: number;
  /** ISO 8601 UTC, simulated. */
  releasedAt: string;
  dueDate: string;
  /** The shift the order was released for. */
  shift: string;
  routing: RoutingStep[];
}

/** ERP released a work order. */
export interface OrderUpdate {
  kind: 'order';
  order: WorkOrder;
  ts: number;
}

/** Anything the model produces. */
export type PlantUpdate = TagUpdate | PositionUpdate | VisionUpdate | OrderUpdate;

/** How a tag is typed on the wire (OPC UA DataType, Sparkplug datatype name). */
export type TagDataType = 'Int32' | 'UInt32' | 'String' | 'Double' | 'Boolean' | 'Float';

/** A tag's wire type and meaning. */
export interface TagDefinition {
  dataType: TagDataType;
  unit?: string;
  description: string;
}

/** Every machine tag the model writes, with its wire type. */
export const MACHINE_TAGS = {
  State: { dataType: 'Int32', description: 'PackML state number (2 Stopped, 3 Starting, 4 Idle, 5 Suspended, 6 Execute, 11 Held, 20 Faulted).' },
  GoodCount: { dataType: 'UInt32', description: 'Good parts, running total since the PLC was commissioned.' },
  ScrapCount: { dataType: 'UInt32', description: 'Scrapped parts, running total.' },
  StopReason: { dataType: 'String', description: 'Why the machine is not executing; empty while it runs.' },
  WorkOrder: { dataType: 'String', description: 'The work order running on the machine; empty when none.' },
  CycleTime: { dataType: 'Double', unit: 's', description: 'Processing time of the last part.' },
  PartSerial: { dataType: 'String', description: 'Serial of the part just measured (written before the measurement).' },
  BoreDiameter: { dataType: 'Double', unit: 'mm', description: 'Measured bore diameter of the part in PartSerial.' },
  SpindleVibration: { dataType: 'Double', unit: 'mm/s', description: 'Spindle bearing vibration velocity RMS.' },
} as const satisfies Record<string, TagDefinition>;

/** Tags of the utilities (served over Modbus). */
export const UTILITY_TAGS = {
  Pressure: { dataType: 'Float', unit: 'bar', description: 'Compressed-air header pressure.' },
  Power: { dataType: 'Float', unit: 'kW', description: 'Electrical power drawn.' },
  Energy: { dataType: 'UInt32', unit: 'kWh', description: 'Energy counter, running total.' },
  Running: { dataType: 'Boolean', description: 'Compressor loaded (motor delivering air).' },
} as const satisfies Record<string, TagDefinition>;

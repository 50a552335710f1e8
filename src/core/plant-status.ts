/**
 * The live status of each machine as the log tells it: state and since when, the running order, active alarms and
 * the last count. What the plant overview, the UI and the demo's first minute show.
 */

export interface EquipmentStatus {
  equipment: string;
  state?: string;
  previousState?: string;
  reason?: string;
  /** ISO 8601: when the current state began. */
  since?: string;
  quality?: string;
  workOrder?: string;
  operation?: string;
  lot?: string;
  activeAlarms: Array<{ alarm: string; since: string; severity?: number; message?: string }>;
  lastCount?: { good: number; scrap: number; at: string };
  /** ISO 8601 of the newest event that changed this status. */
  updatedAt?: string;
  /** Which source system last reported the state (plc, mes, ...). */
  source?: string;
  /** Which connector read it (the protocol it came by). */
  connector?: string;
}

export interface PlantStatusReader {
  /** Every equipment that has reported anything, by path. */
  all(): EquipmentStatus[];
  get(equipment: string): EquipmentStatus | undefined;
}

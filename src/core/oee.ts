/**
 * OEE figures as the API and the UI read them (ISO 22400-2 time model and KPIs), computed by engines/oee.
 */

/** One scope's OEE over some planned windows; times in seconds, ratios 0..1 or null when undefined. */
export interface OeeResult {
  plannedBusySeconds: number;
  plannedDowntimeSeconds: number;
  actualProductionSeconds: number;
  downSeconds: number;
  setupSeconds: number;
  delaySeconds: number;
  downtimeByReason: Record<string, number>;
  microStops: { count: number; seconds: number };
  producedQuantity: number;
  goodQuantity: number;
  scrapQuantity: number;
  /** Parts counted outside planned windows: made, but not part of this OEE. */
  outsidePlannedQuantity: number;
  /** Σ ideal cycle × produced, seconds. */
  idealProductionSeconds: number;
  availability: number | null;
  performance: number | null;
  quality: number | null;
  oee: number | null;
  failures: number;
  mtbfSeconds: number | null;
  mttrSeconds: number | null;
}

export interface OeeQueryRequest {
  /** Equipment, line or area path. */
  scope: string;
  /** Epoch ms. */
  from: number;
  to: number;
}

export interface OeeShiftResult extends OeeResult {
  shift: string;
  /** ISO 8601. */
  from: string;
  to: string;
}

export interface OeeQueryResult {
  scope: string;
  level: string;
  from: string;
  to: string;
  /** The machines the figures are built from. */
  units: string[];
  total: OeeResult;
  shifts: OeeShiftResult[];
}

export interface OeeReader {
  /**
   * OEE of a scope over a time range, from the log.
   * @throws PF_ERR_NOT_FOUND for an unknown scope path
   */
  query(request: OeeQueryRequest): Promise<OeeQueryResult>;
}

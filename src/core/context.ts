/**
 * What a signal touches (ARCHITECTURE.md §5, mission point 3): the equipment and its place in the plant, the work
 * order and lot running on it, the orders that route through it next with their due dates and slack, the people on
 * shift, and how urgent it is and why. Resolved by operations/context; consumed by routing and the API.
 */

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** An order the signal touches, and how. */
export interface AffectedOrder {
  workOrder: string;
  /** running: on the equipment now; downstream: its later operations come after this equipment; queued: waits for it. */
  relation: 'running' | 'downstream' | 'queued';
  operation?: string;
  equipment?: string;
  material?: string;
  quantity?: number;
  /** ISO 8601. */
  dueAt?: string;
  /** Time left before the due date after the remaining planned work, minutes; negative means late already. */
  slackMinutes?: number;
}

export interface UrgencyFactor {
  factor: 'severity' | 'safety' | 'slack' | 'affected-orders' | 'running-order';
  /** Points this factor adds to the score. */
  points: number;
  /** Why, for people. */
  note: string;
}

export interface Urgency {
  /** 0 (can wait) to 100 (act now). */
  score: number;
  level: Severity;
  factors: UrgencyFactor[];
  /** One sentence built from the factors. */
  explanation: string;
}

export interface SignalContext {
  /** ISO 8601: the instant the context describes. */
  at: string;
  equipment?: {
    path: string;
    name: string;
    class?: string;
    area?: string;
    /** The ISA-95 levels above it: site, area, line, cell ids where they exist. */
    levels: Partial<Record<'enterprise' | 'site' | 'area' | 'line' | 'cell', string>>;
  };
  running?: { workOrder: string; operation?: string; lot?: string; material?: string; since: string; dueAt?: string; quantity?: number };
  lots: string[];
  /** Orders touched: the running one, those downstream of it, and those queued for this equipment. */
  orders: AffectedOrder[];
  people: {
    shift?: { id: string; start: string; end: string };
    onShift: Array<{ userId: string; role: string }>;
  };
  urgency: Urgency;
}

export interface ContextQuery {
  equipment: string;
  /** Epoch ms; default now. */
  at?: number;
  severity?: Severity;
  safety?: boolean;
}

export interface ContextResolver {
  /**
   * @throws PF_ERR_NOT_FOUND for an equipment path the plant does not have
   */
  resolve(query: ContextQuery): Promise<SignalContext>;
}

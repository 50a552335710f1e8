/**
 * Turns the detector's numbers into an explanation a person can act on: what kind of change it was, the value, the
 * range that was expected, and one sentence.
 */

/** What kind of change made a sample unusual. */
export type AnomalyKind = 'none' | 'spike' | 'level-shift' | 'variance-change' | 'pattern-change';

/** Why a sample scored as it did. */
export interface AnomalyExplanation {
  kind: AnomalyKind;
  /** The sample's value. */
  value: number;
  /** The value the detector expected: the baseline, plus the time-of-day profile when the signal is seasonal. */
  expected: number;
  /** The range the detector expected the value in (expected ± 4 typical deviations). */
  low: number;
  high: number;
  /** How far beyond its own usual range the strongest component was (log ratio; 0 = not beyond). */
  strength: number;
  /** True when the daily profile was used for `expected`. */
  seasonal: boolean;
  /** True when the score was damped because an anomaly at least as strong was reported a short while ago. */
  suppressed: boolean;
  /** One human-readable sentence. */
  summary: string;
}

export interface AnomalyResult {
  /** 0 = normal, towards 1 = as unusual as the detector can say; an alarm at or above the configured `alarmScore`. */
  score: number;
  explanation: AnomalyExplanation;
}

export interface ExplainInput {
  score: number;
  kind: AnomalyKind;
  value: number;
  expected: number;
  scale: number;
  strength: number;
  seasonal: boolean;
  suppressed: boolean;
  alarmScore: number;
}

const PHRASES: Record<AnomalyKind, string> = {
  none: 'no anomaly',
  spike: 'spike',
  'level-shift': 'level shift',
  'variance-change': 'change in variability',
  'pattern-change': 'break in the daily pattern',
};

function format(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}

/** Builds the result; the sentence is composed only for alarms and damped alarms, to keep the hot path cheap. */
export function explain(input: ExplainInput): AnomalyResult {
  const low = input.expected - 4 * input.scale;
  const high = input.expected + 4 * input.scale;
  let summary = 'within the expected range';
  if (input.score >= input.alarmScore) {
    const where = input.value > high ? 'above' : input.value < low ? 'below' : 'inside';
    const context = input.seasonal ? ' for this time of day' : '';
    summary = `${PHRASES[input.kind]}: value ${format(input.value)} is ${where} the expected range ${format(low)} .. ${format(high)}${context}`;
  } else if (input.suppressed) {
    summary = `${PHRASES[input.kind]}, part of an anomaly already reported`;
  }
  return {
    score: input.score,
    explanation: {
      kind: input.kind,
      value: input.value,
      expected: input.expected,
      low,
      high,
      strength: input.strength,
      seasonal: input.seasonal,
      suppressed: input.suppressed,
      summary,
    },
  };
}

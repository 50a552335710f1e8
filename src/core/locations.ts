/**
 * Where tagged items are, as the API and the UI read it: each tag's last reported position, the zones it is in and
 * since when, and whether it is misplaced. Kept by engines/location's where-is index from the log.
 */

export interface TagWhereabouts {
  tag: string;
  kind: string;
  name?: string;
  /** The zone where it belongs, from the config. */
  home?: string;
  /** Last reported position on the hall map (metres); null when it never reported. */
  position: { x: number; y: number; z?: number } | null;
  /** ISO 8601 of the last position report. */
  reportedAt: string | null;
  /** The most specific zone it is in (the smallest of overlapping ones); null when in none. */
  zone: string | null;
  /** ISO 8601: when it entered `zone`. */
  since: string | null;
  /** The plant path of the most specific zone it is in that belongs to equipment. */
  equipment?: string;
  /** Every zone it is in, with the time it entered. */
  zones: Array<{ zone: string; since: string }>;
  /** True in its home zone, false outside it, null when it has no home. */
  atHome: boolean | null;
  /** Set while it is misplaced: since when it was out of place, and when that was flagged. */
  misplaced?: { outsideSince: string; flaggedAt: string };
}

export interface WhereIsFilter {
  tag?: string;
  /** Only tags currently in this zone. */
  zone?: string;
  kind?: string;
}

export interface LocationReader {
  /** Every configured or reporting tag matching the filter, by tag id. */
  whereIs(filter?: WhereIsFilter): TagWhereabouts[];
}

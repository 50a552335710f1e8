/**
 * The `routing:` section of plant.yaml: rules that turn signals into cases (ARCHITECTURE.md §5, docs/cases.md).
 * A rule matches event types and fields, may require the condition to hold for a while before a case opens, merges
 * a flood or a chattering signal into one case by a correlation key (ISA-18.2), and names the case, its owner (role,
 * area, shift roster, strategy, fallbacks), its SLA targets, escalation tiers and verification window.
 */
import { Type, type Static } from '@sinclair/typebox';
import { SEVERITIES } from './context.js';
import { EVENT_TYPES, CUSTOM_EVENT_PREFIX } from './event-types.js';

// Roles are plain strings here and checked against plant-config's ROLES by routingIssues: importing them would make
// plant-config.ts and this file import each other.
const RoleSchema = Type.String({ minLength: 1, description: 'a role: operator, supervisor, quality, maintenance, planner, engineer, admin' });
const Id = Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$', maxLength: 64, description: 'kebab-case: lower-case letters, digits and hyphens' });

/** One or more `<number><unit>` parts: `500ms`, `90s`, `2m`, `4h`, `1d`, `1h30m`. */
export const DURATION_PATTERN = '^(\\d+(\\.\\d+)?(ms|s|m|h|d))+$';
const Duration = Type.String({ pattern: DURATION_PATTERN, description: 'a duration such as 90s, 2m, 4h, 1h30m' });

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Milliseconds of a duration string (`90s`, `2m`, `1h30m`); undefined when it is not one.
 */
export function parseDuration(text: string): number | undefined {
  if (!new RegExp(DURATION_PATTERN).test(text)) return undefined;
  let total = 0;
  for (const part of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) total += Number(part[1]) * UNIT_MS[part[2]!]!;
  return Math.round(total);
}

/** The shortest readable form of a duration in ms, e.g. `1h30m`; for messages and docs. */
export function formatDuration(ms: number): string {
  if (ms <= 0) return '0s';
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    const count = Math.floor(rest / size);
    if (count > 0) parts.push(`${count}${unit}`);
    rest -= count * size;
  }
  if (rest > 0) parts.push(`${rest}ms`);
  return parts.join('');
}

const Scalar = Type.Union([Type.String(), Type.Number(), Type.Boolean()]);
export const FieldConditionSchema = Type.Union(
  [
    Scalar,
    Type.Object(
      {
        equals: Type.Optional(Scalar),
        in: Type.Optional(Type.Array(Scalar, { minItems: 1 })),
        gt: Type.Optional(Type.Number()),
        lt: Type.Optional(Type.Number()),
        exists: Type.Optional(Type.Boolean()),
      },
      { additionalProperties: false, minProperties: 1 },
    ),
  ],
  { description: 'a value (equals), or { equals | in | gt | lt | exists }' },
);
export type FieldCondition = Static<typeof FieldConditionSchema>;

const TypeList = Type.Union([Type.String({ minLength: 1 }), Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })], {
  description: 'an event type or a list of them; `*` matches any run of characters (alarm.*)',
});

export const SignalMatchSchema = Type.Object(
  {
    type: TypeList,
    where: Type.Optional(
      Type.Record(Type.String(), FieldConditionSchema, {
        description: 'field path → condition; paths: type, quality, source.system, subject.<field>, data.<key>[.<key>...]',
      }),
    ),
  },
  { additionalProperties: false },
);
export type SignalMatch = Static<typeof SignalMatchSchema>;

export const OwnerTargetSchema = Type.Object(
  { role: RoleSchema, area: Type.Optional(Type.String({ minLength: 1, description: 'an area id, or from-equipment (default: the case area)' })) },
  { additionalProperties: false },
);
export type OwnerTarget = Static<typeof OwnerTargetSchema>;

export const FROM_EQUIPMENT = 'from-equipment';
export const OWNER_STRATEGIES = ['least-loaded', 'round-robin'] as const;

export const OwnerSpecSchema = Type.Object(
  {
    role: RoleSchema,
    area: Type.Optional(Type.String({ minLength: 1, description: 'from-equipment (default) or an area id' })),
    strategy: Type.Optional(Type.Union(OWNER_STRATEGIES.map((strategy) => Type.Literal(strategy)))),
    fallback: Type.Optional(Type.Array(OwnerTargetSchema, { description: 'tried in order when nobody of the role is on duty' })),
  },
  { additionalProperties: false },
);
export type OwnerSpec = Static<typeof OwnerSpecSchema>;

export const SLA_TARGETS = ['assign', 'acknowledge', 'resolve'] as const;
export type SlaTarget = (typeof SLA_TARGETS)[number];

const NotifyTarget = Type.Union([OwnerTargetSchema, Type.Object({ user: Id }, { additionalProperties: false })], {
  description: '{ role, area? } (on duty, else granted) or { user }',
});
export type NotifyTarget = Static<typeof NotifyTarget>;

export const EscalationTierSchema = Type.Object(
  {
    after: Type.String({ minLength: 1, description: 'assign | acknowledge | resolve (a breach of that target) or a duration since opening' }),
    notify: Type.Array(NotifyTarget, { minItems: 1 }),
    add: Type.Optional(Type.Boolean({ description: 'add those notified as watchers of the case' })),
  },
  { additionalProperties: false },
);
export type EscalationTier = Static<typeof EscalationTierSchema>;

export const RoutingRuleSchema = Type.Object(
  {
    id: Id,
    description: Type.Optional(Type.String()),
    match: SignalMatchSchema,
    holdFor: Type.Optional(Duration),
    clear: Type.Optional(SignalMatchSchema),
    correlate: Type.Optional(
      Type.Object(
        {
          key: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'field paths; default [subject.equipment]' })),
          window: Type.Optional(Duration),
        },
        { additionalProperties: false },
      ),
    ),
    case: Type.Object(
      {
        kind: Id,
        severity: Type.Union(SEVERITIES.map((level) => Type.Literal(level))),
        safety: Type.Optional(Type.Boolean()),
        title: Type.Optional(Type.String({ minLength: 1, maxLength: 300, description: 'template; {field.path} is replaced from the first signal' })),
      },
      { additionalProperties: false },
    ),
    owner: OwnerSpecSchema,
    sla: Type.Optional(
      Type.Object(
        { assign: Type.Optional(Duration), acknowledge: Type.Optional(Duration), resolve: Type.Optional(Duration) },
        { additionalProperties: false },
      ),
    ),
    escalation: Type.Optional(Type.Array(EscalationTierSchema)),
    verify: Type.Optional(Type.Object({ window: Duration }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type RoutingRule = Static<typeof RoutingRuleSchema>;

export const RoutingConfigSchema = Type.Object(
  { rules: Type.Array(RoutingRuleSchema, { default: [] }) },
  { additionalProperties: false },
);
export type RoutingConfig = Static<typeof RoutingConfigSchema>;

const SUBJECT_FIELDS = ['equipment', 'workOrder', 'operation', 'material', 'lot', 'serial', 'person', 'location', 'case'];
const FIELD_PATH = new RegExp(`^(type|quality|source\\.(system|connector|address)|subject\\.(${SUBJECT_FIELDS.join('|')})|data(\\.[A-Za-z0-9_-]+)+)$`);
export const FIELD_PATH_FORMS = ['type', 'quality', 'source.system', 'source.connector', 'source.address', ...SUBJECT_FIELDS.map((field) => `subject.${field}`), 'data.<key>'];

export function isFieldPath(path: string): boolean {
  return FIELD_PATH.test(path);
}

/** A type pattern as a regular expression: `*` matches any run of characters, everything else literally. */
export function typePatternRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

/** Types case events use: routing never matches them, so cases cannot feed on their own events. */
export const CASE_EVENT_PREFIX = 'case.';

export interface RoutingIssue {
  path: string;
  message: string;
  allowed?: string[];
}

function typeIssues(match: SignalMatch, path: string): RoutingIssue[] {
  const issues: RoutingIssue[] = [];
  const known = Object.keys(EVENT_TYPES);
  const types = Array.isArray(match.type) ? match.type : [match.type];
  types.forEach((type, index) => {
    const at = Array.isArray(match.type) ? `${path}/type/${index}` : `${path}/type`;
    if (type.startsWith(CASE_EVENT_PREFIX)) issues.push({ path: at, message: `'${type}': case events cannot open cases` });
    else if (type.includes('*')) {
      const regexp = typePatternRegExp(type);
      if (!known.some((name) => regexp.test(name)) && !type.startsWith(CUSTOM_EVENT_PREFIX)) issues.push({ path: at, message: `'${type}' matches no event type of the catalogue` });
    } else if (!known.includes(type) && !type.startsWith(CUSTOM_EVENT_PREFIX)) {
      issues.push({ path: at, message: `unknown event type '${type}' (plant-specific types start with ${CUSTOM_EVENT_PREFIX})`, allowed: known });
    }
  });
  for (const field of Object.keys(match.where ?? {})) {
    if (!isFieldPath(field)) issues.push({ path: `${path}/where/${field}`, message: `unknown field '${field}'`, allowed: FIELD_PATH_FORMS });
  }
  return issues;
}

function positive(value: string | undefined, path: string): RoutingIssue[] {
  if (value === undefined) return [];
  const ms = parseDuration(value);
  return ms === undefined || ms <= 0 ? [{ path, message: `'${value}' must be a duration longer than zero` }] : [];
}

/**
 * The problems of a schema-valid routing section that the schema cannot see: durations of zero, areas, users and
 * event types that do not exist, fields that events do not have, and settings that need another (holdFor needs clear).
 */
export function routingIssues(routing: RoutingConfig | undefined, plant: { areas: readonly string[]; users: readonly string[]; roles: readonly string[] }): RoutingIssue[] {
  const issues: RoutingIssue[] = [];
  const seen = new Map<string, number>();
  const areaAllowed = [FROM_EQUIPMENT, ...plant.areas];
  const checkArea = (area: string | undefined, path: string): void => {
    if (area !== undefined && !areaAllowed.includes(area)) issues.push({ path, message: `unknown area '${area}'`, allowed: areaAllowed });
  };
  const checkRole = (role: string, path: string): void => {
    if (!plant.roles.includes(role)) issues.push({ path, message: `unknown role '${role}'`, allowed: [...plant.roles] });
  };
  (routing?.rules ?? []).forEach((rule, index) => {
    const base = `/routing/rules/${index}`;
    const earlier = seen.get(rule.id);
    if (earlier !== undefined) issues.push({ path: `${base}/id`, message: `duplicate rule id '${rule.id}' (also at /routing/rules/${earlier})` });
    else seen.set(rule.id, index);
    issues.push(...typeIssues(rule.match, `${base}/match`));
    if (rule.clear !== undefined) issues.push(...typeIssues(rule.clear, `${base}/clear`));
    issues.push(...positive(rule.holdFor, `${base}/holdFor`));
    if (rule.holdFor !== undefined && rule.clear === undefined) {
      issues.push({ path: `${base}/holdFor`, message: 'holdFor needs clear: without a clearing event the condition never ends before the hold does' });
    }
    issues.push(...positive(rule.correlate?.window, `${base}/correlate/window`));
    (rule.correlate?.key ?? []).forEach((field, keyIndex) => {
      if (!isFieldPath(field)) issues.push({ path: `${base}/correlate/key/${keyIndex}`, message: `unknown field '${field}'`, allowed: FIELD_PATH_FORMS });
    });
    for (const placeholder of (rule.case.title ?? '').matchAll(/\{([^}]*)\}/g)) {
      if (!isFieldPath(placeholder[1]!)) issues.push({ path: `${base}/case/title`, message: `unknown field '{${placeholder[1]}}' in the title`, allowed: FIELD_PATH_FORMS });
    }
    checkRole(rule.owner.role, `${base}/owner/role`);
    checkArea(rule.owner.area, `${base}/owner/area`);
    (rule.owner.fallback ?? []).forEach((target, fallbackIndex) => {
      checkRole(target.role, `${base}/owner/fallback/${fallbackIndex}/role`);
      checkArea(target.area, `${base}/owner/fallback/${fallbackIndex}/area`);
    });
    for (const target of SLA_TARGETS) issues.push(...positive(rule.sla?.[target], `${base}/sla/${target}`));
    issues.push(...positive(rule.verify?.window, `${base}/verify/window`));
    (rule.escalation ?? []).forEach((tier, tierIndex) => {
      const path = `${base}/escalation/${tierIndex}`;
      if ((SLA_TARGETS as readonly string[]).includes(tier.after)) {
        if (rule.sla?.[tier.after as SlaTarget] === undefined) issues.push({ path: `${path}/after`, message: `escalation after '${tier.after}' needs sla.${tier.after}` });
      } else {
        const ms = parseDuration(tier.after);
        if (ms === undefined) issues.push({ path: `${path}/after`, message: `'${tier.after}' is neither an SLA target nor a duration`, allowed: [...SLA_TARGETS, '<duration, e.g. 30m>'] });
        else if (ms <= 0) issues.push({ path: `${path}/after`, message: `'${tier.after}' must be a duration longer than zero` });
      }
      tier.notify.forEach((target, targetIndex) => {
        if ('user' in target && !plant.users.includes(target.user)) {
          issues.push({ path: `${path}/notify/${targetIndex}/user`, message: `unknown user '${target.user}'`, allowed: [...plant.users] });
        } else if ('role' in target) {
          checkRole(target.role, `${path}/notify/${targetIndex}/role`);
          checkArea(target.area, `${path}/notify/${targetIndex}/area`);
        }
      });
    });
  });
  return issues;
}

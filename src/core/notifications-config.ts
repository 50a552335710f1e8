/**
 * The `notifications:` section of plant.yaml (docs/notifications.md): email over SMTP, outbound webhooks, the channels
 * each severity uses unless a user chose otherwise, and the retry policy for deliveries that fail. Secrets never live
 * in the file: it names the environment variables that hold them.
 */
import { Type, type Static } from '@sinclair/typebox';
import { SEVERITIES, type Severity } from './context.js';

const Id = Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$', maxLength: 64, description: 'kebab-case: lower-case letters, digits and hyphens' });
const EnvName = Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'Name of an environment variable (never the secret itself).' });

/** The channels a person is told on; webhooks are plant-wide integrations, chosen by kind, not by person. */
export const USER_CHANNELS = ['in-app', 'email'] as const;
export const UserChannelSchema = Type.Union(USER_CHANNELS.map((channel) => Type.Literal(channel)));
export type UserChannel = Static<typeof UserChannelSchema>;

const ChannelList = Type.Array(UserChannelSchema, { uniqueItems: true, description: 'in-app (the UI, live) and/or email; empty: not told' });

/** Channels per severity; a severity left out falls back to the plant's defaults, then to the built-in ones. */
export const ChannelsBySeveritySchema = Type.Object(
  {
    low: Type.Optional(ChannelList),
    medium: Type.Optional(ChannelList),
    high: Type.Optional(ChannelList),
    critical: Type.Optional(ChannelList),
  },
  { additionalProperties: false },
);
export type ChannelsBySeverity = Static<typeof ChannelsBySeveritySchema>;

/** Used when plant.yaml has no `defaults:`: critical and high also by email, the rest only in the UI. */
export const BUILTIN_CHANNEL_DEFAULTS: Readonly<Record<Severity, readonly UserChannel[]>> = {
  low: ['in-app'],
  medium: ['in-app'],
  high: ['in-app', 'email'],
  critical: ['in-app', 'email'],
};

/** The SMTP relay email goes through. */
export const SmtpSchema = Type.Object(
  {
    host: Type.String({ minLength: 1 }),
    port: Type.Integer({ minimum: 1, maximum: 65535, description: '587 (submission, STARTTLS), 465 (TLS) or 25' }),
    secure: Type.Optional(Type.Boolean({ description: 'true: TLS from the first byte (port 465); false: plain, upgraded by STARTTLS when offered. Default false.' })),
    requireTls: Type.Optional(Type.Boolean({ description: 'With secure false: refuse to send unless the server upgrades to TLS (STARTTLS). Default false.' })),
    username: Type.Optional(Type.String({ minLength: 1 })),
    passwordEnv: Type.Optional(EnvName),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 300_000, description: 'Connect, greeting and socket timeout. Default 10000.' })),
  },
  { additionalProperties: false },
);
export type SmtpConfig = Static<typeof SmtpSchema>;

/** Email: the relay, the sender and a subject prefix. */
export const EmailConfigSchema = Type.Object(
  {
    smtp: SmtpSchema,
    from: Type.String({ minLength: 3, description: 'Sender, e.g. "Plantfabric <plantfabric@example.com>"' }),
    subjectPrefix: Type.Optional(Type.String({ maxLength: 64, description: 'Put before every subject, e.g. "[plant-1]".' })),
  },
  { additionalProperties: false },
);
export type EmailConfig = Static<typeof EmailConfigSchema>;

/** One outbound webhook: where, signed with which secret, for which kinds. */
export const WebhookTargetSchema = Type.Object(
  {
    id: Id,
    url: Type.String({ pattern: '^https?://[^\\s]+$', description: 'http:// or https:// URL the JSON is POSTed to' }),
    secretEnv: EnvName,
    kinds: Type.Array(Type.String({ minLength: 1, pattern: '^[a-z0-9.*-]+$' }), {
      minItems: 1,
      description: 'Notification kinds to send, as globs: case.*, case.sla.breached, * (everything)',
    }),
    minSeverity: Type.Optional(Type.Union(SEVERITIES.map((severity) => Type.Literal(severity)), { description: 'Only notifications at least this severe. Default low.' })),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 120_000, description: 'Whole request, connect to response. Default 5000.' })),
  },
  { additionalProperties: false },
);
export type WebhookTarget = Static<typeof WebhookTargetSchema>;

/** How failed emails and webhooks are tried again. */
export const RetryPolicySchema = Type.Object(
  {
    attempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Tries per delivery, the first included, before it ends failed. Default 6.' })),
    initialMs: Type.Optional(Type.Integer({ minimum: 1, description: 'Wait after the first failure, plant time. Default 30000.' })),
    maxMs: Type.Optional(Type.Integer({ minimum: 1, description: 'Longest wait between tries. Default 3600000 (1 h).' })),
    factor: Type.Optional(Type.Number({ minimum: 1, maximum: 10, description: 'Growth of the wait per failure. Default 2.' })),
  },
  { additionalProperties: false },
);
export type RetryPolicy = Static<typeof RetryPolicySchema>;

/** The whole `notifications:` section. */
export const NotificationsConfigSchema = Type.Object(
  {
    email: Type.Optional(EmailConfigSchema),
    webhooks: Type.Optional(Type.Array(WebhookTargetSchema)),
    defaults: Type.Optional(ChannelsBySeveritySchema),
    retry: Type.Optional(RetryPolicySchema),
    inboxSize: Type.Optional(Type.Integer({ minimum: 10, maximum: 10_000, description: 'In-app notifications kept per user (older ones are pruned). Default 500.' })),
  },
  { additionalProperties: false },
);
export type NotificationsConfig = Static<typeof NotificationsConfigSchema>;

/** The problems of a schema-valid notifications section that the schema cannot see. */
export function notificationsIssues(config: NotificationsConfig | undefined): Array<{ path: string; message: string }> {
  if (config === undefined) return [];
  const issues: Array<{ path: string; message: string }> = [];
  const seen = new Map<string, number>();
  (config.webhooks ?? []).forEach((webhook, index) => {
    const earlier = seen.get(webhook.id);
    if (earlier !== undefined) issues.push({ path: `/notifications/webhooks/${index}/id`, message: `duplicate webhook id '${webhook.id}' (also at /notifications/webhooks/${earlier})` });
    else seen.set(webhook.id, index);
  });
  if (config.email === undefined) {
    for (const severity of SEVERITIES) {
      if (config.defaults?.[severity]?.includes('email') === true) {
        issues.push({ path: `/notifications/defaults/${severity}`, message: 'email is a default channel but there is no notifications.email section (SMTP server and sender)' });
      }
    }
  }
  if (config.retry?.initialMs !== undefined && config.retry.maxMs !== undefined && config.retry.maxMs < config.retry.initialMs) {
    issues.push({ path: '/notifications/retry/maxMs', message: 'maxMs must not be less than initialMs' });
  }
  return issues;
}

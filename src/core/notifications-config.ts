/**
 * The `notifications:` section of plant.yaml: outbound webhooks and email (SMTP).
 * Placeholder schema, to be completed by the notifications work.
 */
import { Type, type Static } from '@sinclair/typebox';

export const NotificationsConfigSchema = Type.Object({}, { additionalProperties: true });
export type NotificationsConfig = Static<typeof NotificationsConfigSchema>;

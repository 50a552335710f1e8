/**
 * The `routing:` section of plant.yaml: rules that turn signals into cases (ARCHITECTURE.md §5).
 * Placeholder schema, to be completed by the routing work.
 */
import { Type, type Static } from '@sinclair/typebox';

export const RoutingConfigSchema = Type.Object(
  {
    rules: Type.Array(Type.Record(Type.String(), Type.Unknown()), { default: [] }),
  },
  { additionalProperties: false },
);
export type RoutingConfig = Static<typeof RoutingConfigSchema>;

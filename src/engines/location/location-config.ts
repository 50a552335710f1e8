/**
 * What the location engine and the where-is query need: the plant's `locations:` section with every default filled
 * in. The runtime builds it from plant.yaml with `locationConfigOf`, after plant validation has checked references.
 */
import { Type, type Static } from '@sinclair/typebox';
import {
  DEFAULT_HYSTERESIS_METERS,
  DEFAULT_MISPLACED_AFTER_MINUTES,
  LocationTagSchema,
  RestrictedZoneSchema,
  ZoneSchema,
  type LocationsConfig,
} from '../../core/locations-config.js';

export const LocationEngineConfigSchema = Type.Object({
  zones: Type.Array(ZoneSchema),
  tags: Type.Array(LocationTagSchema),
  restricted: Type.Array(RestrictedZoneSchema),
  misplacedAfterMinutes: Type.Number({ exclusiveMinimum: 0 }),
  hysteresisMeters: Type.Number({ minimum: 0 }),
});
export type LocationEngineConfig = Static<typeof LocationEngineConfigSchema>;

/** The engine config of a plant's `locations:` section (none: no zones, no tags, nothing to emit). */
export function locationConfigOf(section: LocationsConfig | undefined): LocationEngineConfig {
  return {
    zones: section?.zones ?? [],
    tags: section?.tags ?? [],
    restricted: section?.restricted ?? [],
    misplacedAfterMinutes: section?.misplacedAfterMinutes ?? DEFAULT_MISPLACED_AFTER_MINUTES,
    hysteresisMeters: section?.hysteresisMeters ?? DEFAULT_HYSTERESIS_METERS,
  };
}

/**
 * The JSON → canonical event mapping the webhook and REST connectors use lives in core (src/core/event-mapping.ts),
 * shared with the MQTT connector's JSON topics.
 */
export { itemsOf, mapItem, mapItems, mapWith, parseTimestamp, selectMapping, type ItemRejection, type ItemResult, type ItemsResult, type MapContext, type PayloadResult } from '../../core/event-mapping.js';

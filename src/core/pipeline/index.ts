export { createIngestPipeline, type IngestPipeline, type IngestPipelineDeps } from './pipeline.js';
export { DeadLetterReplayer, type ReplayOutcome } from './dead-letter-replay.js';
export { DEFAULT_UNKNOWN_ID_POLICIES, type UnknownIdPolicies } from './resolve.js';
export { canonicalJson, contentId } from './event-id.js';

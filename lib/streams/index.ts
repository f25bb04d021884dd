export {
  failoverStream,
  type FailoverStreamOptions,
  type StreamLevel,
  type StreamProviderLevel,
  type StreamLastResort,
  type StreamResult,
  type StreamArgs,
  type StreamChunk,
} from './failover-stream.js';
export type { StreamSource } from './guarded-stream.js';
export { isContentChunk } from './content.js';
export { inBandError } from './in-band-error.js';
export { textOfChunk, textOfChunks, withChunkText } from './chunk-text.js';
export type { Resume } from './resume-types.js';
export {
  resumeOpenAiChat,
  resumeAnthropicMessages,
  CONTINUE_INSTRUCTION,
  type ResumeOptions,
  type ResumeHelper,
} from './resume.js';
export { overlapLength, OVERLAP_WINDOW, MIN_OVERLAP } from './overlap.js';
export { MAX_HELD } from './chain-stream.js';

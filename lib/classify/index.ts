export { type Verdict, type Classifier, FAILURE, CALLER_ERROR } from './verdict.js';
export { defaultClassify } from './default-classifier.js';
export { classifyStatus, isFailureResponse } from './http-status.js';
export {
  retryAfterFromHeaders,
  parseRetryAfter,
  parseDuration,
  clampRetryAfter,
  MAX_RETRY_AFTER_MS,
} from './retry-after.js';
export { retryAfterOf } from './retry-after-of.js';
export { statusOf, headersOf, codesOf, classNamesOf } from './error-facts.js';
export { sdkErrorKind, isFetchTermination, isAbort, type SdkErrorKind } from './sdk-errors.js';
export { errorBodyOf, bodyCodesOf, retryDelayOf } from './provider-body.js';
export { NETWORK_ERROR_CODES, hasNetworkCode } from './network.js';
export { STATUS_BY_ERROR_TYPE, statusOfErrorTypes } from './error-types.js';

export { type Verdict, type Classifier, FAILURE, CALLER_ERROR } from './verdict.js';
export { defaultClassify } from './default-classifier.js';
export { classifyStatus, isFailureResponse } from './http-status.js';
export { retryAfterFromHeaders, parseRetryAfter, parseDuration } from './retry-after.js';
export { statusOf, headersOf, codesOf, classNamesOf } from './error-facts.js';
export { NETWORK_ERROR_CODES } from './network.js';

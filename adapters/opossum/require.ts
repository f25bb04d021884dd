/**
 * The CommonJS entry of `breakwater/opossum`, built by tsconfig.cjs.json only:
 * `const CircuitBreaker = require('breakwater/opossum')` gives the class itself, as opossum's does.
 * The ESM entry's other names ride on it too (`require(...).Status`, `.default` for code that
 * imports a default through `esModuleInterop`).
 */
import { CircuitBreaker } from './circuit-breaker.js';
import { MemoryCache } from './memory-cache.js';
import { Status } from './status.js';

Object.assign(CircuitBreaker, { default: CircuitBreaker, CircuitBreaker, Status, MemoryCache });

export = CircuitBreaker;

/**
 * The CommonJS entry of `breakwater/opossum`, built by tsconfig.cjs.json only:
 * `const CircuitBreaker = require('breakwater/opossum')` gives the class itself, as opossum's does.
 */
import { CircuitBreaker } from './circuit-breaker.js';

export = CircuitBreaker;

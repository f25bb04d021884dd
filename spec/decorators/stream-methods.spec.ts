import { streamMethodSuite } from './stream-method-suite.js';

streamMethodSuite('standard');

import { streamOptionsSuite } from './stream-options-suite.js';

streamOptionsSuite('standard');

import 'reflect-metadata';
import { streamOptionsSuite } from '../decorators/stream-options-suite.js';

streamOptionsSuite('legacy');

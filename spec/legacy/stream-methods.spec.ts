import 'reflect-metadata';
import { streamMethodSuite } from '../decorators/stream-method-suite.js';

streamMethodSuite('legacy');

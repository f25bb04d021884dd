import 'reflect-metadata';
import { decoratedSdkStreamSuite } from '../streams/sdk-stream-suite.js';

decoratedSdkStreamSuite('legacy');

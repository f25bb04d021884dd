import { decoratedSdkStreamSuite, sdkStreamSuite } from './sdk-stream-suite.js';

sdkStreamSuite();
decoratedSdkStreamSuite('standard');

import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { decoratorSuite } from './decorator-suite.js';
import { signalSuite } from './signal-suite.js';
import { chainOutcomeSuite } from './chain-outcome-suite.js';

describe('decorator compilation (standard)', () => {
  it('compiled the fixtures with standard TC39 decorators', () => {
    const js = readFileSync(new URL('./fixtures/llm.js', import.meta.url), 'utf8');
    expect(js).to.contain('__esDecorate');
  });
});

decoratorSuite('standard');
chainOutcomeSuite('standard');
signalSuite('standard');

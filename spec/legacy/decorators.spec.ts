import 'reflect-metadata';
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { decoratorSuite } from '../decorators/decorator-suite.js';
import { signalSuite } from '../decorators/signal-suite.js';
import { chainOutcomeSuite } from '../decorators/chain-outcome-suite.js';
import { Llm } from '../decorators/fixtures/llm.js';

describe('decorator compilation (experimentalDecorators)', () => {
  it('compiled the fixtures with legacy decorators and design metadata', () => {
    const js = readFileSync(new URL('../decorators/fixtures/llm.js', import.meta.url), 'utf8');
    expect(js).to.contain('__decorate(');
    expect(js).to.not.contain('__esDecorate');
    expect(Reflect.getMetadata('design:returntype', Llm.prototype, 'complete')).to.equal(Promise);
  });
});

decoratorSuite('legacy');
chainOutcomeSuite('legacy');
signalSuite('legacy');

import { expect } from 'chai';
import { Breaker, BreakerRegistry, DEFAULTS, OPTION_NAMES } from '../../lib/index.js';

type Case = [string, Record<string, unknown>, ErrorConstructor, RegExp];

const bad: Case[] = [
  [
    'negative failureThreshold',
    { failureThreshold: -1 },
    RangeError,
    /failureThreshold must be a positive integer, got -1/,
  ],
  [
    'fractional failureThreshold',
    { failureThreshold: 2.5 },
    RangeError,
    /failureThreshold .* got 2\.5/,
  ],
  [
    'string timeout',
    { timeout: '30s' },
    RangeError,
    /timeout must be a positive number of ms, got "30s"/,
  ],
  ['zero timeout', { timeout: 0 }, RangeError, /timeout .* got 0/],
  ['NaN resetTimeout', { resetTimeout: Number.NaN }, RangeError, /resetTimeout .* got NaN/],
  [
    'maxResetTimeout below resetTimeout',
    { resetTimeout: 10_000, maxResetTimeout: 5_000 },
    RangeError,
    /maxResetTimeout must be at least resetTimeout \(10000\), got 5000/,
  ],
  [
    'percentage over 100',
    { errorThresholdPercentage: 150 },
    RangeError,
    /errorThresholdPercentage must be a percentage in \(0, 100\], got 150/,
  ],
  [
    'zero halfOpenMaxCalls',
    { halfOpenMaxCalls: 0 },
    RangeError,
    /halfOpenMaxCalls must be a positive integer, got 0/,
  ],
  [
    'negative volumeThreshold',
    { volumeThreshold: -3 },
    RangeError,
    /volumeThreshold must be a non-negative integer, got -3/,
  ],
  [
    'too many buckets',
    { rollingCountTimeout: 5, rollingCountBuckets: 10 },
    RangeError,
    /rollingCountBuckets .* got 10/,
  ],
  ['zero capacity', { capacity: 0 }, RangeError, /capacity must be a positive integer, got 0/],
  [
    'slow rate without a duration',
    { slowCallRateThreshold: 50 },
    TypeError,
    /slowCallRateThreshold needs slowCallDurationThreshold/,
  ],
  ['empty name', { name: '  ' }, TypeError, /name must be a non-empty string, got "  "/],
  ['non-boolean enabled', { enabled: 'yes' }, TypeError, /enabled must be a boolean, got "yes"/],
  [
    'non-function errorFilter',
    { errorFilter: true },
    TypeError,
    /errorFilter must be a function, got true/,
  ],
  [
    'clock without now()',
    { clock: {} },
    TypeError,
    /clock must be an object with a now\(\) method, got \{\}/,
  ],
  [
    'unknown option, near a known one',
    { failureTreshold: 3 },
    TypeError,
    /unknown option "failureTreshold"; did you mean "failureThreshold"\?/,
  ],
  ['unknown option', { retries: 3 }, TypeError, /unknown option "retries"; known options: name, /],
];

describe('Breaker options', () => {
  for (const [what, options, type, message] of bad) {
    it(`refuses ${what}`, () => {
      expect(() => new Breaker(options)).to.throw(type, message);
    });
  }

  it('refuses options that are not an object', () => {
    expect(() => new Breaker(42 as never)).to.throw(TypeError, /options must be an object, got 42/);
  });

  it('fills in the documented defaults', () => {
    const { config } = new Breaker().snapshot();
    expect(config).to.include({
      timeout: 30_000,
      resetTimeout: 60_000,
      failureThreshold: 5,
      halfOpenMaxCalls: 1,
      successThreshold: 1,
      errorThresholdPercentage: null,
      slowCallRateThreshold: null,
      maxResetTimeout: null,
      capacity: null,
    });
    expect(DEFAULTS.failureThreshold).to.equal(5);
    expect(OPTION_NAMES).to.include.members([
      'timeout',
      'resetTimeout',
      'errorThresholdPercentage',
      'classify',
    ]);
  });

  it('checks registry defaults when the registry is made, naming where', () => {
    expect(() => new BreakerRegistry({ defaults: { timeout: -1 } })).to.throw(
      RangeError,
      /timeout .* got -1/,
    );
    expect(() => new BreakerRegistry({ defaults: { name: 'x' } })).to.throw(
      TypeError,
      /"name" is given per breaker/,
    );
    expect(() => new BreakerRegistry({ store: {} as never })).to.throw(
      TypeError,
      /store must be a StateStore/,
    );
    expect(() => new BreakerRegistry({ retry: 1 } as never)).to.throw(
      TypeError,
      /unknown option "retry"/,
    );
  });
});

import { expect } from 'chai';
import { AdaptiveDelay, HedgeBudget, resolveHedge } from '../../lib/index.js';

describe('hedging parts: options, budget, adaptive delay', () => {
  it('fills in the defaults of a fixed and an adaptive delay', () => {
    expect(resolveHedge({ delay: 200 })).to.deep.equal({
      delay: { kind: 'fixed', ms: 200 },
      max: 1,
      budgetPercent: 10,
      budgetBurst: 10,
    });
    expect(resolveHedge({ delay: { percentile: 95, min: 50, max: 2_000 }, max: 2 })).to.deep.equal({
      delay: { kind: 'adaptive', percentile: 95, min: 50, max: 2_000, initial: 1_000, samples: 20 },
      max: 2,
      budgetPercent: 10,
      budgetBurst: 10,
    });
  });

  it('refuses bad hedge values, naming them', () => {
    const cases: [unknown, RegExp][] = [
      [null, /hedge must be an object/],
      [{}, /hedge.delay is required/],
      [{ delay: -1 }, /hedge.delay must be a number of ms.*got -1/],
      [{ delay: 3e9 }, /hedge.delay must be a number of ms.*got 3000000000/],
      [{ delay: 'fast' }, /hedge.delay must be ms or \{ percentile \}/],
      [
        { delay: { percentile: 100 } },
        /hedge.delay.percentile must be above 0 and below 100, got 100/,
      ],
      [{ delay: { percentile: 95, min: 10, max: 5 } }, /hedge.delay.max \(5\) must not be below/],
      [{ delay: { percentile: 95, samples: 0 } }, /hedge.delay.samples must be an integer/],
      [{ delay: { percentile: 95, p: 1 } }, /hedge.delay: unknown option "p"/],
      [{ delay: 10, max: 0 }, /hedge.max must be an integer from 1 to 10, got 0/],
      [{ delay: 10, budgetPercent: 0 }, /hedge.budgetPercent must be above 0/],
      [{ delay: 10, budgetBurst: 1.5 }, /hedge.budgetBurst must be an integer/],
      [{ delay: 10, dealy: 10 }, /hedge: unknown option "dealy"/],
    ];
    for (const [value, message] of cases) expect(() => resolveHedge(value)).to.throw(message);
  });

  it('budget: at most the set share of calls over a long run, with a burst saved up', () => {
    const budget = new HedgeBudget(10, 5);
    let hedges = 0;
    for (let i = 0; i < 1_000; i++) {
      budget.onCall();
      if (budget.take()) hedges++; // every call asks for a hedge: the worst case
    }
    expect(hedges).to.be.within(100, 100 + 5);
    const idle = new HedgeBudget(10, 5);
    for (let i = 0; i < 1_000; i++) idle.onCall();
    expect(idle.available).to.equal(5);
  });

  it('adaptive delay: the initial value until enough samples, then the percentile, clamped', () => {
    const delay = new AdaptiveDelay(90, 20, 500, 300, 10);
    for (let i = 1; i <= 9; i++) delay.record(i * 10);
    expect(delay.current()).to.equal(300);
    delay.record(100);
    expect(delay.current()).to.equal(90);
    for (let i = 0; i < 10; i++) delay.record(5);
    expect(delay.current()).to.equal(20);
    for (let i = 0; i < 10; i++) delay.record(10_000);
    expect(delay.current()).to.equal(500);
  });
});

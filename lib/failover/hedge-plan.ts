import { AdaptiveDelay } from './adaptive-delay.js';
import { HedgeBudget } from './hedge-budget.js';
import type { ResolvedHedge } from './hedge-options.js';

/**
 * What one hedged chain keeps between its calls, for promise chains and streams alike: the
 * resolved options, the budget that caps the share of hedged calls, and the delay, fixed or
 * learnt. An adaptive delay is kept per slot: `failover` gives each level its own slot (the
 * delay after level `i` started is learnt from level `i`'s answers); `failoverStream` uses one
 * slot for the chain (the delay is learnt from whichever level sent the first content).
 * @internal
 */
export class HedgePlan {
  readonly budget: HedgeBudget;
  private readonly delays: readonly (AdaptiveDelay | null)[];

  constructor(
    readonly options: ResolvedHedge,
    slots = 1,
  ) {
    this.budget = new HedgeBudget(options.budgetPercent, options.budgetBurst);
    const d = options.delay;
    this.delays = Array.from({ length: slots }, () =>
      d.kind === 'adaptive'
        ? new AdaptiveDelay(d.percentile, d.min, d.max, d.initial, d.samples)
        : null,
    );
  }

  /** How long slot `slot`'s level may run without answering before the next starts beside it. */
  delayOf(slot = 0): number {
    const d = this.options.delay;
    return d.kind === 'fixed' ? d.ms : this.delays[slot]!.current();
  }

  /** Slot `slot`'s level answered (a stream: sent its first content) after `ms`. */
  answered(slot: number, ms: number): void {
    this.delays[slot]?.record(ms);
  }
}

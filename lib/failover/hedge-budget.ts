/**
 * How many hedges a chain may start: a token bucket, as gRPC's retry and hedging throttle. Every
 * call adds `percent / 100` of a token (up to `burst` tokens); a hedge takes a whole one. So over
 * any long stretch hedges are at most `percent` % of calls, and a burst may use the `burst`
 * tokens saved while the providers were quick. It starts full.
 */
export class HedgeBudget {
  private tokens: number;
  private readonly perCall: number;

  constructor(
    percent: number,
    private readonly burst: number,
  ) {
    this.perCall = percent / 100;
    this.tokens = burst;
  }

  /** A call started: it earns its share of a token. */
  onCall(): void {
    this.tokens = Math.min(this.burst, this.tokens + this.perCall);
  }

  /** Takes a token for a hedge; `false` when the budget is spent (no hedge then). */
  take(): boolean {
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Tokens left, for snapshots and specs. */
  get available(): number {
    return this.tokens;
  }
}

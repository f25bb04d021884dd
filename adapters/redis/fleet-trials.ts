import { stampKey, type Stamp } from '../../lib/index.js';

/** What {@link FleetTrials} needs from its store. */
export interface TrialLink {
  /** Whether Redis answers now; when not, trials are counted in this process. */
  online(): boolean;
  /**
   * Asks Redis for up to `want` permits of `period`: `[granted, pttl]`, or `[-1, storedJson]` when
   * the stored state shows the period is over.
   */
  claim(period: Stamp, key: string, want: number, max: number): Promise<[number, number | string]>;
  /** Gives one permit of period `key` back to Redis, telling replicas refused in it. */
  giveBack(key: string): void;
  /** Adopts the stored state a refused claim brought back. */
  adopt(json: string): void;
  /** Reports a failed command. */
  failed(error: unknown): void;
  /** How long a half-open call may wait for a claim, in ms. */
  readonly waitMs: number;
  /** How long a period's permits live in Redis, in ms. */
  readonly ttlMs: number;
}

/** The one claim a replica may have in flight for a breaker. */
interface Claim {
  readonly key: string;
  readonly sentAt: number;
  /** Calls waiting for its answer, oldest first. */
  readonly waiters: ((granted: boolean) => void)[];
  timer: ReturnType<typeof setTimeout> | null;
}

/**
 * One breaker's half-open trial permits in one replica, taken from the fleet's `halfOpenMaxCalls`
 * counted in Redis.
 *
 * - At most one claim is in flight per breaker. Calls that arrive in the same tick share it: it
 *   asks for as many permits as there are callers (up to what this replica may still run).
 * - A call waits for the claim at most `waitMs` (a few ms) instead of being refused; a permit
 *   that arrives after its caller gave up is kept for the next call while its lease lasts.
 * - Once Redis has said that the period's permits are all taken, the replica asks again only when
 *   a permit is given back without a move (Redis announces it) or the lease lapses: claim traffic
 *   per period stays within a few claims per replica, however many calls are refused.
 */
export class FleetTrials {
  /** The period (stamp key) the counts below belong to. */
  private period = '';
  /** Trials of the period running here, on fleet permits or, offline, on local ones. */
  private inUse = 0;
  /** Fleet permits held by running trials, per period (a trial may outlive its period). */
  private readonly fromFleet = new Map<string, number>();
  /** Fleet permits granted and not used yet, and when their lease lapses. */
  private spare = 0;
  private spareUntil = 0;
  private claim: Claim | null = null;
  /** The period whose permits Redis said were all taken, and until when not to ask again. */
  private refusedPeriod = '';
  private refusedUntil = 0;

  constructor(private readonly link: TrialLink) {}

  /** Takes a permit of `period` for a call: at once, or after a bounded wait for a claim. */
  acquire(period: Stamp, max: number): boolean | Promise<boolean> {
    const key = stampKey(period);
    if (key !== this.period) this.begin(key);
    if (this.inUse + this.waiting(key) >= max) return false;
    if (!this.link.online()) {
      this.inUse++; // Redis is out of reach: count trials in this process only
      return true;
    }
    if (this.spare > 0 && Date.now() < this.spareUntil) {
      this.spare--;
      this.take(key);
      return true;
    }
    this.spare = 0;
    if (this.refusedPeriod === key && Date.now() < this.refusedUntil) return false;
    const claim = this.claim;
    if (claim !== null && claim.key !== key) return false; // one claim in flight at a time
    return new Promise<boolean>((resolve) => {
      if (claim === null) return this.send(period, key, max, resolve);
      claim.waiters.push(resolve);
      if (claim.timer === null) this.arm(claim); // the first waiters gave up: bound this one's wait
    });
  }

  /** A trial of `period` ended; whether its permit came from the fleet (to give back there). */
  release(period: Stamp): boolean {
    const key = stampKey(period);
    if (key === this.period && this.inUse > 0) this.inUse--;
    const held = this.fromFleet.get(key) ?? 0;
    if (held === 0) return false;
    if (held === 1) this.fromFleet.delete(key);
    else this.fromFleet.set(key, held - 1);
    return true;
  }

  /** Another replica gave a permit of period `key` back: asking again may now be answered. */
  freed(key: string): void {
    if (this.refusedPeriod === key) this.refusedUntil = 0;
  }

  /** The breaker left: callers still waiting are refused, unused permits go back. */
  dispose(): void {
    const claim = this.claim;
    if (claim !== null) this.settle(claim, 0);
    if (this.spare > 0 && Date.now() < this.spareUntil && this.link.online()) {
      for (let i = 0; i < this.spare; i++) this.link.giveBack(this.period);
    }
    this.spare = 0;
  }

  private begin(key: string): void {
    this.period = key;
    this.inUse = this.spare = 0;
  }

  private take(key: string): void {
    this.inUse++;
    this.fromFleet.set(key, (this.fromFleet.get(key) ?? 0) + 1);
  }

  private waiting(key: string): number {
    const claim = this.claim;
    return claim !== null && claim.key === key ? claim.waiters.length : 0;
  }

  /** Sends a claim at the end of this tick, for every caller that joined it by then. */
  private send(period: Stamp, key: string, max: number, first: (granted: boolean) => void): void {
    const claim: Claim = { key, sentAt: Date.now(), waiters: [first], timer: null };
    this.claim = claim;
    this.arm(claim);
    queueMicrotask(() => {
      const want = Math.max(1, Math.min(claim.waiters.length, max - this.inUse));
      this.link.claim(period, key, want, max).then(
        ([granted, extra]) => {
          if (granted < 0) {
            this.refuse(key, Number.POSITIVE_INFINITY);
            if (typeof extra === 'string') this.link.adopt(extra);
            return this.settle(claim, 0);
          }
          const ttl = typeof extra === 'number' && extra > 0 ? extra : this.link.ttlMs;
          if (granted === 0) this.refuse(key, Date.now() + ttl);
          this.settle(claim, granted, claim.sentAt + ttl);
        },
        (error: unknown) => {
          this.settle(claim, 0);
          this.link.failed(error);
        },
      );
    });
  }

  /** Refuses the claim's waiters if it is not answered within `waitMs`: one timer per claim. */
  private arm(claim: Claim): void {
    claim.timer = setTimeout(() => {
      claim.timer = null;
      for (const waiter of claim.waiters.splice(0)) waiter(false);
    }, this.link.waitMs);
    claim.timer.unref();
  }

  private refuse(key: string, until: number): void {
    this.refusedPeriod = key;
    this.refusedUntil = until;
  }

  /** Hands `granted` permits to the waiting callers, keeps the rest, gives back what is stale. */
  private settle(claim: Claim, granted: number, leaseUntil = 0): void {
    if (this.claim === claim) this.claim = null;
    if (claim.timer !== null) clearTimeout(claim.timer);
    claim.timer = null;
    const current = claim.key === this.period;
    for (const waiter of claim.waiters.splice(0)) {
      if (granted > 0 && current) {
        granted--;
        this.take(claim.key);
        waiter(true);
      } else {
        waiter(false);
      }
    }
    if (granted <= 0) return;
    if (current) {
      this.spare += granted;
      this.spareUntil = leaseUntil;
    } else {
      for (let i = 0; i < granted; i++) this.link.giveBack(claim.key);
    }
  }
}

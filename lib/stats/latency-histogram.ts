/** Exact buckets for 0..15 ms, then four buckets per power of two: about 12% relative error. */
const EXACT = 16;
const PER_OCTAVE = 4;
const OCTAVES = 27; // octaves 4 to 30: up to 2^31 ms, about 25 days; longer lands in the last
const SIZE = EXACT + OCTAVES * PER_OCTAVE;

/**
 * A bounded, log-bucketed histogram of call durations in ms: 124 counters, whatever the traffic.
 * Quantiles are read as the upper bound of the bucket they fall in, capped by the largest seen.
 */
export class LatencyHistogram {
  private readonly buckets = new Uint32Array(SIZE);
  private total = 0;
  private sum = 0;
  private max = 0;

  /** Records one duration in ms (fractions are kept in the mean, floored for the bucket). */
  record(durationMs: number): void {
    const ms = durationMs > 0 ? durationMs : 0;
    this.buckets[indexOf(ms)]!++;
    this.total++;
    this.sum += ms;
    if (ms > this.max) this.max = ms;
  }

  /** How many durations were recorded. */
  get count(): number {
    return this.total;
  }

  /** The mean duration in ms, 0 when empty. */
  mean(): number {
    return this.total === 0 ? 0 : this.sum / this.total;
  }

  /** The duration in ms below which a fraction `q` (0–1) of the calls fell; 0 when empty. */
  quantile(q: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let i = 0; i < SIZE; i++) {
      seen += this.buckets[i]!;
      if (seen >= rank) return i === SIZE - 1 ? this.max : Math.min(upperBound(i), this.max);
    }
    return this.max;
  }

  /** Copies the bucket counts into `target` (made when not given), to diff against later. */
  countsInto(target: Uint32Array = new Uint32Array(SIZE)): Uint32Array {
    target.set(this.buckets);
    return target;
  }

  /** Forgets everything. */
  clear(): void {
    this.buckets.fill(0);
    this.total = 0;
    this.sum = 0;
    this.max = 0;
  }
}

/** How many counters {@link LatencyHistogram.countsInto} copies. */
export const HISTOGRAM_SIZE = SIZE;

/**
 * The quantile `q` of the calls counted in `counts`: a histogram's counts, or the difference of
 * two copies (the calls between them). The upper bound of its bucket; `null` when empty.
 */
export function quantileOfCounts(counts: Uint32Array, q: number): number | null {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    seen += counts[i]!;
    if (seen >= rank) return upperBound(i);
  }
  return upperBound(counts.length - 1);
}

function indexOf(ms: number): number {
  const whole = ms < 2147483647 ? ms | 0 : 2147483647;
  if (whole < EXACT) return whole;
  const octave = 31 - Math.clz32(whole); // >= 4
  const sub = (whole >>> (octave - 2)) & (PER_OCTAVE - 1);
  return EXACT + (octave - 4) * PER_OCTAVE + sub;
}

function upperBound(index: number): number {
  if (index < EXACT) return index;
  const octave = ((index - EXACT) / PER_OCTAVE + 4) | 0;
  const sub = (index - EXACT) % PER_OCTAVE;
  return (1 << octave) + (sub + 1) * (1 << (octave - 2)) - 1;
}

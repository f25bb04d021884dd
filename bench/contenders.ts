/* eslint-disable @typescript-eslint/no-explicit-any -- cockatiel's merged policy types */
import type { IPolicy } from 'cockatiel';
import type CircuitBreaker from 'opossum';
import type { Breaker } from '../lib/index.js';
import { CHECK_EVERY, spent, type Contender } from './harness.js';

export const ok = async (): Promise<number> => 1;
export const boom = async (): Promise<never> => {
  throw new Error('boom');
};
const swallow = (): void => {};

/**
 * Each contender runs its own loop with the call written inline, as a user writes
 * `await breaker.execute(fn)`: a shared loop calling a lambda would add a stack frame to every
 * error `fn` makes, and the cost of capturing a stack grows with its depth.
 */
export const succeeding = {
  bare: (): Contender => ({
    name: 'bare',
    async run(n, budget) {
      let i = 0;
      for (; i < n; i++) {
        await ok();
        if (i % CHECK_EVERY === 0 && spent(budget)) return i + 1;
      }
      return i;
    },
  }),
  breakwater: (b: Breaker): Contender => ({
    name: 'breakwater',
    async run(n, budget) {
      let i = 0;
      for (; i < n; i++) {
        await b.execute(ok);
        if (i % CHECK_EVERY === 0 && spent(budget)) return i + 1;
      }
      return i;
    },
  }),
  opossum: (b: CircuitBreaker): Contender => ({
    name: 'opossum',
    async run(n, budget) {
      let i = 0;
      for (; i < n; i++) {
        await b.fire();
        if (i % CHECK_EVERY === 0 && spent(budget)) return i + 1;
      }
      return i;
    },
  }),
  cockatiel: (p: IPolicy<any, any>): Contender => ({
    name: 'cockatiel',
    async run(n, budget) {
      let i = 0;
      for (; i < n; i++) {
        await p.execute(ok);
        if (i % CHECK_EVERY === 0 && spent(budget)) return i + 1;
      }
      return i;
    },
  }),
  fallback: (call: () => Promise<unknown>): Contender => ({
    name: 'breakwater',
    async run(n, budget) {
      let i = 0;
      for (; i < n; i++) {
        await call();
        if (i % CHECK_EVERY === 0 && spent(budget)) return i + 1;
      }
      return i;
    },
  }),
};

export const failing = {
  bare: (): Contender => ({
    name: 'bare throw',
    async run(n, budget) {
      let i = 0;
      for (; i < n; i++) {
        try {
          await boom();
        } catch {
          swallow();
        }
        if (i % CHECK_EVERY === 0 && spent(budget)) return i + 1;
      }
      return i;
    },
  }),
  breakwater: (b: Breaker, fn: () => Promise<unknown>): Contender => ({
    name: 'breakwater',
    async run(n, budget) {
      let i = 0;
      for (; i < n; i++) {
        try {
          await b.execute(fn);
        } catch {
          swallow();
        }
        if (i % CHECK_EVERY === 0 && spent(budget)) return i + 1;
      }
      return i;
    },
  }),
  opossum: (b: CircuitBreaker): Contender => ({
    name: 'opossum',
    async run(n, budget) {
      let i = 0;
      for (; i < n; i++) {
        try {
          await b.fire();
        } catch {
          swallow();
        }
        if (i % CHECK_EVERY === 0 && spent(budget)) return i + 1;
      }
      return i;
    },
  }),
  cockatiel: (p: IPolicy<any, any>, fn: () => Promise<unknown>): Contender => ({
    name: 'cockatiel',
    async run(n, budget) {
      let i = 0;
      for (; i < n; i++) {
        try {
          await p.execute(fn);
        } catch {
          swallow();
        }
        if (i % CHECK_EVERY === 0 && spent(budget)) return i + 1;
      }
      return i;
    },
  }),
};

import { expect } from 'chai';
import FakeTimers from '@sinonjs/fake-timers';
import { FleetTrials, type TrialLink } from '../../../adapters/redis/fleet-trials.js';
import type { Stamp } from '../../../lib/index.js';

/** A link whose claims the spec answers by hand. */
function link(online = true) {
  const claims: { want: number; answer: (reply: [number, number | string]) => void }[] = [];
  const givenBack: string[] = [];
  const adopted: string[] = [];
  const trialLink: TrialLink = {
    online: () => online,
    claim: (_period, _key, want) =>
      new Promise((resolve) => claims.push({ want, answer: resolve })),
    giveBack: (key) => void givenBack.push(key),
    adopt: (json) => void adopted.push(json),
    failed: () => undefined,
    waitMs: 5,
    ttlMs: 30_000,
  };
  return { trialLink, claims, givenBack, adopted };
}

const period: Stamp = { term: 0, version: 3, origin: 'a' };
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('FleetTrials: a replica’s claims of fleet trial permits', () => {
  it('shares one claim among the calls of a tick, and hands its permits to them', async () => {
    const { trialLink, claims } = link();
    const trials = new FleetTrials(trialLink);
    const first = trials.acquire(period, 2) as Promise<boolean>;
    const second = trials.acquire(period, 2) as Promise<boolean>;
    expect(trials.acquire(period, 2)).to.equal(false); // two waiting: this replica's max
    await tick();
    expect(claims.map((c) => c.want)).to.deep.equal([2]);
    claims[0]!.answer([1, 25_000]);
    expect([await first, await second]).to.deep.equal([true, false]);
  });

  it('asks again in a period whose permits are all taken only once one is given back', async () => {
    const { trialLink, claims } = link();
    const trials = new FleetTrials(trialLink);
    const refused = trials.acquire(period, 1) as Promise<boolean>;
    await tick();
    claims[0]!.answer([0, 25_000]);
    expect(await refused).to.equal(false);
    for (let i = 0; i < 100; i++) expect(trials.acquire(period, 1)).to.equal(false);
    await tick();
    expect(claims).to.have.length(1); // 100 refused calls, no more claims
    trials.freed('0.3.a');
    const again = trials.acquire(period, 1) as Promise<boolean>;
    await tick();
    expect(claims).to.have.length(2);
    claims[1]!.answer([1, 20_000]);
    expect(await again).to.equal(true);
  });

  it('stops asking in a period Redis says is over, and adopts the state that ended it', async () => {
    const { trialLink, claims, adopted } = link();
    const trials = new FleetTrials(trialLink);
    const waiting = trials.acquire(period, 1) as Promise<boolean>;
    await tick();
    claims[0]!.answer([-1, '{"state":"closed"}']);
    expect(await waiting).to.equal(false);
    expect(adopted).to.deep.equal(['{"state":"closed"}']);
    expect(trials.acquire(period, 1)).to.equal(false);
    await tick();
    expect(claims).to.have.length(1);
  });

  it('bounds a call’s wait, keeps a late permit for the next call, one claim in flight', async () => {
    const clock = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const { trialLink, claims } = link();
      const trials = new FleetTrials(trialLink);
      const waiting = trials.acquire(period, 1) as Promise<boolean>;
      await Promise.resolve();
      expect(claims).to.have.length(1);
      clock.tick(5);
      expect(await waiting).to.equal(false); // refused after claimWaitMs, not left waiting
      claims[0]!.answer([1, 25_000]);
      await Promise.resolve();
      expect(trials.acquire(period, 1)).to.equal(true); // the late permit, at once
      expect(claims).to.have.length(1);
      trials.release(period);
      // a later period gives back what an earlier claim brings after its period ended
      const next: Stamp = { term: 0, version: 5, origin: 'b' };
      const late = trials.acquire(next, 1) as Promise<boolean>;
      await Promise.resolve();
      clock.tick(5);
      expect(await late).to.equal(false);
      expect(trials.acquire(period, 1)).to.equal(false); // another period's claim is in flight
    } finally {
      clock.uninstall();
    }
  });

  it('counts trials in this process while Redis is out of reach', () => {
    const { trialLink, claims } = link(false);
    const trials = new FleetTrials(trialLink);
    expect(trials.acquire(period, 2)).to.equal(true);
    expect(trials.acquire(period, 2)).to.equal(true);
    expect(trials.acquire(period, 2)).to.equal(false);
    expect(trials.release(period)).to.equal(false); // a local permit: nothing to give back to Redis
    expect(trials.acquire(period, 2)).to.equal(true);
    expect(claims).to.have.length(0);
  });
});

import { expect } from 'chai';
import {
  Breaker,
  MemoryStore,
  isCircuitOpenError,
  type BreakerOptions,
  type SharedState,
  type StateStore,
} from '../../lib/index.js';
import { ManualClock, fail503, rejection, repeat, succeed } from '../breaker/helpers.js';

/** A MemoryStore whose news reaches each replica only when the spec delivers it, in any order. */
class DelayedStore implements StateStore {
  private readonly memory = new MemoryStore();
  /** News not yet delivered, per replica. */
  readonly inbox = new Map<string, { state: SharedState; deliver: () => void }[]>();

  attach(name: string, onRemote: (state: SharedState) => void) {
    const box: { state: SharedState; deliver: () => void }[] = [];
    const attachment = this.memory.attach(name, (state) =>
      box.push({ state, deliver: () => onRemote(state) }),
    );
    const replica = `r${this.inbox.size}`;
    this.inbox.set(replica, box);
    return attachment;
  }

  /** Delivers replica `replica`'s news, in the order `order` picks (default: as sent). */
  deliver(replica: string, order: (news: SharedState[]) => number[] = (n) => n.map((_, i) => i)) {
    const box = this.inbox.get(replica)!.splice(0);
    for (const i of order(box.map((n) => n.state))) box[i]!.deliver();
  }

  deliverAll(): void {
    for (const replica of this.inbox.keys()) this.deliver(replica);
  }

  close(): Promise<void> {
    return this.memory.close();
  }
}

function replicas(store: StateStore, origins: string[], options: BreakerOptions): Breaker[] {
  return origins.map(
    (origin) => new Breaker({ name: 'openai', timeout: false, ...options }, { store, origin }),
  );
}

const stampOf = (b: Breaker): string => {
  const { term, version, origin } = b.circuit.stamped;
  return `${term}.${version}.${origin}`;
};

describe('The fleet order of writes (term, version, origin)', () => {
  const clock = new ManualClock(1_000);
  const options = { failureThreshold: 1, resetTimeout: 1_000, clock };

  it('converges after a tie, whatever order each replica hears the writes in', async () => {
    const store = new DelayedStore();
    const [a, b, c] = replicas(store, ['a', 'b', 'c'], options);
    // a and b move at the same version; c, with the highest id, hears the losing write first
    a!.isolate();
    b!.disable();
    store.deliver('r2', (news) => news.map((_, i) => i).reverse());
    store.deliver('r0');
    store.deliver('r1');
    for (const r of [a!, b!, c!]) expect(r.state).to.equal('disabled');
    expect(new Set([a!, b!, c!].map(stampOf)).size).to.equal(1);
    // and c's own next move builds on the fleet's state rather than overriding it by its id
    c!.reset();
    store.deliverAll();
    for (const r of [a!, b!, c!]) expect(r.state).to.equal('closed');
    expect(new Set([a!, b!, c!].map(stampOf)).size).to.equal(1);
  });

  it('lets an operator’s move outrank automatic moves of higher versions made unknowingly', async () => {
    const store = new DelayedStore();
    const [a, b, c] = replicas(store, ['z', 'b', 'c'], options);
    for (let i = 0; i < 3; i++) {
      await repeat(a!, 1, fail503); // trip
      clock.advance(1_000);
      await repeat(a!, 1, fail503); // failed trial: reopen
    }
    c!.isolate();
    expect(a!.circuit.stamped.version).to.be.greaterThan(c!.circuit.stamped.version);
    store.deliverAll();
    for (const r of [a!, b!, c!]) expect(r.state).to.equal('isolated');
    expect(new Set([a!, b!, c!].map(stampOf)).size).to.equal(1);
  });

  it('counts a trial in the period that admitted it, after another replica moved', async () => {
    const store = new MemoryStore();
    const [b, c] = replicas(store, ['b', 'c'], { ...options, halfOpenMaxCalls: 2 });
    await repeat(b!, 1, fail503);
    clock.advance(1_000);
    let finish!: () => void;
    const trial = c!.execute(
      () => new Promise<string>((resolve) => (finish = () => resolve('ok'))),
    );
    await repeat(b!, 1, fail503); // b's trial fails: the fleet reopens while c's trial runs
    expect(c!.state).to.equal('open');
    finish();
    expect(await trial).to.equal('ok');
    // c's success is the move from the same period, one version on; it wins on c's higher id
    for (const r of [b!, c!]) expect(r.state).to.equal('closed');
    expect(stampOf(b!)).to.equal(stampOf(c!));
  });

  it('gives a closing trial’s permit back with the close: no extra trial for a replica behind', async () => {
    const store = new DelayedStore();
    const [a, b] = replicas(store, ['a', 'b'], { ...options, halfOpenMaxCalls: 1 });
    await repeat(a!, 1, fail503);
    store.deliverAll();
    clock.advance(1_000);
    expect(b!.state).to.equal('half_open');
    expect(await a!.execute(succeed)).to.equal('ok'); // a's trial closes the circuit
    expect(a!.state).to.equal('closed');
    // b has not heard of the close yet and is still half-open: the permit is not free again
    expect(b!.state).to.equal('half_open');
    expect(isCircuitOpenError(await rejection(b!.execute(succeed)))).to.equal(true);
    store.deliverAll();
    expect(b!.state).to.equal('closed');
  });
});

describe('Config changes shared as operator moves', () => {
  const clock = new ManualClock(1_000);
  const options = { failureThreshold: 1, resetTimeout: 1_000, clock };

  it('applies a configure() on every replica, keeping each one’s state, and outranks automatic moves', async () => {
    const store = new DelayedStore();
    const [a, b, c] = replicas(store, ['z', 'b', 'c'], options);
    // during an outage (nothing delivered) a flaps automatically; c's operator changes the config
    await repeat(a!, 1, fail503);
    clock.advance(1_000);
    await repeat(a!, 1, fail503);
    c!.configure({ failureThreshold: 3, resetTimeout: 2_000 });
    expect(c!.state).to.equal('closed');
    store.deliverAll();
    for (const r of [a!, b!, c!]) {
      expect(r.options.failureThreshold).to.equal(3);
      expect(r.options.resetTimeout).to.equal(2_000);
      expect(r.state).to.equal('closed');
    }
    // carried by later writes: a replica that joins afterwards runs with it too
    await repeat(b!, 3, fail503);
    expect(b!.state).to.equal('open');
    store.deliverAll();
    const [late] = replicas(store, ['late'], options);
    expect(late!.options.failureThreshold).to.equal(3);
    expect(late!.state).to.equal('open');
  });
});

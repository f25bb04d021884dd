import 'reflect-metadata';
import { expect } from 'chai';
import { container, type DependencyContainer } from 'tsyringe';
import { registerBreakwater } from '../../adapters/tsyringe/index.js';
import { BreakerRegistry, defaultRegistry } from '../../lib/index.js';
import { FakeProvider } from '../decorators/fixtures/fake-provider.js';
import { ChatService, Gateway, UPSTREAM } from './fixtures/services.js';

/** A container of its own for one test, with its own upstream provider. */
function scope(parent: DependencyContainer = container): {
  c: DependencyContainer;
  upstream: FakeProvider;
} {
  const c = parent.createChildContainer();
  const upstream = new FakeProvider('upstream');
  c.register(UPSTREAM, { useValue: upstream });
  return { c, upstream };
}

async function failTwice(service: ChatService, upstream: FakeProvider): Promise<void> {
  upstream.behaviour = 'fail';
  await service.complete('f1');
  await service.complete('f2');
  upstream.behaviour = 'ok';
}

describe('breakwater/tsyringe', () => {
  const registries: BreakerRegistry[] = [];
  const fresh = () => {
    const registry = new BreakerRegistry();
    registries.push(registry);
    return registry;
  };
  afterEach(async () => {
    await Promise.all(registries.splice(0).map((r) => r.close(0)));
  });

  it("makes services resolved from the container use the container's registry", async () => {
    const { c } = scope();
    const registry = fresh();
    expect(registerBreakwater(c, { registry })).to.equal(registry);
    const chat = c.resolve(ChatService);
    expect(await chat.complete('hi')).to.equal('upstream:hi');
    expect(registry.has('tsy-openai')).to.equal(true);
    expect(defaultRegistry.has('tsy-openai')).to.equal(false);
    expect(c.resolve(BreakerRegistry)).to.equal(registry);
  });

  it('reaches dependencies made for other services, and injects the registry by type', async () => {
    const { c } = scope();
    const registry = registerBreakwater(c, { registry: fresh() });
    const gateway = c.resolve(Gateway);
    expect(gateway.registry).to.equal(registry);
    expect(await gateway.handle('x')).to.equal('upstream:x');
    expect(registry.get('tsy-openai').snapshot().successfulRequests).to.equal(1);
  });

  it('never shares breaker state between two containers', async () => {
    const a = scope();
    const b = scope();
    const ra = registerBreakwater(a.c, { registry: fresh() });
    const rb = registerBreakwater(b.c, { registry: fresh() });
    const chatA = a.c.resolve(ChatService);
    const chatB = b.c.resolve(ChatService);
    await failTwice(chatA, a.upstream);
    expect(ra.get('tsy-openai').state).to.equal('open');
    expect(await chatA.complete('after')).to.equal('degraded:after');
    expect(await chatB.complete('after')).to.equal('upstream:after');
    expect(rb.get('tsy-openai').state).to.equal('closed');
    expect(b.upstream.calls).to.deep.equal([['after']]);
  });

  it('gives each tenant container its own breakers (the README example)', async () => {
    const tenantA = container.createChildContainer();
    const tenantB = container.createChildContainer();
    tenantA.register(UPSTREAM, { useValue: new FakeProvider('a') });
    tenantB.register(UPSTREAM, { useValue: new FakeProvider('b') });

    const registryA = registerBreakwater(tenantA, { registry: new BreakerRegistry() });
    const registryB = registerBreakwater(tenantB, { registry: new BreakerRegistry() });
    const chatA = tenantA.resolve(ChatService); // its breakers live in registryA
    const chatB = tenantB.resolve(ChatService); // its breakers live in registryB

    registries.push(registryA, registryB);
    expect(await chatA.complete('x')).to.equal('a:x');
    // The service made its breaker (with its own options); an operator opens it in registryA only.
    registryA.find('tsy-openai')!.isolate();
    expect(await chatA.complete('x')).to.equal('degraded:x');
    expect(await chatB.complete('x')).to.equal('b:x');
  });

  it("lets a child container use its parent's registry, or one of its own", async () => {
    const parent = scope();
    const parentRegistry = registerBreakwater(parent.c, { registry: fresh() });
    const inheriting = parent.c.createChildContainer();
    const own = parent.c.createChildContainer();
    const ownRegistry = registerBreakwater(own, { registry: fresh() });
    await failTwice(inheriting.resolve(ChatService), parent.upstream);
    expect(
      parentRegistry.get('tsy-openai').state,
      'the inheriting child tripped the parent breaker',
    ).to.equal('open');
    expect(await parent.c.resolve(ChatService).complete('p')).to.equal('degraded:p');
    expect(await own.resolve(ChatService).complete('o')).to.equal('upstream:o');
    expect(ownRegistry.get('tsy-openai').state).to.equal('closed');
  });

  it('binds singletons to the registry of the container that makes them', async () => {
    const { c } = scope();
    const registry = registerBreakwater(c, { registry: fresh() });
    c.registerSingleton(ChatService);
    const first = c.resolve(ChatService);
    expect(c.resolve(ChatService)).to.equal(first);
    await first.complete('s');
    expect(registry.get('tsy-openai').snapshot().totalRequests).to.equal(1);
  });

  it('gives a container its own new registry when none is passed', async () => {
    const { c } = scope();
    const registry = registerBreakwater(c);
    expect(registry).to.be.instanceOf(BreakerRegistry);
    registries.push(registry);
    await c.resolve(ChatService).complete('n');
    expect(registry.has('tsy-openai')).to.equal(true);
  });

  it('leaves containers without breakwater on the default registry', async () => {
    const { c } = scope();
    try {
      expect(await c.resolve(ChatService).complete('d')).to.equal('upstream:d');
      expect(defaultRegistry.has('tsy-openai')).to.equal(true);
    } finally {
      defaultRegistry.remove('tsy-openai');
    }
  });

  it('refuses what is not a container, and unknown options', () => {
    expect(() => registerBreakwater(null as never)).to.throw(
      TypeError,
      /needs a tsyringe container/,
    );
    const { c } = scope();
    expect(() => registerBreakwater(c, { registy: fresh() } as never)).to.throw(
      TypeError,
      /unknown option "registy"/,
    );
    expect(() => registerBreakwater(c, { registry: {} as never })).to.throw(
      TypeError,
      /must be a BreakerRegistry/,
    );
  });
});

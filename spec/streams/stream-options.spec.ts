import { expect } from 'chai';
import { Breaker, BreakerRegistry, OPTION_NAMES } from '../../lib/index.js';

describe('stream deadlines as breaker options', () => {
  it('refuses bad firstChunkTimeout and idleTimeout when the breaker is made, naming option and value', () => {
    expect(() => new Breaker({ firstChunkTimeout: 0 })).to.throw(
      RangeError,
      /firstChunkTimeout must be a positive number of ms, got 0/,
    );
    expect(() => new Breaker({ idleTimeout: Number.POSITIVE_INFINITY })).to.throw(
      RangeError,
      /idleTimeout must be a positive number of ms, got Infinity/,
    );
    expect(() => new Breaker({ idleTimeout: '5s' as never })).to.throw(
      RangeError,
      /idleTimeout .* got "5s"/,
    );
    expect(() => new Breaker({ idleTimout: 5 } as never)).to.throw(
      TypeError,
      /unknown option "idleTimout"; did you mean "idleTimeout"\?/,
    );
    expect(() => new BreakerRegistry({ defaults: { firstChunkTimeout: -5 } })).to.throw(
      RangeError,
      /firstChunkTimeout/,
    );
    expect(OPTION_NAMES).to.include.members(['firstChunkTimeout', 'idleTimeout']);
  });

  it('shows them in the snapshot config: null when they follow timeout, false when off', () => {
    expect(new Breaker().snapshot().config).to.include({
      firstChunkTimeout: null,
      idleTimeout: null,
    });
    expect(
      new Breaker({ firstChunkTimeout: 8_000, idleTimeout: false }).snapshot().config,
    ).to.include({ firstChunkTimeout: 8_000, idleTimeout: false });
  });
});

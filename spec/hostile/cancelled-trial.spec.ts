import { expect } from 'chai';
import { Breaker } from '../../lib/index.js';

describe('a call that rejects with an abort', () => {
  it('is cancelled: no caller error, and a half-open trial neither closes nor reopens', async () => {
    const clock = { at: Date.UTC(2026, 0, 1), now: () => clock.at };
    const breaker = new Breaker({ failureThreshold: 1, resetTimeout: 1_000, clock });
    await breaker
      .execute(() => {
        throw new Error('down');
      })
      .catch(() => undefined);
    clock.at += 1_000;
    expect(breaker.state).to.equal('half_open');
    const abort = new DOMException('the client left', 'AbortError');
    const error = await breaker.execute(() => Promise.reject(abort)).catch((e: unknown) => e);
    expect(error, "the caller gets fn's own error").to.equal(abort);
    expect(breaker.state).to.equal('half_open');
    expect(breaker.snapshot()).to.include({ cancelled: 1, callerErrors: 0, failedRequests: 1 });
    expect(await breaker.execute(() => 'ok'), 'the permit was given back').to.equal('ok');
    expect(breaker.state).to.equal('closed');
  });
});

import { expect } from 'chai';
import { loadGateway } from '../../bench/load-gateway.js';

describe('bench/load-gateway.ts (a short run)', () => {
  it('answers every request through some tier while OpenAI fails half its calls', async () => {
    const lines: string[] = [];
    const report = await loadGateway((line) => lines.push(line), {
      requests: 200,
      connections: 10,
    });
    expect(report.requests).to.equal(200);
    expect(report.non2xx).to.equal(0);
    expect(report.errors).to.equal(0);
    const served = Object.values(report.tiers).reduce((a, b) => a + b, 0);
    expect(served).to.equal(200);
    expect(Object.keys(report.tiers)).to.include.members(['openai', 'anthropic']);
    expect(report.openaiFailureShare).to.be.greaterThan(0.25).and.lessThan(0.75);
    expect(report.transitions.some((t) => t.breaker === 'openai' && t.to === 'open')).to.equal(
      true,
    );
    expect(lines.join('\n')).to.contain('every request was answered by some tier');
  });
});

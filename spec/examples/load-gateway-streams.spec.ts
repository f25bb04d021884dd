import { expect } from 'chai';
import { loadGatewayStreams } from '../../bench/load-gateway-streams.js';

describe('bench/load-gateway-streams.ts (a short run)', () => {
  it('answers every stream in full while OpenAI cuts or stalls half of them, with STREAM_RESUME=1', async () => {
    const lines: string[] = [];
    const report = await loadGatewayStreams((line) => lines.push(line), {
      streams: 40,
      concurrency: 5,
      resume: true,
      idleMs: 500,
    });
    expect(report.streams).to.equal(40);
    expect(report).to.include({ full: 40, interrupted: 0, failed: 0 });
    expect(report.resumed).to.be.greaterThan(0);
    expect(report.openaiFaultShare).to.be.greaterThan(0.2).and.lessThan(0.8);
    expect(report.firstTokenMs.p50).to.be.a('number').and.not.NaN;
    expect(lines.join('\n')).to.contain('every stream was answered in full');
  });
});

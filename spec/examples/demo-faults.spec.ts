import { expect } from 'chai';
import { describeServed } from '../../examples/ai-gateway/demo-traffic.js';
import { startTestGateway, type TestGateway } from './gateway-harness.js';

describe('demo panels: the fault in force and the traffic notice', () => {
  let t: TestGateway;
  before(async () => {
    t = await startTestGateway('express');
  });
  after(() => t.close());

  const status = async (provider: string) => {
    const res = await fetch(`${t.gateway.url}/_demo/faults/${provider}`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('GET /_demo/faults/:provider names the switch in force, or says it was set elsewhere', async () => {
    expect((await status('openai')).body).to.deep.equal({
      active: 'Healthy',
      message: 'In force: nothing (healthy)',
    });
    t.fake.setFault('openai', { kind: 'status', status: 429, retryAfter: 30 });
    expect((await status('openai')).body).to.deep.equal({
      active: '429 rate limit (30 s)',
      message: 'In force: 429 rate limit (30 s)',
    });
    t.fake.setFault('openai', { kind: 'status', status: 502, times: 2 });
    expect((await status('openai')).body).to.deep.equal({
      active: null,
      message: 'In force: status (set elsewhere), 2 more',
    });
    expect((await status('anthropic')).body.active).to.equal('Healthy');
    expect((await status('mistral')).status).to.equal(404);
    t.fake.clearFaults();
  });

  it('says how many questions which tier answered, in English', () => {
    expect(describeServed(1, { openai: 1 })).to.equal('1 question, answered by openai');
    expect(describeServed(10, { anthropic: 10 })).to.equal(
      '10 questions, all answered by anthropic',
    );
    expect(describeServed(4, { anthropic: 2, openai: 2 })).to.equal(
      '4 questions answered: 2 by anthropic, 2 by openai',
    );
  });
});

import { expect } from 'chai';
import { APIError } from 'openai';
import { startFakeProvider, type FakeProvider } from '../../lib/testing/index.js';
import { chatBody, openaiFor, rejectionOf } from './sdk-helpers.js';

describe('fake provider control route', () => {
  let fake: FakeProvider;
  beforeEach(async () => (fake = await startFakeProvider()));
  afterEach(() => fake.close());

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${fake.controlURL}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('PUT /faults/:provider sets a fault the SDK then meets', async () => {
    const set = await call('PUT', '/faults/openai', { kind: 'status', status: 502, times: 1 });
    expect(set.status).to.equal(200);
    expect(set.body['faults']).to.deep.equal({
      openai: { fault: { kind: 'status', status: 502, times: 1 }, left: 1 },
      anthropic: null,
      google: null,
    });
    const error = await rejectionOf(openaiFor(fake).chat.completions.create(chatBody('a')));
    expect((error as APIError).status).to.equal(502);
    const after = await openaiFor(fake).chat.completions.create(chatBody('a'));
    expect(after.choices[0]!.message.content).to.equal('[openai] a');
  });

  it('POST works like PUT, and DELETE clears one provider or all', async () => {
    await call('POST', '/faults/openai', { kind: 'hang' });
    await call('POST', '/faults/anthropic', { kind: 'reset' });
    const one = await call('DELETE', '/faults/openai');
    expect(one.body['faults']).to.deep.equal({
      openai: null,
      anthropic: { fault: { kind: 'reset' }, left: null },
      google: null,
    });
    const all = await call('DELETE', '/faults');
    expect(all.body['faults']).to.deep.equal({ openai: null, anthropic: null, google: null });
    expect(fake.faults()).to.deep.equal({ openai: null, anthropic: null, google: null });
  });

  it('GET / and GET /counters report the counters; POST /reset zeroes them and clears faults', async () => {
    await openaiFor(fake).chat.completions.create(chatBody('a'));
    fake.setFault('anthropic', { kind: 'hang' });
    const state = await call('GET', '');
    expect(state.body['counters']).to.deep.equal(fake.counters());
    const counters = await call('GET', '/counters');
    expect(
      (counters.body['counters'] as { openai: { chatCompletions: { requests: number } } }).openai
        .chatCompletions.requests,
    ).to.equal(1);
    const reset = await call('POST', '/reset');
    expect(reset.body['faults']).to.deep.equal({ openai: null, anthropic: null, google: null });
    expect(fake.counters().openai.chatCompletions.requests).to.equal(0);
  });

  it('answers bad input with JSON errors: 400, 404, 405', async () => {
    const invalid = await call('PUT', '/faults/openai', { kind: 'status', status: 200 });
    expect(invalid.status).to.equal(400);
    expect(invalid.body['error']).to.include('status must be an integer from 400 to 599, got 200');
    const notJson = await call('PUT', '/faults/openai', '{kind');
    expect(notJson.status).to.equal(400);
    const unknown = await call('PUT', '/faults/mistral', { kind: 'hang' });
    expect(unknown.status).to.equal(404);
    const wrongMethod = await call('GET', '/faults/openai');
    expect(wrongMethod.status).to.equal(405);
    const nowhere = await call('GET', '/nowhere');
    expect(nowhere.status).to.equal(404);
    expect(fake.faults()).to.deep.equal({ openai: null, anthropic: null, google: null });
  });

  it('can be moved or turned off', async () => {
    const moved = await startFakeProvider({ controlPath: '/faults-admin' });
    const off = await startFakeProvider({ controlPath: false });
    try {
      const response = await fetch(`${moved.url}/faults-admin/faults/anthropic`, {
        method: 'PUT',
        body: JSON.stringify({ kind: 'status', status: 529 }),
      });
      expect(response.status).to.equal(200);
      expect(moved.faults().anthropic?.fault).to.deep.equal({ kind: 'status', status: 529 });
      expect(off.controlURL).to.equal(undefined);
      expect((await fetch(`${off.url}/_control`)).status).to.equal(404);
    } finally {
      await Promise.all([moved.close(), off.close()]);
    }
  });
});

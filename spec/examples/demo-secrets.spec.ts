/**
 * Secrets in the demo gateway: the fake providers' own control port asks for the admin token as
 * the gateway's `/_control` route does, the start banner never prints an operator's
 * `ADMIN_TOKEN`, and log lines never carry a configured key or token.
 */
import { expect } from 'chai';
import { banner } from '../../examples/ai-gateway/command-line.js';
import { redactSecrets } from '../../examples/ai-gateway/redact-secrets.js';
import { FRAMEWORKS, startTestGateway, TOKEN, type TestGateway } from './gateway-harness.js';

const FAULT = JSON.stringify({ kind: 'status', status: 503 });

function put(url: string, authorization?: string): Promise<Response> {
  return fetch(url, {
    method: 'PUT',
    headers: {
      'content-type': 'application/json',
      ...(authorization === undefined ? {} : { authorization }),
    },
    body: FAULT,
  });
}

for (const framework of FRAMEWORKS) {
  describe(`demo secrets in the ${framework} gateway`, () => {
    let test: TestGateway;
    beforeEach(async () => {
      test = await startTestGateway(framework);
    });
    afterEach(() => test.close());

    it("guards the fake providers' control port with the admin token", async () => {
      const direct = `${test.fake.controlURL}/faults/openai`;
      expect((await put(direct)).status).to.equal(401);
      expect((await put(direct, 'Bearer not-the-token')).status).to.equal(401);
      expect(test.fake.faults().openai, 'nothing was switched').to.equal(null);
      expect((await fetch(test.fake.controlURL!)).status, 'reading stays open').to.equal(200);
      expect((await put(direct, `Bearer ${TOKEN}`)).status).to.equal(200);
      expect(test.fake.faults().openai?.fault).to.include({ kind: 'status', status: 503 });
    });

    it("forwards the gateway's own /_control changes with the token", async () => {
      const route = `${test.gateway.url}/_control/faults/anthropic`;
      expect((await put(route)).status).to.equal(401);
      expect((await put(route, `Bearer ${TOKEN}`)).status).to.equal(200);
      expect(test.fake.faults().anthropic?.fault).to.include({ kind: 'status', status: 503 });
    });

    it("never prints the operator's ADMIN_TOKEN in the banner", () => {
      const text = banner(test.gateway);
      expect(text).to.not.include(TOKEN);
      expect(text).to.include('admin token from ADMIN_TOKEN');
      expect(text).to.include('Bearer $ADMIN_TOKEN');
    });
  });
}

describe('redactSecrets', () => {
  it('replaces every configured secret in a log line, longest first', () => {
    const lines: string[] = [];
    const log = redactSecrets(
      (line) => lines.push(line),
      ['sk-live-0123456789', 'sk-live-0123456789-extended', undefined, 'short'],
    );
    log('401 Incorrect API key provided: sk-live-0123456789-extended (sk-live-0123456789)');
    log('a short word stays');
    expect(lines).to.deep.equal([
      '401 Incorrect API key provided: [redacted] ([redacted])',
      'a short word stays',
    ]);
  });
});

/**
 * Graceful shutdown of the built examples, run as child processes the way `npm start` runs
 * them: SIGTERM while a chat request is in flight lets that request finish, refuses new
 * connections, and the process exits by itself with code 0. OpenAI is a stand-in that answers
 * only when the spec says so, so nothing here waits on a timer.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { startHeldUpstream, type HeldUpstream } from './held-upstream.js';

const SCRIPTS = {
  express: fileURLToPath(new URL('../../examples/ai-gateway/index.js', import.meta.url)),
  koa: fileURLToPath(new URL('../../examples/ai-gateway/koa/index.js', import.meta.url)),
};

/** A child process's stdout, read line by line, with a way to wait for a line. */
class Output {
  readonly lines: string[] = [];
  private buffer = '';
  private waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  readonly exited: Promise<number | null>;

  constructor(child: ChildProcess) {
    child.stdout!.setEncoding('utf8').on('data', (text: string) => {
      this.buffer += text;
      const parts = this.buffer.split('\n');
      this.buffer = parts.pop()!;
      for (const line of parts) this.add(line);
    });
    child.stderr!.setEncoding('utf8').on('data', (text: string) => this.add(`stderr: ${text}`));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** Resolves with the first line (seen or to come) that matches; rejects if the child exits. */
  line(pattern: RegExp): Promise<RegExpMatchArray> {
    for (const line of this.lines) {
      const match = line.match(pattern);
      if (match !== null) return Promise.resolve(match);
    }
    return new Promise((resolve, reject) => {
      this.waiters.push({ pattern, resolve });
      void this.exited.then((code) =>
        reject(new Error(`exited (${code}) before ${pattern}:\n${this.lines.join('\n')}`)),
      );
    });
  }

  private add(line: string): void {
    this.lines.push(line);
    for (const waiter of [...this.waiters]) {
      const match = line.match(waiter.pattern);
      if (match === null) continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve(match);
    }
  }
}

for (const [framework, script] of Object.entries(SCRIPTS)) {
  describe(`AI gateway example (${framework}): graceful shutdown of the built script`, () => {
    let upstream: HeldUpstream;
    let child: ChildProcess | undefined;
    beforeEach(async () => {
      upstream = await startHeldUpstream();
    });
    afterEach(async () => {
      if (child !== undefined && child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
      }
      child = undefined;
      await upstream.close();
    });

    it('SIGTERM with a request in flight: it finishes, new connections are refused, exit 0', async () => {
      child = spawn(process.execPath, [script], {
        env: {
          ...process.env,
          PORT: '0',
          HOST: '127.0.0.1',
          PROVIDER_TIMEOUT_MS: '20000', // the spec, not a timer, decides when OpenAI answers
          OPENAI_BASE_URL: upstream.baseURL,
          OPENAI_API_KEY: 'test',
          ANTHROPIC_API_KEY: '', // blank: the in-process fake answers for Anthropic
          ANTHROPIC_BASE_URL: '',
          FAKE_PROVIDERS: 'auto',
          ADMIN_TOKEN: 'shutdown-spec',
          SHUTDOWN_TIMEOUT_MS: '10000',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const output = new Output(child);
      const [, url] = await output.line(/listening on (http:\/\/\S+)/);
      const client = new OpenAI({ apiKey: 'unused', baseURL: `${url}/v1`, maxRetries: 0 });

      const pending = client.chat.completions
        .create({ model: 'any', messages: [{ role: 'user', content: 'finish me' }] })
        .withResponse();
      const held = await upstream.received(); // the request is now at "OpenAI"
      expect(held.body.messages[0]!.content).to.equal('finish me');

      child.kill('SIGTERM');
      await output.line(/shutting down: 1 chat request\(s\) in flight/);
      const refused = await fetch(`${url}/`).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused, 'a new connection after SIGTERM').to.be.instanceOf(Error);

      upstream.answer(held, 'finished after SIGTERM');
      const { data, response } = await pending;
      expect(data.choices[0]!.message.content).to.equal('finished after SIGTERM');
      expect(response.headers.get('x-served-by')).to.equal('openai');

      expect(await output.exited).to.equal(0);
      expect(output.lines).to.include('gateway stopped');
    });
  });
}

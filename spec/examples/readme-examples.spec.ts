/**
 * docs/gateway.md, run: its `curl` commands in order against a demo gateway (when curl is
 * installed), its `openai` SDK client, and a check that every code snippet still appears in the
 * file it names.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { ask } from '../../examples/ai-gateway/client.js';
import { differences, parseShown } from '../readme/shown-output.js';
import { startTestGateway, type TestGateway } from './gateway-harness.js';

const root = new URL('../../../', import.meta.url);
const doc = readFileSync(new URL('docs/gateway.md', root), 'utf8');
const run = promisify(execFile);
/** Shown values that differ on every run: only their type is compared. */
const VARYING = new Set(['created', 'duration_ms']);

/** A shown `text` output: its header lines, and the JSON line after them. */
function splitShown(text: string): [string[], string] {
  const lines = text.trim().split('\n');
  return [lines.filter((line) => !line.startsWith('{')), lines.find((l) => l.startsWith('{'))!];
}

async function hasCurl(): Promise<boolean> {
  return run('curl', ['--version']).then(
    () => true,
    () => false,
  );
}

describe('docs/gateway.md examples', () => {
  let t: TestGateway;
  beforeEach(async () => {
    t = await startTestGateway('express');
  });
  afterEach(() => t.close());

  it('the curl walk-through: failover, cache, degraded, reset, failback', async function () {
    if (!(await hasCurl())) this.skip();
    const runs = [
      ...doc.matchAll(
        /<!-- run by spec\/examples\/readme-examples\.spec\.ts -->\s*```sh\n([\s\S]*?)```(?:\s*```(?:json|text)\n([\s\S]*?)```)?/g,
      ),
    ];
    const blocks = runs.map((m) => m[1]!);
    /** The output the docs show after each command block, if any. */
    const shown = runs.map((m) => m[2]);
    expect(blocks).to.have.length(5);
    expect(shown.map((output) => output !== undefined)).to.deep.equal([
      true,
      false,
      true,
      false,
      false,
    ]);
    const host = new URL(t.gateway.url).host;
    const shell = async (script: string) => {
      const { stdout } = await run('sh', ['-c', script.replaceAll('localhost:3000', host)], {
        env: { ...process.env, ADMIN_TOKEN: t.gateway.services.adminToken! },
      });
      return stdout;
    };
    const answers = (text: string) =>
      text
        .split('\n')
        .flatMap((line) => line.split(/(?<=\})(?=\{)/))
        .filter((part) => part.startsWith('{'))
        .map((part) => JSON.parse(part) as Record<string, unknown>);

    const [hello] = answers(await shell(blocks[0]!));
    expect(hello).to.deep.include({ served_by: 'openai' });
    expect(differences(parseShown(shown[0]!), hello, VARYING), 'the answer shown').to.deep.equal(
      [],
    );

    await shell(blocks[1]!);
    expect(t.fake.faults().openai?.fault).to.deep.equal({ kind: 'status', status: 503 });

    const third = await shell(blocks[2]!);
    expect(third.match(/^x-served-by: \w+/gim)).to.deep.equal([
      'x-served-by: anthropic',
      'x-served-by: anthropic',
      'x-served-by: anthropic',
    ]);
    expect(answers(third)[0]).to.deep.include({ state: 'open', reason: 'consecutive_failures' });
    const [headers, snapshot] = splitShown(shown[2]!);
    expect(third.match(/^x-served-by: \w+/gim)).to.deep.equal(headers);
    expect(
      differences(parseShown(snapshot), answers(third)[0]),
      'the snapshot shown',
    ).to.deep.equal([]);

    const [, cached, degraded] = answers(await shell(blocks[3]!));
    expect(cached).to.deep.include({ served_by: 'cache' });
    expect(degraded).to.deep.include({ served_by: 'degraded' });

    const [, reset, back] = answers(await shell(blocks[4]!));
    expect(reset).to.deep.include({ name: 'openai', state: 'closed' });
    expect(back).to.deep.include({ served_by: 'openai' });
  });

  it('the openai SDK client of examples/ai-gateway/client.ts', async () => {
    expect(await ask('hello', t.gateway.url)).to.deep.equal({
      text: '[openai] hello',
      servedBy: 'openai',
    });
    t.fake.setFault('openai', { kind: 'status', status: 500 });
    expect(await ask('hello', t.gateway.url)).to.deep.equal({
      text: '[anthropic] hello',
      servedBy: 'anthropic',
    });
  });

  it('shows only code that runs (every snippet is in the file it names)', () => {
    const snippets = [...doc.matchAll(/<!-- from (\S+) -->\s*```ts\n([\s\S]*?)```/g)];
    expect(snippets).to.have.length(2);
    for (const [, file, code] of snippets) {
      const source = normalise(readFileSync(new URL(file!, root), 'utf8'));
      expect(source.includes(normalise(code!)), `docs snippet from ${file}:\n${code}`).to.equal(
        true,
      );
    }
  });
});

/** Lines trimmed and blank lines dropped: indentation may differ. */
function normalise(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join('\n');
}

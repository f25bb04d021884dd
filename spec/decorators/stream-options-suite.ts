import { expect } from 'chai';
import {
  BreakerRegistry,
  CircuitBreaker,
  bindRegistry,
  isStreamInterruptedError,
  withOutcome,
} from '../../lib/index.js';
import { ResumingLlm, textOfPieces, type Piece, type TellType } from './fixtures/resuming-llm.js';

/** Type check: the decorated method keeps the signature written. */
const keepsType: TellType extends (prompt: string) => AsyncGenerator<Piece> ? true : false = true;

async function* pieces(...items: (Piece | Error)[]): AsyncGenerator<Piece> {
  for (const item of items) {
    if (item instanceof Error) throw item;
    yield item;
  }
}

const down = (status: number) => Object.assign(new Error(`HTTP ${status}`), { status });

async function collect(stream: AsyncIterable<Piece>) {
  const got: Piece[] = [];
  try {
    for await (const p of stream) got.push(p);
    return { got, error: undefined };
  } catch (error) {
    return { got, error };
  }
}

/** `@CircuitBreaker(name, { stream: { isContent, resume } })` on `async *` methods, in one mode. */
export function streamOptionsSuite(mode: 'standard' | 'legacy'): void {
  describe(`@CircuitBreaker stream option on async * methods (${mode} decorators)`, () => {
    const llm = (primary: () => AsyncIterable<Piece>, backup: () => AsyncIterable<Piece>) =>
      bindRegistry(new ResumingLlm(primary, backup), new BreakerRegistry());

    it('uses the level’s isContent: a failure after a non-content piece still fails over unseen', async () => {
      expect(keepsType).to.equal(true);
      const service = llm(
        () => pieces({ note: 'start' }, down(503)),
        () => pieces({ note: 'hello' }, { text: 'backup' }),
      );
      const { value, servedBy, attempts } = await withOutcome(() => collect(service.tell('q')));
      expect(value.error).to.equal(undefined);
      expect(value.got).to.deep.equal([{ note: 'hello' }, { text: 'backup' }]);
      expect(servedBy).to.equal('second');
      expect(attempts.map((a) => [a.name, a.outcome])).to.deep.equal([
        ['primary', 'failure'],
        ['second', 'success'],
      ]);
    });

    it('resumes on the fallback method with the arguments its resume gives', async () => {
      const service = llm(
        () => pieces({ note: 'start' }, { text: 'Once' }, down(503)),
        () => pieces({ note: 'again' }, { text: ' upon a time' }),
      );
      const { value, servedBy, attempts } = await withOutcome(() => collect(service.tell('story')));
      expect(value.error).to.equal(undefined);
      expect(textOfPieces(value.got)).to.equal('Once upon a time');
      expect(value.got).to.deep.equal([
        { note: 'start' },
        { text: 'Once' },
        { text: ' upon a time' },
      ]);
      expect(service.backupPrompts).to.deep.equal(['story (go on after "Once")']);
      expect(servedBy).to.equal('second');
      expect(attempts.map((a) => [a.name, a.outcome])).to.deep.equal([
        ['primary', 'interrupted'],
        ['second', 'success'],
      ]);
    });

    it('ends with StreamInterruptedError when the resumed level fails too', async () => {
      const service = llm(
        () => pieces({ text: 'Once' }, down(503)),
        () => pieces(down(502)),
      );
      const { got, error } = await collect(service.tell('story'));
      expect(got).to.deep.equal([{ text: 'Once' }]);
      expect(isStreamInterruptedError(error)).to.equal(true);
      expect((error as { breaker: string }).breaker).to.equal('primary');
    });

    it('refuses the stream option on a promise method, when the class is defined', () => {
      expect(() => {
        class Plain {
          // @ts-expect-error -- a promise method cannot take the stream option
          @CircuitBreaker('plain', { stream: { isContent: (c: string) => c !== '' } })
          async complete(prompt: string): Promise<string> {
            return prompt;
          }
        }
        return Plain;
      }).to.throw(
        TypeError,
        '@CircuitBreaker("plain") on "complete": the stream option (isContent, resume) applies to async * methods only',
      );
    });

    it('refuses bad stream options, naming them', () => {
      expect(() => CircuitBreaker('x', { stream: 5 as never })).to.throw(
        TypeError,
        '@CircuitBreaker("x"): stream must be an object ({ isContent?, resume? }), got 5',
      );
      expect(() => CircuitBreaker('x', { stream: { isContent: 3 as never } })).to.throw(
        TypeError,
        '@CircuitBreaker("x"): stream.isContent must be a function, got 3',
      );
      expect(() => CircuitBreaker('x', { stream: { resume: 'no' as never } })).to.throw(
        TypeError,
        '@CircuitBreaker("x"): stream.resume must be a function, got "no"',
      );
      expect(() => CircuitBreaker('x', { stream: { isContnet: () => true } as never })).to.throw(
        TypeError,
        'unknown option stream.isContnet',
      );
    });
  });
}

import { expect } from 'chai';
import {
  CONTINUE_INSTRUCTION,
  defaultClassify,
  inBandError,
  isContentChunk,
  overlapLength,
  resumeAnthropicMessages,
  resumeOpenAiChat,
  textOfChunk,
  textOfChunks,
  withChunkText,
} from '../../lib/index.js';
import { openAiChunk } from './fixtures.js';

describe('stream chunks: content, in-band errors, text, resume requests', () => {
  describe('isContentChunk', () => {
    const cases: [string, unknown, boolean][] = [
      ['OpenAI role-only delta', openAiChunk({ role: 'assistant', content: '' }), false],
      ['OpenAI text delta', openAiChunk({ content: 'Hi' }), true],
      ['OpenAI tool call delta', openAiChunk({ tool_calls: [{ index: 0, id: 'c' }] }), true],
      ['OpenAI refusal delta', openAiChunk({ refusal: 'No.' }), true],
      ['OpenAI finish chunk', openAiChunk({}, 'stop'), false],
      ['OpenAI usage chunk', { object: 'chat.completion.chunk', choices: [], usage: {} }, false],
      ['Responses response.created', { type: 'response.created', response: {} }, false],
      ['Responses output_item.added', { type: 'response.output_item.added', item: {} }, false],
      ['Responses text delta', { type: 'response.output_text.delta', delta: 'Hi' }, true],
      [
        'Responses function arguments delta',
        { type: 'response.function_call_arguments.delta', delta: '{"a"' },
        true,
      ],
      ['Responses completed', { type: 'response.completed', response: {} }, false],
      ['Anthropic message_start', { type: 'message_start', message: {} }, false],
      ['Anthropic ping', { type: 'ping' }, false],
      ['Anthropic content_block_start', { type: 'content_block_start', index: 0 }, false],
      [
        'Anthropic text delta',
        { type: 'content_block_delta', delta: { type: 'text_delta', text: 'Hi' } },
        true,
      ],
      [
        'Anthropic empty text delta',
        { type: 'content_block_delta', delta: { type: 'text_delta', text: '' } },
        false,
      ],
      [
        'Anthropic tool input delta',
        { type: 'content_block_delta', delta: { type: 'input_json_delta', partial_json: '{' } },
        true,
      ],
      ['Anthropic message_delta', { type: 'message_delta', delta: { stop_reason: 'end' } }, false],
      [
        'Google text part',
        { candidates: [{ content: { role: 'model', parts: [{ text: 'Hi' }] } }] },
        true,
      ],
      [
        'Google function call',
        { candidates: [{ content: { parts: [{ functionCall: { name: 'f' } }] } }] },
        true,
      ],
      ['Google usage-only chunk', { usageMetadata: { totalTokenCount: 3 } }, false],
      ['Google empty candidate', { candidates: [{ finishReason: 'STOP' }] }, false],
      ['a string', 'text', true],
      ['an empty string', '', false],
      ['bytes', new Uint8Array([1]), true],
      ['an object of your own', { id: 1 }, true],
    ];
    for (const [what, chunk, expected] of cases) {
      it(`${what}: ${expected ? 'content' : 'not content'}`, () => {
        expect(isContentChunk(chunk)).to.equal(expected);
      });
    }
  });

  describe('inBandError', () => {
    it('makes error events into errors the classifier judges like the matching status', () => {
      const verdict = (chunk: unknown) => defaultClassify(inBandError(chunk));
      expect(
        verdict({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
      ).to.include({ failure: true, failover: true });
      expect(inBandError({ type: 'error', error: { type: 'overloaded_error' } })).to.include({
        status: 529,
      });
      expect(
        verdict({ type: 'error', error: { type: 'invalid_request_error', message: 'x' } }),
      ).to.include({ failure: false, failover: false });
      expect(verdict({ type: 'error', error: { type: 'rate_limit_error' } })).to.include({
        rateLimited: true,
      });
      expect(
        verdict({
          error: { message: 'quota', type: 'insufficient_quota', code: 'insufficient_quota' },
        }),
      ).to.deep.equal({ failure: true, failover: true });
      expect(
        verdict({ type: 'error', code: 'model_not_found', message: 'no such model' }),
      ).to.include({ failure: true, failover: true });
      expect(
        verdict({ type: 'response.failed', response: { error: { code: 'server_error' } } }),
      ).to.include({ failure: true });
      expect(
        verdict({ error: { code: 400, message: 'bad', status: 'INVALID_ARGUMENT' } }),
      ).to.include({ failure: false });
      expect(inBandError({ error: { code: 503, status: 'UNAVAILABLE' } })!.status).to.equal(503);
      const unknown = inBandError({ type: 'error', error: { type: 'mystery' } })!;
      expect(unknown.status).to.equal(undefined);
      expect(defaultClassify(unknown)).to.include({ failure: true, failover: true });
      expect(unknown.message).to.match(/mystery/);
    });

    it('leaves ordinary chunks alone', () => {
      for (const chunk of [
        openAiChunk({ content: 'x' }),
        { type: 'message_start', message: {} },
        { type: 'response.completed', response: { error: null } },
        { candidates: [] },
        'error',
        null,
        { error: null },
      ]) {
        expect(inBandError(chunk)).to.equal(undefined);
      }
    });
  });

  describe('chunk text', () => {
    it('reads the answer text of each format, and rewrites it', () => {
      const chunks = [
        openAiChunk({ content: 'a' }),
        { type: 'response.output_text.delta', delta: 'b' },
        { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'c' } },
        {
          candidates: [{ content: { parts: [{ text: 'x', thought: true }, { text: 'd' }] } }],
        },
        'e',
        { type: 'content_block_delta', delta: { type: 'input_json_delta', partial_json: '{}' } },
      ];
      expect(chunks.map(textOfChunk)).to.deep.equal(['a', 'b', 'c', 'd', 'e', '']);
      expect(textOfChunks(chunks)).to.equal('abcde');
      const rewritten = chunks.map((c) => withChunkText(c, 'Z'));
      expect(rewritten.map(textOfChunk)).to.deep.equal(['Z', 'Z', 'Z', 'Z', 'Z', '']);
      expect(textOfChunk(chunks[0])).to.equal('a'); // the original is untouched
    });

    it('finds the overlap of a continuation with the tail, ignoring short coincidences', () => {
      expect(overlapLength('Once upon a time', 'a time there was')).to.equal(6);
      expect(overlapLength('Once upon a time', 'upon a time, there')).to.equal(11);
      expect(overlapLength('the end', 'e beginning')).to.equal(0);
      expect(overlapLength('abc', 'xyz')).to.equal(0);
    });
  });

  describe('resume helpers', () => {
    const delivered = [openAiChunk({ role: 'assistant' }), openAiChunk({ content: 'Half an ' })];

    it('resumeOpenAiChat continues by default with the partial answer and a user turn asking to continue', () => {
      const request = { model: 'gpt', messages: [{ role: 'user', content: 'Q' }], stream: true };
      const [next, extra] = resumeOpenAiChat()([request, 7], delivered)!;
      expect(next).to.deep.equal({
        model: 'gpt',
        stream: true,
        messages: [
          { role: 'user', content: 'Q' },
          { role: 'assistant', content: 'Half an ' },
          { role: 'user', content: CONTINUE_INSTRUCTION },
        ],
      });
      expect(extra).to.equal(7);
      expect(request.messages).to.have.length(1);
    });

    it('a second cut continues from the original request with everything delivered', () => {
      const resume = resumeOpenAiChat();
      const request = { messages: [{ role: 'user', content: 'Q' }] };
      const once = resume([request], delivered)!;
      const twice = resume(once, [...delivered, openAiChunk({ content: 'answer' })])!;
      expect(twice[0].messages).to.deep.equal([
        { role: 'user', content: 'Q' },
        { role: 'assistant', content: 'Half an answer' },
        { role: 'user', content: CONTINUE_INSTRUCTION },
      ]);
    });

    it('resumeAnthropicMessages prefills only when asked, without trailing whitespace', () => {
      const request = {
        model: 'claude',
        max_tokens: 100,
        system: 'S',
        messages: [{ role: 'user', content: 'Q' }],
      };
      const events = [
        { type: 'message_start', message: {} },
        { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Half an ' } },
      ];
      const [prefilled] = resumeAnthropicMessages({ prefill: true })([request], events)!;
      expect(prefilled.messages).to.deep.equal([
        { role: 'user', content: 'Q' },
        { role: 'assistant', content: 'Half an' },
      ]);
      expect(prefilled.system).to.equal('S');
      const [turn] = resumeAnthropicMessages({ instruction: 'Go on.' })([request], events)!;
      expect(turn.messages.at(-1)).to.deep.equal({ role: 'user', content: 'Go on.' });
    });

    it('gives up when nothing textual was delivered, and marks overlap removal', () => {
      const resume = resumeOpenAiChat();
      expect(resume([{ messages: [] }], [openAiChunk({ tool_calls: [{}] })])).to.equal(undefined);
      expect(resume.removeOverlap).to.equal(true);
      expect(resumeOpenAiChat({ removeOverlap: false }).removeOverlap).to.equal(false);
    });

    it('refuses bad options and a request without messages', () => {
      expect(() => resumeOpenAiChat({ prefil: true } as never)).to.throw(
        TypeError,
        /unknown option "prefil"/,
      );
      expect(() => resumeOpenAiChat({ instruction: '' })).to.throw(TypeError, /instruction/);
      expect(() => resumeAnthropicMessages({ argument: -1 })).to.throw(RangeError, /argument/);
      expect(() => resumeOpenAiChat()(['text'], delivered)).to.throw(
        TypeError,
        /request body with messages/,
      );
    });
  });
});

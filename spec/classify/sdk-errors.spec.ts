import * as anthropic from '@anthropic-ai/sdk';
import { ApiError as GoogleApiError } from '@google/genai';
import { expect } from 'chai';
import * as openai from 'openai/core/error';
import { isAbort, isFetchTermination, sdkErrorKind, type SdkErrorKind } from '../../lib/index.js';
import { streamCutError } from '../../lib/testing/index.js';

describe('sdkErrorKind', () => {
  const headers = new Headers();
  const table: [string, unknown, SdkErrorKind | undefined][] = [
    [
      'openai APIConnectionTimeoutError (a subclass of APIConnectionError)',
      new openai.APIConnectionTimeoutError(),
      'timeout',
    ],
    ['anthropic APIConnectionTimeoutError', new anthropic.APIConnectionTimeoutError(), 'timeout'],
    ['openai APIConnectionError', new openai.APIConnectionError({}), 'connection'],
    ['anthropic APIConnectionError', new anthropic.APIConnectionError({}), 'connection'],
    ['openai APIUserAbortError', new openai.APIUserAbortError(), 'aborted'],
    ['anthropic APIUserAbortError', new anthropic.APIUserAbortError(), 'aborted'],
    ['openai RateLimitError', new openai.RateLimitError(429, undefined, 'x', headers), 'status'],
    [
      'anthropic OverloadedError',
      new anthropic.OverloadedError(529, undefined, 'x', headers),
      'status',
    ],
    ['google ApiError', new GoogleApiError({ message: '{}', status: 503 }), 'status'],
    [
      'openai in-band APIError',
      new openai.APIError(undefined, { message: 'x' }, undefined, headers),
      'stream_error',
    ],
    [
      'anthropic in-band APIError',
      new anthropic.APIError(undefined, {}, undefined, headers),
      'stream_error',
    ],
    ['openai LengthFinishReasonError', new openai.LengthFinishReasonError(), 'finish_reason'],
    ['a plain Error', new Error('x'), undefined],
    ['a stream cut TypeError', streamCutError(), undefined],
    ['null', null, undefined],
  ];
  for (const [label, error, kind] of table) {
    it(`${label} -> ${kind}`, () => expect(sdkErrorKind(error)).to.equal(kind));
  }
});

describe('isFetchTermination', () => {
  it("finds undici's TypeError('terminated') anywhere on the cause chain", () => {
    expect(isFetchTermination(streamCutError())).to.equal(true);
    const wrapped = Object.assign(new openai.OpenAIError('terminated'), {
      cause: streamCutError(),
    });
    expect(isFetchTermination(wrapped)).to.equal(true);
  });
  it('ignores other TypeErrors', () => {
    expect(isFetchTermination(new TypeError('x is not a function'))).to.equal(false);
  });
});

describe('isAbort', () => {
  it('knows AbortError and APIUserAbortError, not TimeoutError', () => {
    expect(isAbort(new DOMException('x', 'AbortError'))).to.equal(true);
    expect(isAbort(new openai.APIUserAbortError())).to.equal(true);
    expect(isAbort(new DOMException('x', 'TimeoutError'))).to.equal(false);
  });
});

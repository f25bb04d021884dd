import { ApiError as GoogleApiError } from '@google/genai';
import { expect } from 'chai';
import { RateLimitError } from 'openai';
import {
  parseDuration,
  parseRetryAfter,
  retryAfterFromHeaders,
  retryAfterOf,
  retryDelayOf,
} from '../../lib/index.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('parseRetryAfter', () => {
  const table: [string, number | undefined][] = [
    ['0', 0],
    ['2', 2000],
    [' 7 ', 7000],
    ['1.5', 1500],
    ['0.0004', 1],
    ['Sun, 01 Mar 2026 12:00:30 GMT', 30_000], // IMF-fixdate, 30 s after NOW
    ['Sunday, 01-Mar-26 12:01:00 GMT', 60_000], // RFC 850
    ['Sun, 01 Mar 2026 11:59:00 GMT', 0], // a date in the past
    ['-5', undefined],
    ['soon', undefined],
    ['', undefined],
    ['1e3', undefined],
  ];
  for (const [value, expected] of table) {
    it(`${JSON.stringify(value)} -> ${expected}`, () => {
      expect(parseRetryAfter(value, NOW)).to.equal(expected);
    });
  }
});

describe('retryAfterFromHeaders', () => {
  it('reads a WHATWG Headers, as the SDKs keep them', () => {
    expect(retryAfterFromHeaders(new Headers({ 'Retry-After': '3' }), NOW)).to.equal(3000);
  });
  it('prefers retry-after-ms (OpenAI) over retry-after', () => {
    const headers = new Headers({ 'retry-after-ms': '250', 'retry-after': '9' });
    expect(retryAfterFromHeaders(headers, NOW)).to.equal(250);
  });
  it('falls back to retry-after when retry-after-ms is not a number', () => {
    const headers = new Headers({ 'retry-after-ms': 'soon', 'retry-after': '9' });
    expect(retryAfterFromHeaders(headers, NOW)).to.equal(9000);
  });
  it('reads a Node headers record case-insensitively, arrays and numbers included', () => {
    expect(retryAfterFromHeaders({ 'Retry-After': '4' }, NOW)).to.equal(4000);
    expect(retryAfterFromHeaders({ 'retry-after': ['6', '7'] }, NOW)).to.equal(6000);
    expect(retryAfterFromHeaders({ 'retry-after-ms': 120 }, NOW)).to.equal(120);
  });
  it('reads a Map', () => {
    expect(retryAfterFromHeaders(new Map([['retry-after', '1']]), NOW)).to.equal(1000);
  });
  it('measures an HTTP date from the injected now', () => {
    const headers = new Headers({ 'retry-after': new Date(NOW + 45_000).toUTCString() });
    expect(retryAfterFromHeaders(headers, NOW)).to.equal(45_000);
    expect(retryAfterFromHeaders(headers, NOW + 40_000)).to.equal(5_000);
  });
  it('gives undefined for no headers or no retry header', () => {
    expect(retryAfterFromHeaders(undefined, NOW)).to.equal(undefined);
    expect(retryAfterFromHeaders(new Headers({ 'x-other': '1' }), NOW)).to.equal(undefined);
  });
});

describe("Google's retryDelay", () => {
  it('parseDuration reads protobuf durations', () => {
    expect(parseDuration('37s')).to.equal(37_000);
    expect(parseDuration('0.25s')).to.equal(250);
    expect(parseDuration('37')).to.equal(undefined);
    expect(parseDuration(37)).to.equal(undefined);
  });
  it('retryDelayOf finds RetryInfo in an ApiError message', () => {
    const body = {
      error: {
        code: 429,
        status: 'RESOURCE_EXHAUSTED',
        details: [
          { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [] },
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '12s' },
        ],
      },
    };
    expect(
      retryDelayOf(new GoogleApiError({ message: JSON.stringify(body), status: 429 })),
    ).to.equal(12_000);
  });
  it('retryDelayOf gives undefined for a message that is not JSON', () => {
    expect(retryDelayOf(new GoogleApiError({ message: 'quota {exceeded', status: 429 }))).to.equal(
      undefined,
    );
  });
});

describe('retryAfterOf', () => {
  it("reads an SDK error's headers", () => {
    const error = new RateLimitError(
      429,
      undefined,
      'slow down',
      new Headers({ 'retry-after': '2' }),
    );
    expect(retryAfterOf(error, NOW)).to.equal(2000);
  });
  it("falls back to a Google error's body", () => {
    const body = { error: { code: 429, details: [{ retryDelay: '3s' }] } };
    expect(
      retryAfterOf(new GoogleApiError({ message: JSON.stringify(body), status: 429 }), NOW),
    ).to.equal(3000);
  });
  it('gives undefined when the provider did not say', () => {
    expect(retryAfterOf(new Error('x'), NOW)).to.equal(undefined);
  });
});

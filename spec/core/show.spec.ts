import { expect } from 'chai';
import { show } from '../../lib/core/show.js';

describe('show (the value in an error message)', () => {
  it('quotes strings and names functions', () => {
    expect(show('a"b')).to.equal('"a\\"b"');
    expect(show(function retry() {})).to.equal('function retry');
    expect(show(() => 1)).to.equal('function (anonymous)');
  });

  it('writes numbers, bigints and the empty values as typed', () => {
    expect(show(NaN)).to.equal('NaN');
    expect(show(-0.5)).to.equal('-0.5');
    expect(show(10n)).to.equal('10n');
    expect(show(undefined)).to.equal('undefined');
    expect(show(null)).to.equal('null');
    expect(show(Symbol('s'))).to.equal('Symbol(s)');
  });

  it('writes objects as JSON, and a cyclic one by its tag', () => {
    expect(show({ a: [1, 'x'] })).to.equal('{"a":[1,"x"]}');
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    expect(show(cyclic)).to.equal('[object Object]');
    expect(show(new Map([[1, 2]]))).to.equal('{}');
  });
});

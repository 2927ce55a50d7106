import { describe, expect, it } from 'vitest';
import { canonicalize, CanonicalJsonError } from '../../src-shared/canonical-json';

describe('canonicalize (RFC 8785)', () => {
  it('reproduces the RFC 8785 section 3.2.2 example', () => {
    const input = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    );
    expect(canonicalize(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts keys by UTF-16 code units, recursively', () => {
    // RFC 8785 section 3.2.3: code units, not code points, so U+FB33 sorts after the
    // surrogate pair of U+1F600 and the Euro sign (0x20AC) before both.
    const input = { '\ufb33': 0, '\u20ac': 1, '\ud83d\ude00': 2, '\r': 3, '1': 4, b: { z: 1, a: 2 } };
    expect(canonicalize(input)).toBe('{"\\r":3,"1":4,"b":{"a":2,"z":1},"€":1,"😀":2,"\ufb33":0}');
  });

  it('drops undefined members and normalises -0', () => {
    expect(canonicalize({ a: undefined, b: -0 })).toBe('{"b":0}');
  });

  it('refuses values JSON cannot carry, naming where they are', () => {
    expect(() => canonicalize({ a: [1, Number.NaN] })).toThrow(CanonicalJsonError);
    expect(() => canonicalize({ a: [1, Number.NaN] })).toThrow('$.a[1]');
    expect(() => canonicalize({ when: new Date(0) })).toThrow('only plain objects');
    expect(() => canonicalize({ big: 1n })).toThrow('bigint is not JSON');
  });
});

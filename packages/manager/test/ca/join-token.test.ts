import { describe, expect, it } from 'vitest';
import { ERROR_CODES, seededRng, type Rng } from '@shoal/common';
import {
  DIGEST_LENGTH,
  SECRET_LENGTH,
  base36Length,
  bytesToBase36,
  constantTimeEqual,
  newJoinToken,
  parseJoinToken,
  roleForJoinToken,
  tokenMatches,
} from '../../src/ca/index.js';

function fakeRandomBytes(rng: Rng) {
  return (n: number) => Uint8Array.from({ length: n }, () => Math.floor(rng.next() * 256));
}

const digest = 'a'.repeat(DIGEST_LENGTH);
const otherDigest = 'b'.repeat(DIGEST_LENGTH);

describe('base36', () => {
  it('has fixed lengths for sha256 digests and 128-bit secrets', () => {
    expect(base36Length(32)).toBe(50);
    expect(base36Length(16)).toBe(25);
    expect(DIGEST_LENGTH).toBe(50);
    expect(SECRET_LENGTH).toBe(25);
  });

  it('renders big-endian, lower case, zero padded', () => {
    expect(bytesToBase36(new Uint8Array(16))).toBe('0'.repeat(25));
    expect(bytesToBase36(Uint8Array.from([0, 0, 0, 35]))).toBe('000000z');
    expect(bytesToBase36(Uint8Array.from([1, 0]))).toBe('0074');
    expect(bytesToBase36(new Uint8Array(16).fill(255))).toBe((2n ** 128n - 1n).toString(36));
  });
});

describe('join tokens', () => {
  it('formats SHOAL-1-<digest>-<secret> with a fixed-length secret', () => {
    const token = newJoinToken(digest, fakeRandomBytes(seededRng(1)));
    expect(token).toMatch(new RegExp(`^SHOAL-1-${digest}-[0-9a-z]{25}$`));
    const zero = newJoinToken(digest, (n) => new Uint8Array(n));
    expect(zero).toBe(`SHOAL-1-${digest}-${'0'.repeat(25)}`);
  });

  it('differs from call to call and parses back', () => {
    const random = fakeRandomBytes(seededRng(2));
    const a = newJoinToken(digest, random);
    const b = newJoinToken(digest, random);
    expect(a).not.toBe(b);
    const parsed = parseJoinToken(a);
    expect(parsed).toEqual({ version: 1, digest, secret: a.slice(-25) });
    expect(parseJoinToken(`  ${a}\n`)).toEqual(parsed);
  });

  it('refuses to make a token for a malformed digest', () => {
    expect(() => newJoinToken('ABC', fakeRandomBytes(seededRng(3)))).toThrow(/invalid CA digest/);
  });

  it.each([
    ['', /invalid join token: expected SHOAL-1-<CA digest>-<secret>/],
    ['hello', /invalid join token: expected/],
    [`SWMTKN-1-${digest}-${'0'.repeat(25)}`, /invalid join token: expected/],
    [`SHOAL-1-${digest}-${'0'.repeat(25)}-x`, /invalid join token: expected/],
    [`SHOAL-2-${digest}-${'0'.repeat(25)}`, /unsupported version "2"/],
    [`SHOAL-x-${digest}-${'0'.repeat(25)}`, /unsupported version "x"/],
    [`SHOAL-1-${digest.slice(1)}-${'0'.repeat(25)}`, /malformed CA digest/],
    [`SHOAL-1-${digest.toUpperCase()}-${'0'.repeat(25)}`, /malformed CA digest/],
    [`SHOAL-1-${digest}-${'0'.repeat(24)}`, /malformed secret/],
    [`SHOAL-1-${digest}-${'!'.repeat(25)}`, /malformed secret/],
  ])('rejects %j with INVALID_ARGUMENT', (token, message) => {
    expect(() => parseJoinToken(token)).toThrow(message);
    expect(() => parseJoinToken(token)).toThrow(expect.objectContaining({ code: ERROR_CODES.INVALID_ARGUMENT }));
  });

  it('compares in constant time and exactly', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
    expect(constantTimeEqual('', 'a')).toBe(false);
    expect(constantTimeEqual('a\u0000', 'a')).toBe(false);
    const token = newJoinToken(digest, fakeRandomBytes(seededRng(4)));
    expect(tokenMatches(token, token)).toBe(true);
    expect(tokenMatches(` ${token} `, token)).toBe(true);
    expect(tokenMatches(token.slice(0, -1) + (token.endsWith('0') ? '1' : '0'), token)).toBe(false);
  });
});

describe('roleForJoinToken', () => {
  const random = fakeRandomBytes(seededRng(5));
  const tokens = { worker: newJoinToken(digest, random), manager: newJoinToken(digest, random) };

  it('grants the role of the token presented', () => {
    expect(tokens.worker).not.toBe(tokens.manager);
    expect(roleForJoinToken(tokens.worker, tokens)).toBe('worker');
    expect(roleForJoinToken(tokens.manager, tokens)).toBe('manager');
  });

  it('refuses a wrong secret, another swarm and a malformed token', () => {
    const wrong = newJoinToken(digest, random);
    expect(() => roleForJoinToken(wrong, tokens)).toThrow(expect.objectContaining({ code: ERROR_CODES.UNAUTHENTICATED, message: expect.stringMatching(/invalid join token/) }));
    const foreign = newJoinToken(otherDigest, random);
    expect(() => roleForJoinToken(foreign, tokens)).toThrow(/different swarm/);
    expect(() => roleForJoinToken('nope', tokens)).toThrow(expect.objectContaining({ code: ERROR_CODES.INVALID_ARGUMENT }));
  });
});

import {describe, expect, it} from 'vitest';
import fc from 'fast-check';
import {
	bigIntToBytes,
	bitLength,
	bytesToBigInt,
	gcd,
	generatePrime,
	isProbablePrime,
	modInverse,
	modPow,
} from '../../../source/crypto/teaching/number-theory.js';
import {TeachingInputError} from '../../../source/crypto/teaching/errors.js';

const MERSENNE_61 = (1n << 61n) - 1n;
const MERSENNE_89 = (1n << 89n) - 1n;
const MERSENNE_127 = (1n << 127n) - 1n;
// Chernick's form (6k+1)(12k+1)(18k+1) with k = 1048665: a Carmichael number above 2^64, so the
// random-base branch of Miller-Rabin has to catch it.
const CHERNICK = [6_291_991n, 12_583_981n, 18_875_971n] as const;
const CARMICHAEL_71_BITS = 1_494_567_203_952_363_107_041n;

describe('modPow, gcd, modInverse', () => {
	it('computes the Stallings example 88^7 mod 187 = 11 and 11^23 mod 187 = 88', () => {
		expect(modPow(88n, 7n, 187n)).toBe(11n);
		expect(modPow(11n, 23n, 187n)).toBe(88n);
	});

	it('handles exponent 0, modulus 1 and negative bases', () => {
		expect(modPow(5n, 0n, 7n)).toBe(1n);
		expect(modPow(5n, 3n, 1n)).toBe(0n);
		expect(modPow(-2n, 3n, 7n)).toBe(6n);
		expect(() => modPow(2n, -1n, 7n)).toThrow(TeachingInputError);
		expect(() => modPow(2n, 1n, 0n)).toThrow(TeachingInputError);
	});

	it('matches repeated multiplication', () => {
		fc.assert(
			fc.property(
				fc.bigInt(0n, 1n << 80n),
				fc.integer({min: 0, max: 40}),
				fc.bigInt(2n, 1n << 80n),
				(b, x, m) => {
					let expected = 1n;
					for (let i = 0; i < x; i++) expected = (expected * b) % m;
					expect(modPow(b, BigInt(x), m)).toBe(expected % m);
				},
			),
		);
	});

	it('gcd divides both arguments and is 1 for consecutive integers', () => {
		fc.assert(
			fc.property(fc.bigInt(1n, 1n << 100n), fc.bigInt(1n, 1n << 100n), (a, b) => {
				const g = gcd(a, b);
				expect(a % g).toBe(0n);
				expect(b % g).toBe(0n);
				expect(gcd(a / g, b / g)).toBe(1n);
				expect(gcd(a, a + 1n)).toBe(1n);
			}),
		);
		expect(gcd(0n, 0n)).toBe(0n);
		expect(gcd(-12n, 18n)).toBe(6n);
	});

	it('modInverse gives a * a^-1 = 1 and refuses non-coprime inputs', () => {
		expect(modInverse(7n, 160n)).toBe(23n);
		fc.assert(
			fc.property(fc.bigInt(1n, 1n << 100n), (a) => {
				const inverse = modInverse(a, MERSENNE_127);
				expect((a * inverse) % MERSENNE_127).toBe(1n);
			}),
		);
		expect(() => modInverse(6n, 9n)).toThrow(/no inverse modulo 9 \(gcd 3\)/);
	});

	it('converts between integers and big-endian bytes', () => {
		expect(bytesToBigInt(new Uint8Array([1, 0]))).toBe(256n);
		expect(bytesToBigInt(new Uint8Array())).toBe(0n);
		expect([...bigIntToBytes(256n)]).toEqual([1, 0]);
		expect([...bigIntToBytes(0n)]).toEqual([0]);
		expect([...bigIntToBytes(1n, 3)]).toEqual([0, 0, 1]);
		expect(() => bigIntToBytes(256n, 1)).toThrow(/needs 2 bytes, more than 1/);
		expect(bitLength(0n)).toBe(0);
		expect(bitLength(255n)).toBe(8);
		expect(bitLength(256n)).toBe(9);
	});
});

describe('Miller-Rabin', () => {
	it('accepts known primes below and above 2^64', () => {
		for (const p of [2n, 3n, 5n, 65_537n, 2_147_483_647n, MERSENNE_61, MERSENNE_89, MERSENNE_127]) {
			expect(isProbablePrime(p), `${p}`).toBe(true);
		}
	});

	it('rejects Carmichael numbers (561, 41041, 825265 and one of 71 bits)', () => {
		expect(CHERNICK[0] * CHERNICK[1] * CHERNICK[2]).toBe(CARMICHAEL_71_BITS);
		// Korselt: squarefree and p - 1 | n - 1 for each prime factor, so a^(n-1) = 1 for every a
		// coprime with n: Fermat's test is fooled, Miller-Rabin is not.
		for (const p of CHERNICK) expect((CARMICHAEL_71_BITS - 1n) % (p - 1n)).toBe(0n);
		expect(modPow(2n, CARMICHAEL_71_BITS - 1n, CARMICHAEL_71_BITS)).toBe(1n);
		for (const n of [561n, 1105n, 1729n, 41_041n, 825_265n, CARMICHAEL_71_BITS]) {
			expect(modPow(2n, n - 1n, n), `${n} fools Fermat`).toBe(1n);
			expect(isProbablePrime(n), `${n}`).toBe(false);
		}
	});

	it('rejects strong pseudoprimes to small base sets and other composites', () => {
		// 3215031751 is a strong pseudoprime to bases 2, 3, 5 and 7 (OEIS A014233).
		for (const n of [
			0n,
			1n,
			4n,
			2047n,
			3_215_031_751n,
			(1n << 64n) + 1n,
			MERSENNE_61 * MERSENNE_89,
		]) {
			expect(isProbablePrime(n), `${n}`).toBe(false);
		}
	});

	it('agrees with trial division below 2^20', () => {
		const byTrial = (n: number): boolean => {
			if (n < 2) return false;
			for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
			return true;
		};

		fc.assert(
			fc.property(fc.integer({min: 0, max: 1 << 20}), (n) => {
				expect(isProbablePrime(BigInt(n))).toBe(byTrial(n));
			}),
			{numRuns: 500},
		);
	});

	it('generatePrime gives primes of exactly the asked size', () => {
		for (const bits of [2, 3, 8, 17, 32, 64, 65, 128]) {
			const p = generatePrime(bits);
			expect(bitLength(p)).toBe(bits);
			expect(isProbablePrime(p)).toBe(true);
		}

		expect(() => generatePrime(1)).toThrow(TeachingInputError);
	});
});

/**
 * BigInt number theory for textbook RSA: modular exponentiation (square-and-multiply), gcd and
 * inverse (extended Euclid), Miller-Rabin primality, random primes.
 *
 * Sources: Stallings, "Cryptography and Network Security", chapters 2 and 9 (Euclid, Miller-Rabin,
 * fast exponentiation); Menezes, van Oorschot, Vanstone, "Handbook of Applied Cryptography" 4.24
 * (Miller-Rabin); the bases 2..37 are deterministic below 3.3 * 10^24 (Sorenson and Webster, 2015),
 * so certainly below 2^64.
 *
 * INSECURE: for teaching only. BigInt arithmetic is not constant time: every exponentiation here
 * leaks its exponent through timing.
 */
import {randomBytes} from 'node:crypto';
import {TeachingInputError} from './errors.js';

/** Number of bits of a non-negative integer (0 for 0). */
export function bitLength(value: bigint): number {
	if (value < 0n) throw new TeachingInputError('bitLength needs a non-negative integer');
	return value === 0n ? 0 : value.toString(2).length;
}

/** Unsigned big-endian bytes to an integer (the empty array is 0). */
export function bytesToBigInt(bytes: Uint8Array): bigint {
	return bytes.length === 0 ? 0n : BigInt('0x' + Buffer.from(bytes).toString('hex'));
}

/**
 * An integer to unsigned big-endian bytes: the minimal length (0 is one zero byte) or exactly
 * `length` bytes, left-padded with zeros.
 */
export function bigIntToBytes(value: bigint, length?: number): Uint8Array {
	if (value < 0n) throw new TeachingInputError('bigIntToBytes needs a non-negative integer');
	let hex = value.toString(16);
	if (hex.length % 2 === 1) hex = '0' + hex;
	const minimal = Buffer.from(hex, 'hex');
	if (length === undefined) return new Uint8Array(minimal);
	if (minimal.length > length) {
		throw new TeachingInputError(`integer needs ${minimal.length} bytes, more than ${length}`);
	}

	const out = new Uint8Array(length);
	out.set(minimal, length - minimal.length);
	return out;
}

/** ((a mod m) + m) mod m: the representative in [0, m). */
export function mod(a: bigint, m: bigint): bigint {
	const r = a % m;
	return r < 0n ? r + m : r;
}

/** base^exponent mod modulus by left-to-right square-and-multiply (Stallings figure 9.8). */
export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
	if (modulus <= 0n) throw new TeachingInputError('modPow needs a positive modulus');
	if (exponent < 0n) throw new TeachingInputError('modPow needs a non-negative exponent');
	if (modulus === 1n) return 0n;
	const b = mod(base, modulus);
	let result = 1n;
	for (const bit of exponent.toString(2)) {
		result = (result * result) % modulus;
		if (bit === '1') result = (result * b) % modulus;
	}

	return result;
}

/** Greatest common divisor by Euclid's algorithm; gcd(0, 0) = 0. */
export function gcd(a: bigint, b: bigint): bigint {
	let x = a < 0n ? -a : a;
	let y = b < 0n ? -b : b;
	while (y !== 0n) [x, y] = [y, x % y];
	return x;
}

/** Extended Euclid: {g, x, y} with a*x + b*y = g = gcd(a, b), for a, b >= 0. */
export function extendedGcd(a: bigint, b: bigint): {g: bigint; x: bigint; y: bigint} {
	let [oldR, r] = [a, b];
	let [oldS, s] = [1n, 0n];
	let [oldT, t] = [0n, 1n];
	while (r !== 0n) {
		const quotient = oldR / r;
		[oldR, r] = [r, oldR - quotient * r];
		[oldS, s] = [s, oldS - quotient * s];
		[oldT, t] = [t, oldT - quotient * t];
	}

	return {g: oldR, x: oldS, y: oldT};
}

/** The inverse of a modulo m (extended Euclid); throws when gcd(a, m) != 1. */
export function modInverse(a: bigint, m: bigint): bigint {
	if (m <= 1n) throw new TeachingInputError('modInverse needs a modulus above 1');
	const {g, x} = extendedGcd(mod(a, m), m);
	if (g !== 1n) throw new TeachingInputError(`${a} has no inverse modulo ${m} (gcd ${g})`);
	return mod(x, m);
}

/** Least common multiple. */
export function lcm(a: bigint, b: bigint): bigint {
	return a === 0n || b === 0n ? 0n : (a / gcd(a, b)) * b;
}

/** A uniform random integer of at most `bits` bits, from node:crypto. */
export function randomBits(bits: number): bigint {
	if (!Number.isInteger(bits) || bits < 0) throw new TeachingInputError('bits must be >= 0');
	if (bits === 0) return 0n;
	const bytes = randomBytes(Math.ceil(bits / 8));
	return bytesToBigInt(bytes) >> BigInt(bytes.length * 8 - bits);
}

/** A uniform random integer in [low, high), by rejection sampling. */
export function randomBetween(low: bigint, high: bigint): bigint {
	if (high <= low) throw new TeachingInputError('randomBetween needs low < high');
	const span = high - low;
	const bits = bitLength(span - 1n);
	for (;;) {
		const candidate = randomBits(bits);
		if (candidate < span) return low + candidate;
	}
}

/** Primes below 2^16 by the sieve of Eratosthenes, for trial division. */
export const SMALL_PRIMES: readonly number[] = sieve(1 << 16);

function sieve(limit: number): number[] {
	const composite = new Uint8Array(limit);
	const primes: number[] = [];
	for (let i = 2; i < limit; i++) {
		if (composite[i] === 1) continue;
		primes.push(i);
		for (let j = i * i; j < limit; j += i) composite[j] = 1;
	}

	return primes;
}

const DETERMINISTIC_BASES = [2n, 3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n, 31n, 37n];
const TWO_TO_64 = 1n << 64n;
// Trial division before Miller-Rabin only pays for these first few primes.
const SIEVING_PRIMES = SMALL_PRIMES.slice(0, 256).map(BigInt);

/**
 * One Miller-Rabin round (HAC 4.24): false when `base` proves n composite, true when n is a
 * strong probable prime to this base. n must be odd and > 3, and 2 <= base <= n - 2.
 */
export function millerRabinRound(n: bigint, base: bigint): boolean {
	let d = n - 1n;
	let s = 0;
	while ((d & 1n) === 0n) {
		d >>= 1n;
		s++;
	}

	let x = modPow(base, d, n);
	if (x === 1n || x === n - 1n) return true;
	for (let i = 1; i < s; i++) {
		x = (x * x) % n;
		if (x === n - 1n) return true;
		if (x === 1n) return false;
	}

	return false;
}

/**
 * Miller-Rabin primality: exact below 2^64 (fixed bases 2..37), otherwise `rounds` random bases
 * (error probability at most 4^-rounds for any composite).
 */
export function isProbablePrime(n: bigint, rounds = 40): boolean {
	if (n < 2n) return false;
	for (const p of SIEVING_PRIMES) {
		if (n === p) return true;
		if (n % p === 0n) return false;
	}

	if (n < TWO_TO_64) {
		return DETERMINISTIC_BASES.every((base) => millerRabinRound(n, base));
	}

	for (let i = 0; i < rounds; i++) {
		if (!millerRabinRound(n, randomBetween(2n, n - 1n))) return false;
	}

	return true;
}

/** A random prime of exactly `bits` bits (top bit set), for bits >= 2. */
export function generatePrime(bits: number): bigint {
	if (!Number.isInteger(bits) || bits < 2 || bits > 8192) {
		throw new TeachingInputError(`prime size must be an integer in [2, 8192], got ${bits}`);
	}

	const top = 1n << BigInt(bits - 1);
	for (;;) {
		const candidate = randomBits(bits) | top | 1n;
		if (isProbablePrime(candidate)) return candidate;
	}
}

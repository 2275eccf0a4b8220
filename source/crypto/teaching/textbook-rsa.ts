/**
 * Textbook RSA on BigInt, as the seed coursework wrote it: C = M^e mod n, M = C^d mod n, no padding.
 *
 * Source: Stallings, "Cryptography and Network Security", chapter 9 (RSA), including the worked
 * example p = 17, q = 11, e = 7, d = 23, M = 88, C = 11; decryption by the Chinese remainder
 * theorem as in PKCS #1 v2.2 (RFC 8017) section 5.1.2, step 2.b (dP, dQ, qInv).
 *
 * INSECURE: for teaching only. No padding means deterministic (equal messages give equal
 * ciphertexts, so small message spaces are searched by encrypting every guess) and malleable
 * (E(a) * E(b) = E(a * b) mod n). The tiny keys this module happily makes are factored in
 * milliseconds by ./factoring.ts. Nothing is constant time. Real RSA lives in ../primitives.ts.
 */
import {TeachingInputError} from './errors.js';
import {
	bigIntToBytes,
	bitLength,
	bytesToBigInt,
	gcd,
	generatePrime,
	isProbablePrime,
	modInverse,
	modPow,
} from './number-theory.js';

export {
	bitLength,
	gcd,
	generatePrime,
	isProbablePrime,
	modInverse,
	modPow,
} from './number-theory.js';
export {
	recoverPrivateKey,
	type FactoringMethod,
	type FactoringProgress,
	type RecoverOptions,
	type RecoveredPrivateKey,
	type RecoveryFailure,
	type RecoveryFailureReason,
	type RecoveryResult,
} from './factoring.js';

export type TextbookRsaPublicKey = {readonly n: bigint; readonly e: bigint};

/** The private key with its CRT parameters (RFC 8017 3.2): d = e^-1 mod (p-1)(q-1), as Stallings. */
export type TextbookRsaPrivateKey = TextbookRsaPublicKey & {
	readonly d: bigint;
	readonly p: bigint;
	readonly q: bigint;
	/** d mod (p - 1) */
	readonly dP: bigint;
	/** d mod (q - 1) */
	readonly dQ: bigint;
	/** q^-1 mod p */
	readonly qInv: bigint;
};

/** What plain (non-CRT) decryption needs: a recovered key has only this much. */
export type TextbookRsaExponent = {readonly n: bigint; readonly d: bigint};

export const MIN_MODULUS_BITS = 8;
export const MAX_MODULUS_BITS = 4096;
/** The usual public exponent, used whenever it is below phi(n) and coprime with it. */
export const PREFERRED_E = 65_537n;

// ---------------------------------------------------------------------------------------------
// Keys

export function publicKeyOf(key: TextbookRsaPrivateKey): TextbookRsaPublicKey {
	return {n: key.n, e: key.e};
}

/** 65537 when it is below phi and coprime with it, else the smallest odd e >= 3 coprime with phi. */
export function choosePublicExponent(phi: bigint): bigint | undefined {
	if (PREFERRED_E < phi && gcd(PREFERRED_E, phi) === 1n) return PREFERRED_E;
	for (let e = 3n; e < phi; e += 2n) {
		if (gcd(e, phi) === 1n) return e;
	}

	return undefined;
}

/** The full private key from two distinct primes and e. */
export function privateKeyFromFactors(p: bigint, q: bigint, e: bigint): TextbookRsaPrivateKey {
	if (p === q) throw new TeachingInputError('p and q must be distinct');
	if (!isProbablePrime(p) || !isProbablePrime(q)) {
		throw new TeachingInputError('p and q must be prime');
	}

	const phi = (p - 1n) * (q - 1n);
	if (e < 3n || e >= phi || gcd(e, phi) !== 1n) {
		throw new TeachingInputError(`e = ${e} must be in [3, phi) and coprime with phi = ${phi}`);
	}

	const d = modInverse(e, phi);
	return {n: p * q, e, d, p, q, dP: d % (p - 1n), dQ: d % (q - 1n), qInv: modInverse(q, p)};
}

/**
 * A key pair whose modulus has exactly `bits` bits, from MIN_MODULUS_BITS (8: n = 143) to
 * MAX_MODULUS_BITS. p has ceil(bits/2) bits and q floor(bits/2); pairs whose product is one bit
 * short are drawn again.
 */
export function generateKeyPair(bits: number): TextbookRsaPrivateKey {
	if (!Number.isInteger(bits) || bits < MIN_MODULUS_BITS || bits > MAX_MODULUS_BITS) {
		throw new TeachingInputError(
			`modulus size must be an integer in [${MIN_MODULUS_BITS}, ${MAX_MODULUS_BITS}], got ${bits}`,
		);
	}

	const pBits = Math.ceil(bits / 2);
	const qBits = bits - pBits;
	for (;;) {
		const p = generatePrime(pBits);
		const q = generatePrime(qBits);
		if (p === q || bitLength(p * q) !== bits) continue;
		const e = choosePublicExponent((p - 1n) * (q - 1n));
		if (e !== undefined) return privateKeyFromFactors(p, q, e);
	}
}

// ---------------------------------------------------------------------------------------------
// Encryption and decryption of integers

function requireBelowModulus(what: string, value: bigint, n: bigint): void {
	if (value < 0n || value >= n) {
		throw new TeachingInputError(`${what} must be in [0, n), got ${value} with n = ${n}`);
	}
}

/** C = M^e mod n (Stallings 9.2). */
export function encrypt(m: bigint, key: TextbookRsaPublicKey): bigint {
	requireBelowModulus('message', m, key.n);
	return modPow(m, key.e, key.n);
}

/** M = C^d mod n. */
export function decrypt(c: bigint, key: TextbookRsaExponent): bigint {
	requireBelowModulus('ciphertext', c, key.n);
	return modPow(c, key.d, key.n);
}

/** M = C^d mod n through the CRT (RFC 8017 5.1.2 step 2.b, Garner's recombination). */
export function decryptCrt(c: bigint, key: TextbookRsaPrivateKey): bigint {
	requireBelowModulus('ciphertext', c, key.n);
	const m1 = modPow(c, key.dP, key.p);
	const m2 = modPow(c, key.dQ, key.q);
	let h = (key.qInv * (m1 - m2)) % key.p;
	if (h < 0n) h += key.p;
	return m2 + h * key.q;
}

// ---------------------------------------------------------------------------------------------
// Bytes and text as blocks below n

const LENGTH_PREFIX_BYTES = 4;

/** Bytes per block: floor((bitLength(n) - 1) / 8), so that every block is below n. */
export function blockSizeBytes(n: bigint): number {
	const size = Math.floor((bitLength(n) - 1) / 8);
	if (size < 1) {
		throw new TeachingInputError(`n = ${n} is too small to hold a byte (it needs 9 bits or more)`);
	}

	return size;
}

/**
 * Bytes to integers each below n. Format (the seed split text into blocks; the prefix is ours, so
 * that leading and trailing zero bytes and the empty input survive the round trip):
 *
 *   framed  = u32 length (big-endian) || bytes || zero bytes up to a multiple of k
 *   block i = framed[i*k, (i+1)*k) as a big-endian integer, k = blockSizeBytes(n)
 *
 * Every block is below 2^(8k) <= 2^(bitLength(n) - 1) <= n. The empty input is one or more blocks.
 */
export function bytesToBlocks(bytes: Uint8Array, n: bigint): bigint[] {
	const k = blockSizeBytes(n);
	if (bytes.length > 0xffff_ffff) throw new TeachingInputError('input longer than 2^32 - 1 bytes');
	const framedLength = Math.ceil((LENGTH_PREFIX_BYTES + bytes.length) / k) * k;
	const framed = new Uint8Array(framedLength);
	new DataView(framed.buffer).setUint32(0, bytes.length);
	framed.set(bytes, LENGTH_PREFIX_BYTES);
	const blocks: bigint[] = [];
	for (let offset = 0; offset < framedLength; offset += k) {
		blocks.push(bytesToBigInt(framed.subarray(offset, offset + k)));
	}

	return blocks;
}

/** The inverse of bytesToBlocks, strict: block range, length prefix, block count and padding. */
export function blocksToBytes(blocks: readonly bigint[], n: bigint): Uint8Array {
	const k = blockSizeBytes(n);
	const limit = 1n << BigInt(8 * k);
	const framed = new Uint8Array(blocks.length * k);
	for (const [index, block] of blocks.entries()) {
		if (block < 0n || block >= limit) {
			throw new TeachingInputError(`block ${index} is not a ${k}-byte value`);
		}

		framed.set(bigIntToBytes(block, k), index * k);
	}

	if (framed.length < LENGTH_PREFIX_BYTES) {
		throw new TeachingInputError(
			`blocks hold ${framed.length} bytes, fewer than the ${LENGTH_PREFIX_BYTES}-byte length prefix`,
		);
	}

	const length = new DataView(framed.buffer).getUint32(0);
	const expected = Math.ceil((LENGTH_PREFIX_BYTES + length) / k) * k;
	if (expected !== framed.length) {
		throw new TeachingInputError(
			`length prefix says ${length} bytes, which takes ${expected / k} blocks, got ${blocks.length}`,
		);
	}

	const end = LENGTH_PREFIX_BYTES + length;
	if (framed.subarray(end).some((byte) => byte !== 0)) {
		throw new TeachingInputError('padding after the message is not all zero');
	}

	return framed.slice(LENGTH_PREFIX_BYTES, end);
}

export function textToBlocks(text: string, n: bigint): bigint[] {
	return bytesToBlocks(new TextEncoder().encode(text), n);
}

/** Throws on bytes that are not UTF-8. */
export function blocksToText(blocks: readonly bigint[], n: bigint): string {
	return new TextDecoder('utf-8', {fatal: true}).decode(blocksToBytes(blocks, n));
}

/** Block-by-block textbook encryption (ECB, in effect: equal blocks give equal ciphertexts). */
export function encryptBytes(bytes: Uint8Array, key: TextbookRsaPublicKey): bigint[] {
	return bytesToBlocks(bytes, key.n).map((block) => encrypt(block, key));
}

export function decryptBytes(ciphertext: readonly bigint[], key: TextbookRsaExponent): Uint8Array {
	return blocksToBytes(
		ciphertext.map((block) => decrypt(block, key)),
		key.n,
	);
}

export function encryptText(text: string, key: TextbookRsaPublicKey): bigint[] {
	return encryptBytes(new TextEncoder().encode(text), key);
}

export function decryptText(ciphertext: readonly bigint[], key: TextbookRsaExponent): string {
	return new TextDecoder('utf-8', {fatal: true}).decode(decryptBytes(ciphertext, key));
}

// ---------------------------------------------------------------------------------------------
// The public key on the wire

/** n may have at most this many bytes (8192 bits). */
export const MAX_MODULUS_BYTES = 1024;

function checkPublicKey(key: TextbookRsaPublicKey): void {
	if (key.n < 15n || key.n % 2n === 0n) {
		throw new TeachingInputError(`n must be odd and at least 15, got ${key.n}`);
	}

	if (bitLength(key.n) > MAX_MODULUS_BYTES * 8) {
		throw new TeachingInputError(
			`n has ${bitLength(key.n)} bits, more than ${MAX_MODULUS_BYTES * 8}`,
		);
	}

	if (key.e < 3n || key.e % 2n === 0n || key.e >= key.n) {
		throw new TeachingInputError(`e must be odd and in [3, n), got ${key.e}`);
	}
}

/**
 * Wire format, integers unsigned big-endian and minimal (no leading zero byte):
 *
 *   u16 nLength || n (nLength bytes) || u16 eLength || e (eLength bytes)
 *
 * and nothing after. n is odd, at least 15 and at most MAX_MODULUS_BYTES long; e is odd, in [3, n).
 */
export function encodePublicKey(key: TextbookRsaPublicKey): Uint8Array {
	checkPublicKey(key);
	const n = bigIntToBytes(key.n);
	const e = bigIntToBytes(key.e);
	const out = new Uint8Array(2 + n.length + 2 + e.length);
	const view = new DataView(out.buffer);
	view.setUint16(0, n.length);
	out.set(n, 2);
	view.setUint16(2 + n.length, e.length);
	out.set(e, 4 + n.length);
	return out;
}

/** The inverse of encodePublicKey; every deviation from the format is a TeachingInputError. */
export function decodePublicKey(bytes: Uint8Array): TextbookRsaPublicKey {
	let offset = 0;
	const readInteger = (name: string, maxLength: number): bigint => {
		if (bytes.length - offset < 2) {
			throw new TeachingInputError(`public key truncated: no length for ${name} at byte ${offset}`);
		}

		const length = (bytes[offset]! << 8) | bytes[offset + 1]!;
		offset += 2;
		if (length === 0) throw new TeachingInputError(`public key: ${name} has length 0`);
		if (length > maxLength) {
			throw new TeachingInputError(
				`public key: ${name} is ${length} bytes, more than ${maxLength}`,
			);
		}

		if (bytes.length - offset < length) {
			throw new TeachingInputError(
				`public key truncated: ${name} needs ${length} bytes, ${bytes.length - offset} left`,
			);
		}

		if (bytes[offset] === 0)
			throw new TeachingInputError(`public key: ${name} has a leading zero byte`);
		const value = bytesToBigInt(bytes.subarray(offset, offset + length));
		offset += length;
		return value;
	};

	const n = readInteger('n', MAX_MODULUS_BYTES);
	const e = readInteger('e', MAX_MODULUS_BYTES);
	if (offset !== bytes.length) {
		throw new TeachingInputError(`public key: ${bytes.length - offset} bytes after e`);
	}

	const key = {n, e};
	checkPublicKey(key);
	return key;
}

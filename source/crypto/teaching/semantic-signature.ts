/**
 * The seed coursework's "semantic RSA" signature, made to work and kept as an exhibit.
 *
 * Source: the seed design. The signer "encrypted" the sentence "Alice, this is Bob" with its
 * textbook RSA private key (s = m^d mod n, Stallings 9.2 run backwards) and XORed in
 * SHA-1("The quick brown fox jumps over the lazy dog") (FIPS 180-4), a fixed constant.
 * Verification undoes the XOR, raises to e and compares. Here the message is any bytes (the seed
 * sentence or a transcript digest).
 *
 * INSECURE: for teaching only. Why, point by point:
 *   - The XOR mask is a public constant: it hides nothing and adds nothing. Anyone strips it off.
 *   - No freshness: the signed sentence is fixed, so the signature is the same on every run and a
 *     recorded one replays forever. (Signing the transcript instead helps only if the transcript
 *     holds the peer's fresh random.)
 *   - Textbook RSA signatures are malleable and forgeable: sig(a) * sig(b) = sig(a * b) mod n, and
 *     for any s, s is a valid signature of s^e mod n (existential forgery), with no padding
 *     (RSA-PSS, RFC 8017 8.1) to rule those messages out.
 *   - Blocks are signed one by one with nothing binding them together: blocks from signatures of
 *     equally long representatives can be spliced into a signature of the mixed representative.
 *   - Long messages are hashed with SHA-1, which has practical collisions (SHAttered, 2017) and
 *     chosen-prefix collisions (Leurent and Peyrin, 2020): one signature covers two documents.
 *   - Small keys (16 to 64 bits, as the lab makes them) are factored by ./factoring.ts in
 *     milliseconds, which hands anyone d.
 */
import {createHash} from 'node:crypto';
import {
	bytesToBlocks,
	type TextbookRsaExponent,
	type TextbookRsaPublicKey,
} from './textbook-rsa.js';
import {bigIntToBytes, bitLength, bytesToBigInt, modPow} from './number-theory.js';

export const FOX_SENTENCE = 'The quick brown fox jumps over the lazy dog';
const foxDigest = sha1(new TextEncoder().encode(FOX_SENTENCE));

/** SHA-1 of FOX_SENTENCE, 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12 (a copy each call). */
export function foxSha1(): Uint8Array {
	return foxDigest.slice();
}

/** What the seed's server signed to say who it was. */
export const SEED_MESSAGE = 'Alice, this is Bob';

/** Representative tags: the message itself, or SHA-1 of it when it does not fit one block. */
const TAG_MESSAGE = 0x00;
const TAG_SHA1 = 0x01;

function sha1(bytes: Uint8Array): Uint8Array {
	return new Uint8Array(createHash('sha1').update(bytes).digest());
}

/**
 * What gets raised to d, as bytes before the block framing of textbook-rsa.ts (bytesToBlocks):
 *
 *   0x00 || message          when that frames into a single block below n (the seed's case), else
 *   0x01 || SHA-1(message)   framed into as many blocks as n needs (one byte each for a 16-bit n)
 *
 * The tag keeps a short message that happens to equal some SHA-1 digest from standing in for the
 * long message behind that digest.
 */
export function signedRepresentative(message: Uint8Array, n: bigint): Uint8Array {
	const direct = new Uint8Array(1 + message.length);
	direct[0] = TAG_MESSAGE;
	direct.set(message, 1);
	if (bytesToBlocks(direct, n).length === 1) return direct;
	const hashed = new Uint8Array(1 + 20);
	hashed[0] = TAG_SHA1;
	hashed.set(sha1(message), 1);
	return hashed;
}

/** The seed's semantic key, cut to the bit length of n (its low bits) so s xor mask keeps its width. */
function semanticMask(n: bigint): bigint {
	return bytesToBigInt(foxDigest) & ((1n << BigInt(bitLength(n))) - 1n);
}

/** Bytes per signature element: the byte length of n. */
export function elementSizeBytes(n: bigint): number {
	return Math.ceil(bitLength(n) / 8);
}

/**
 * Signature format: for each block m_i of the representative, (m_i^d mod n) xor mask as an
 * elementSizeBytes(n)-byte big-endian integer, concatenated.
 */
export function sign(message: Uint8Array, key: TextbookRsaExponent): Uint8Array {
	const blocks = bytesToBlocks(signedRepresentative(message, key.n), key.n);
	const mask = semanticMask(key.n);
	const size = elementSizeBytes(key.n);
	const signature = new Uint8Array(blocks.length * size);
	for (const [i, block] of blocks.entries()) {
		signature.set(bigIntToBytes(modPow(block, key.d, key.n) ^ mask, size), i * size);
	}

	return signature;
}

/** True when `signature` is sign(message) under the key behind `key`; false for anything else. */
export function verify(
	message: Uint8Array,
	signature: Uint8Array,
	key: TextbookRsaPublicKey,
): boolean {
	const blocks = bytesToBlocks(signedRepresentative(message, key.n), key.n);
	const size = elementSizeBytes(key.n);
	if (signature.length !== blocks.length * size) return false;
	const mask = semanticMask(key.n);
	return blocks.every((block, i) => {
		const s = bytesToBigInt(signature.subarray(i * size, (i + 1) * size)) ^ mask;
		return s < key.n && modPow(s, key.e, key.n) === block;
	});
}

/**
 * Simplified DES (S-DES): Schaefer, "A Simplified Data Encryption Standard Algorithm",
 * Cryptologia 20(1), 1996, as printed in Stallings, "Cryptography and Network Security", appendix
 * "Simplified DES". 10-bit key, 8-bit blocks, two Feistel rounds:
 *
 *   encrypt = IP^-1 . fK2 . SW . fK1 . IP        decrypt = IP^-1 . fK1 . SW . fK2 . IP
 *
 * Bits are numbered 1..n from the most significant, as in the book's tables. The seed coursework
 * used S-DES for its records and never got it working; this one passes the book's vectors
 * (test/vectors/sdes.json).
 *
 * INSECURE: for teaching only. 1024 keys are tried in well under a millisecond (bruteForceKeys),
 * 8-bit blocks repeat after a few dozen bytes, and the CBC records below carry no MAC, so flipping
 * a ciphertext bit flips the same bit of the next plaintext byte (malleable).
 */
import {createHash, randomBytes} from 'node:crypto';
import {TeachingInputError} from './errors.js';

/** A 10-bit key (0..1023). */
export type SdesKey = number;
export type SdesSubkeys = {readonly k1: number; readonly k2: number};

const P10 = [3, 5, 2, 7, 4, 10, 1, 9, 8, 6] as const;
const P8 = [6, 3, 7, 4, 8, 5, 10, 9] as const;
const IP = [2, 6, 3, 1, 4, 8, 5, 7] as const;
const IP_INVERSE = [4, 1, 3, 5, 7, 2, 8, 6] as const;
const EP = [4, 1, 2, 3, 2, 3, 4, 1] as const;
const P4 = [2, 4, 3, 1] as const;
/** Row = bits 1 and 4 of the 4-bit input, column = bits 2 and 3. */
const S0 = [
	[1, 0, 3, 2],
	[3, 2, 1, 0],
	[0, 2, 1, 3],
	[3, 1, 3, 2],
] as const;
const S1 = [
	[0, 1, 2, 3],
	[2, 0, 1, 3],
	[3, 0, 1, 0],
	[2, 1, 0, 3],
] as const;

export const KEY_BITS = 10;
export const KEY_COUNT = 1 << KEY_BITS;

/** Output bit i (from the top) is input bit table[i] of a `width`-bit value. */
function permute(value: number, width: number, table: readonly number[]): number {
	let out = 0;
	for (const position of table) out = (out << 1) | ((value >> (width - position)) & 1);
	return out;
}

function requireKey(key: SdesKey): void {
	if (!Number.isInteger(key) || key < 0 || key >= KEY_COUNT) {
		throw new TeachingInputError(`S-DES key must be an integer in [0, 1023], got ${key}`);
	}
}

function requireByte(what: string, value: number): void {
	if (!Number.isInteger(value) || value < 0 || value > 0xff) {
		throw new TeachingInputError(`S-DES ${what} must be an integer in [0, 255], got ${value}`);
	}
}

/** Circular left shift of a 5-bit half. */
const rotateLeft5 = (half: number, count: number): number =>
	((half << count) | (half >> (5 - count))) & 0x1f;

/** Key generation (Stallings figure G.2): P10, LS-1 on each half, P8 -> K1; LS-2 more, P8 -> K2. */
export function keySchedule(key: SdesKey): SdesSubkeys {
	requireKey(key);
	const p10 = permute(key, 10, P10);
	let left = rotateLeft5(p10 >> 5, 1);
	let right = rotateLeft5(p10 & 0x1f, 1);
	const k1 = permute((left << 5) | right, 10, P8);
	left = rotateLeft5(left, 2);
	right = rotateLeft5(right, 2);
	const k2 = permute((left << 5) | right, 10, P8);
	return {k1, k2};
}

function sBox(box: ReadonlyArray<readonly number[]>, nibble: number): number {
	const row = (((nibble >> 3) & 1) << 1) | (nibble & 1);
	const column = (nibble >> 1) & 0b11;
	return box[row]![column]!;
}

/** F(R, SK) = P4(S0 || S1 of (E/P(R) xor SK)). */
function roundFunction(right: number, subkey: number): number {
	const mixed = permute(right, 4, EP) ^ subkey;
	return permute((sBox(S0, mixed >> 4) << 2) | sBox(S1, mixed & 0xf), 4, P4);
}

/** fK(L, R) = (L xor F(R, SK), R). */
function fK(block: number, subkey: number): number {
	const right = block & 0xf;
	return (((block >> 4) ^ roundFunction(right, subkey)) << 4) | right;
}

const swapHalves = (block: number): number => ((block & 0xf) << 4) | (block >> 4);

function crypt(block: number, first: number, second: number): number {
	return permute(fK(swapHalves(fK(permute(block, 8, IP), first)), second), 8, IP_INVERSE);
}

export function encryptBlock(plaintext: number, key: SdesKey | SdesSubkeys): number {
	requireByte('plaintext block', plaintext);
	const {k1, k2} = typeof key === 'number' ? keySchedule(key) : key;
	return crypt(plaintext, k1, k2);
}

export function decryptBlock(ciphertext: number, key: SdesKey | SdesSubkeys): number {
	requireByte('ciphertext block', ciphertext);
	const {k1, k2} = typeof key === 'number' ? keySchedule(key) : key;
	return crypt(ciphertext, k2, k1);
}

// ---------------------------------------------------------------------------------------------
// Records: CBC over bytes

/**
 * CBC with one-byte blocks (NIST SP 800-38A 6.2, with S-DES as the block cipher), so there is no
 * padding. Record format:
 *
 *   iv (1 byte) || c_1 .. c_len (one byte each),  c_i = E_K(p_i xor c_(i-1)),  c_0 = iv
 *
 * A fresh random IV is drawn when none is given. No MAC: the record is malleable (flipping bit j of
 * c_(i-1) flips bit j of p_i and garbles p_(i-1)) and the 10-bit key falls to a 1024-try search.
 */
export function encryptCbc(plaintext: Uint8Array, key: SdesKey, iv?: number): Uint8Array {
	const subkeys = keySchedule(key);
	const chainStart = iv ?? randomBytes(1)[0]!;
	requireByte('IV', chainStart);
	const record = new Uint8Array(1 + plaintext.length);
	record[0] = chainStart;
	let previous = chainStart;
	for (const [index, byte] of plaintext.entries()) {
		previous = crypt(byte ^ previous, subkeys.k1, subkeys.k2);
		record[index + 1] = previous;
	}

	return record;
}

/** The inverse of encryptCbc: p_i = D_K(c_i) xor c_(i-1). Any record of 1 byte or more decrypts. */
export function decryptCbc(record: Uint8Array, key: SdesKey): Uint8Array {
	if (record.length === 0) throw new TeachingInputError('S-DES CBC record must hold its 1-byte IV');
	const {k1, k2} = keySchedule(key);
	const plaintext = new Uint8Array(record.length - 1);
	for (let i = 1; i < record.length; i++) {
		plaintext[i - 1] = crypt(record[i]!, k2, k1) ^ record[i - 1]!;
	}

	return plaintext;
}

/** A 10-bit key from any bytes: the first 10 bits of SHA-256(bytes). Hashing is not the lesson. */
export function deriveKey(secret: Uint8Array): SdesKey {
	const digest = createHash('sha256').update(secret).digest();
	return (digest[0]! << 2) | (digest[1]! >> 6);
}

// ---------------------------------------------------------------------------------------------
// The attack lab

export type KnownBlock = {readonly plaintext: number; readonly ciphertext: number};

/**
 * Keys K and K xor TWIN_KEY_DIFFERENCE have the same K2 and K1s that differ in two bits; their
 * permutations agree on 160 of the 256 blocks (measured over all 1024 keys, see the tests). So a
 * short known plaintext often leaves the twin of the true key among the candidates.
 */
export const TWIN_KEY_DIFFERENCE = 0b0001001000;

/**
 * Exhaustive key search: every key (of all 1024) that encrypts each known plaintext block to its
 * ciphertext block. One pair leaves a handful of candidates; each further pair removes most wrong
 * keys, except the true key's twin, which survives each pair with probability 5/8.
 */
export function bruteForceKeys(known: readonly KnownBlock[]): SdesKey[] {
	if (known.length === 0)
		throw new TeachingInputError('brute force needs at least one known block');
	for (const pair of known) {
		requireByte('known plaintext block', pair.plaintext);
		requireByte('known ciphertext block', pair.ciphertext);
	}

	const candidates: SdesKey[] = [];
	for (let key = 0; key < KEY_COUNT; key++) {
		const {k1, k2} = keySchedule(key);
		if (known.every((pair) => crypt(pair.plaintext, k1, k2) === pair.ciphertext)) {
			candidates.push(key);
		}
	}

	return candidates;
}

/**
 * Every key under which a CBC record decrypts to something starting with `knownPrefix` (a
 * protocol header, say): in CBC, p_i xor c_(i-1) is the block cipher's input, so the known prefix
 * gives known plaintext/ciphertext pairs directly.
 */
export function bruteForceCbcKeys(record: Uint8Array, knownPrefix: Uint8Array): SdesKey[] {
	if (record.length < 1 + knownPrefix.length) {
		throw new TeachingInputError(
			`record has ${record.length - 1} ciphertext bytes, fewer than the ${knownPrefix.length} known`,
		);
	}

	return bruteForceKeys(
		[...knownPrefix].map((byte, i) => ({plaintext: byte ^ record[i]!, ciphertext: record[i + 1]!})),
	);
}

/** '1010000010' -> 0b1010000010: the bit-string notation of the book and the vectors. */
export function parseBits(bits: string, width: number): number {
	if (bits.length !== width || !/^[01]+$/.test(bits)) {
		throw new TeachingInputError(`expected ${width} binary digits, got '${bits}'`);
	}

	return Number.parseInt(bits, 2);
}

export function formatBits(value: number, width: number): string {
	if (!Number.isInteger(value) || value < 0 || value >= 2 ** width) {
		throw new TeachingInputError(`${value} does not fit in ${width} bits`);
	}

	return value.toString(2).padStart(width, '0');
}

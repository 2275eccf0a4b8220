import {describe, expect, it} from 'vitest';
import fc from 'fast-check';
import {
	bruteForceCbcKeys,
	bruteForceKeys,
	decryptBlock,
	decryptCbc,
	deriveKey,
	encryptBlock,
	encryptCbc,
	formatBits,
	keySchedule,
	parseBits,
	TWIN_KEY_DIFFERENCE,
} from '../../../source/crypto/teaching/sdes.js';
import {TeachingInputError} from '../../../source/crypto/teaching/errors.js';
import {sdesVectors} from './vectors.js';

const key = fc.integer({min: 0, max: 1023});
const byte = fc.integer({min: 0, max: 255});
const encoder = new TextEncoder();

describe('S-DES vectors (test/vectors/sdes.json)', () => {
	for (const v of sdesVectors.subkeys) {
		it(`subkeys of ${v.key} (${v.source})`, () => {
			const {k1, k2} = keySchedule(parseBits(v.key, 10));
			expect(formatBits(k1, 8)).toBe(v.k1);
			expect(formatBits(k2, 8)).toBe(v.k2);
		});
	}

	for (const v of sdesVectors.encrypt) {
		it(`encrypt ${v.plaintext} under ${v.key} (${v.source})`, () => {
			const k = parseBits(v.key, 10);
			expect(formatBits(encryptBlock(parseBits(v.plaintext, 8), k), 8)).toBe(v.ciphertext);
			expect(formatBits(decryptBlock(parseBits(v.ciphertext, 8), k), 8)).toBe(v.plaintext);
		});
	}

	for (const v of sdesVectors.decrypt) {
		it(`decrypt ${v.ciphertext} under ${v.key} (${v.source})`, () => {
			const k = parseBits(v.key, 10);
			expect(formatBits(decryptBlock(parseBits(v.ciphertext, 8), k), 8)).toBe(v.plaintext);
			expect(formatBits(encryptBlock(parseBits(v.plaintext, 8), k), 8)).toBe(v.ciphertext);
		});
	}

	it('has the tables the description lists', () => {
		expect(sdesVectors.description).toContain('P10 3 5 2 7 4 10 1 9 8 6');
		expect(
			sdesVectors.subkeys.length + sdesVectors.encrypt.length + sdesVectors.decrypt.length,
		).toBe(6);
	});
});

describe('S-DES blocks', () => {
	it('decrypt inverts encrypt for every key and block', () => {
		fc.assert(
			fc.property(key, byte, (k, block) => {
				expect(decryptBlock(encryptBlock(block, k), k)).toBe(block);
				expect(encryptBlock(block, keySchedule(k))).toBe(encryptBlock(block, k));
			}),
			{numRuns: 1000},
		);
	});

	it('is a permutation of the 256 blocks under each key', () => {
		for (const k of [0, 0b1010000010, 1023]) {
			const images = new Set(Array.from({length: 256}, (_, block) => encryptBlock(block, k)));
			expect(images.size).toBe(256);
		}
	});

	it('rejects keys and blocks out of range', () => {
		expect(() => keySchedule(1024)).toThrow(/key must be an integer in \[0, 1023\], got 1024/);
		expect(() => encryptBlock(256, 0)).toThrow(/plaintext block must be an integer in \[0, 255\]/);
		expect(() => decryptBlock(-1, 0)).toThrow(/ciphertext block must be/);
		expect(() => encryptBlock(1.5, 0)).toThrow(TeachingInputError);
		expect(() => parseBits('101', 10)).toThrow(/expected 10 binary digits, got '101'/);
		expect(() => parseBits('10100000a2', 10)).toThrow(TeachingInputError);
	});
});

describe('S-DES CBC records', () => {
	it('round-trips random bytes under random keys and IVs, empty input included', () => {
		fc.assert(
			fc.property(key, byte, fc.uint8Array({maxLength: 64}), (k, iv, plaintext) => {
				const record = encryptCbc(plaintext, k, iv);
				expect(record.length).toBe(plaintext.length + 1);
				expect(record[0]).toBe(iv);
				expect(decryptCbc(record, k)).toEqual(plaintext);
			}),
			{numRuns: 500},
		);
		expect(decryptCbc(encryptCbc(new Uint8Array(), 5), 5)).toEqual(new Uint8Array());
	});

	it('chains: c_i = E(p_i xor c_(i-1)), so repeated bytes do not repeat', () => {
		const record = encryptCbc(new Uint8Array([0x41, 0x41]), 0b1010000010, 0x5a);
		expect(record[1]).toBe(encryptBlock(0x41 ^ 0x5a, 0b1010000010));
		expect(record[2]).toBe(encryptBlock(0x41 ^ record[1]!, 0b1010000010));
	});

	it('is malleable: flipping a ciphertext bit flips that bit of the next plaintext byte', () => {
		const k = deriveKey(encoder.encode('session secret'));
		const record = encryptCbc(encoder.encode('PAY 100'), k, 0x33);
		record[4]! ^= 0x01 ^ 0x09; // the byte before '1' becomes the chaining value of '1'
		expect(new TextDecoder().decode(decryptCbc(record, k)).slice(4)).toBe('900');
	});

	it('rejects a record without its IV', () => {
		expect(() => decryptCbc(new Uint8Array(), 0)).toThrow(/must hold its 1-byte IV/);
		expect(() => encryptCbc(new Uint8Array(), 0, 256)).toThrow(/IV must be an integer/);
	});
});

describe('key derivation and brute force', () => {
	it('derives the first 10 bits of SHA-256', () => {
		// SHA-256('abc') = ba7816bf...: 0xba = 10111010, 0x78 = 01111000 -> 1011101001
		expect(formatBits(deriveKey(encoder.encode('abc')), 10)).toBe('1011101001');
		fc.assert(
			fc.property(fc.uint8Array(), (bytes) => {
				const k = deriveKey(bytes);
				expect(Number.isInteger(k) && k >= 0 && k < 1024).toBe(true);
			}),
		);
	});

	it('finds the Stallings key among the candidates for one known pair', () => {
		const candidates = bruteForceKeys([{plaintext: 0b10010111, ciphertext: 0b00111000}]);
		expect(candidates).toContain(0b1010000010);
		for (const k of candidates) expect(encryptBlock(0b10010111, k)).toBe(0b00111000);
	});

	it('keeps every key consistent with a known CBC prefix, and the true key among them', () => {
		fc.assert(
			fc.property(key, byte, (k, iv) => {
				const record = encryptCbc(encoder.encode('GET /balance'), k, iv);
				const candidates = bruteForceCbcKeys(record, encoder.encode('GET '));
				expect(candidates).toContain(k);
				for (const candidate of candidates) {
					expect(decryptCbc(record, candidate).subarray(0, 4)).toEqual(encoder.encode('GET '));
				}
			}),
			{numRuns: 30},
		);
	});

	it('pins the key down with 48 known bytes despite twin keys', () => {
		// A twin agrees on 160 of 256 blocks: 48 known bytes all agree with odds (5/8)^48 < 10^-9.
		fc.assert(
			fc.property(key, byte, fc.uint8Array({minLength: 48, maxLength: 48}), (k, iv, known) => {
				const record = encryptCbc(known, k, iv);
				expect(bruteForceCbcKeys(record, known)).toEqual([k]);
			}),
			{numRuns: 20},
		);
	});

	it('has twin keys: K and K xor 0b0001001000 share K2 and agree on 160 of 256 blocks', () => {
		for (let k = 0; k < 1024; k++) {
			const twin = k ^ TWIN_KEY_DIFFERENCE;
			expect(keySchedule(twin).k2).toBe(keySchedule(k).k2);
			let agreeing = 0;
			for (let block = 0; block < 256; block++) {
				if (encryptBlock(block, k) === encryptBlock(block, twin)) agreeing++;
			}

			expect(agreeing).toBe(160);
		}
	});

	it('needs known plaintext', () => {
		expect(() => bruteForceKeys([])).toThrow(/at least one known block/);
		expect(() => bruteForceCbcKeys(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toThrow(
			/1 ciphertext bytes, fewer than the 2 known/,
		);
	});
});

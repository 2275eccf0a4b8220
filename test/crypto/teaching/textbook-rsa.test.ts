import {describe, expect, it} from 'vitest';
import fc from 'fast-check';
import {
	bitLength,
	blockSizeBytes,
	blocksToBytes,
	blocksToText,
	bytesToBlocks,
	decodePublicKey,
	decrypt,
	decryptCrt,
	decryptText,
	encodePublicKey,
	encrypt,
	encryptText,
	gcd,
	generateKeyPair,
	privateKeyFromFactors,
	publicKeyOf,
	textToBlocks,
} from '../../../source/crypto/teaching/textbook-rsa.js';
import {TeachingInputError} from '../../../source/crypto/teaching/errors.js';
import {textbookRsaVectors} from './vectors.js';

const keyBits = fc.integer({min: 16, max: 128});

describe('textbook RSA vectors (test/vectors/textbook-rsa.json)', () => {
	for (const [index, v] of textbookRsaVectors.examples.entries()) {
		it(`Stallings RSA example ${index} (p=${v.p}, q=${v.q}, e=${v.e})`, () => {
			const key = privateKeyFromFactors(BigInt(v.p), BigInt(v.q), BigInt(v.e));
			expect(key.n).toBe(BigInt(v.n));
			expect((BigInt(v.p) - 1n) * (BigInt(v.q) - 1n)).toBe(BigInt(v.phi));
			expect(key.d).toBe(BigInt(v.d));
			expect(encrypt(BigInt(v.message), key)).toBe(BigInt(v.ciphertext));
			expect(decrypt(BigInt(v.ciphertext), key)).toBe(BigInt(v.message));
			expect(decryptCrt(BigInt(v.ciphertext), key)).toBe(BigInt(v.message));
		});
	}
});

describe('key generation', () => {
	it('gives a modulus of exactly the asked size, with consistent CRT parameters', () => {
		for (const bits of [8, 9, 16, 17, 32, 48, 64, 127, 256]) {
			const key = generateKeyPair(bits);
			expect(bitLength(key.n), `${bits}`).toBe(bits);
			expect(key.p * key.q).toBe(key.n);
			expect(key.p).not.toBe(key.q);
			const phi = (key.p - 1n) * (key.q - 1n);
			expect((key.e * key.d) % phi).toBe(1n);
			expect(key.dP).toBe(key.d % (key.p - 1n));
			expect(key.dQ).toBe(key.d % (key.q - 1n));
			expect((key.q * key.qInv) % key.p).toBe(1n);
		}
	});

	it('picks 65537 when it fits, else the smallest odd e coprime with phi', () => {
		expect(generateKeyPair(64).e).toBe(65_537n);
		for (let i = 0; i < 20; i++) {
			const key = generateKeyPair(12);
			const phi = (key.p - 1n) * (key.q - 1n);
			if (phi > 65_537n) continue;
			for (let e = 3n; e < key.e; e += 2n) expect(gcd(e, phi)).not.toBe(1n);
			expect(gcd(key.e, phi)).toBe(1n);
		}
	});

	it('refuses sizes outside [8, 4096]', () => {
		expect(() => generateKeyPair(7)).toThrow(/\[8, 4096\], got 7/);
		expect(() => generateKeyPair(16.5)).toThrow(TeachingInputError);
	});
});

describe('encrypt and decrypt', () => {
	it('round-trips random messages below n, directly and through the CRT', () => {
		fc.assert(
			fc.property(keyBits, fc.bigInt({min: 0n, max: (1n << 128n) - 1n}), (bits, raw) => {
				const key = generateKeyPair(bits);
				const m = raw % key.n;
				const c = encrypt(m, key);
				expect(c < key.n).toBe(true);
				expect(decrypt(c, key)).toBe(m);
				expect(decryptCrt(c, key)).toBe(m);
			}),
			{numRuns: 200},
		);
	});

	it('is malleable: E(a) * E(b) decrypts to a * b mod n', () => {
		const key = generateKeyPair(64);
		const [a, b] = [123_456_789n, 987_654_321n];
		const product = (encrypt(a, key) * encrypt(b, key)) % key.n;
		expect(decrypt(product, key)).toBe((a * b) % key.n);
	});

	it('refuses messages and ciphertexts outside [0, n)', () => {
		const key = privateKeyFromFactors(17n, 11n, 7n);
		expect(() => encrypt(187n, key)).toThrow(/message must be in \[0, n\), got 187 with n = 187/);
		expect(() => encrypt(-1n, key)).toThrow(TeachingInputError);
		expect(() => decrypt(200n, key)).toThrow(/ciphertext must be in/);
		expect(() => decryptCrt(187n, key)).toThrow(/ciphertext must be in/);
	});
});

describe('bytes and text as blocks', () => {
	const modulus = fc
		.integer({min: 9, max: 200})
		.chain((bits) => fc.bigInt({min: 1n << BigInt(bits - 1), max: (1n << BigInt(bits)) - 1n}));

	it('round-trips any bytes, including leading and trailing zeros and the empty input', () => {
		fc.assert(
			fc.property(modulus, fc.uint8Array({maxLength: 100}), (n, bytes) => {
				const blocks = bytesToBlocks(bytes, n);
				for (const block of blocks) expect(block >= 0n && block < n).toBe(true);
				expect(blocksToBytes(blocks, n)).toEqual(bytes);
			}),
			{numRuns: 300},
		);
		for (const bytes of [[], [0], [0, 0, 0, 1], [1, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0]]) {
			expect([...blocksToBytes(bytesToBlocks(new Uint8Array(bytes), 40_000n), 40_000n)]).toEqual(
				bytes,
			);
		}
	});

	it('round-trips UTF-8 text through encryption, with a tiny and a larger key', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(16, 40, 100),
				fc.string({unit: 'grapheme', maxLength: 30}),
				(bits, text) => {
					const key = generateKeyPair(bits);
					expect(blocksToText(textToBlocks(text, key.n), key.n)).toBe(text);
					expect(decryptText(encryptText(text, key), key)).toBe(text);
				},
			),
			{numRuns: 100},
		);
		const key = generateKeyPair(16);
		expect(decryptText(encryptText('Alice, this is Bob 🏦', key), key)).toBe(
			'Alice, this is Bob 🏦',
		);
	});

	it('uses floor((bitLength(n) - 1) / 8)-byte blocks', () => {
		expect(blockSizeBytes(40_000n)).toBe(1);
		expect(blockSizeBytes(1n << 16n)).toBe(2);
		expect(blockSizeBytes((1n << 2048n) - 1n)).toBe(255);
		expect(() => blockSizeBytes(255n)).toThrow(/needs 9 bits or more/);
	});

	it('rejects blocks that do not frame a message', () => {
		const n = 143n; // 8 bits: too small for a whole byte
		expect(() => bytesToBlocks(new Uint8Array([1]), n)).toThrow(/too small to hold a byte/);
		const n16 = 40_000n; // 16 bits, one-byte blocks
		const good = bytesToBlocks(new Uint8Array([7, 8]), n16);
		expect(good).toEqual([0n, 0n, 0n, 2n, 7n, 8n]);
		expect(() => blocksToBytes([...good, 0n], n16)).toThrow(/takes 6 blocks, got 7/);
		expect(() => blocksToBytes(good.slice(0, 5), n16)).toThrow(/takes 6 blocks, got 5/);
		expect(() => blocksToBytes([0n, 0n, 0n], n16)).toThrow(/fewer than the 4-byte length prefix/);
		expect(() => blocksToBytes([0n, 0n, 0n, 2n, 256n, 8n], n16)).toThrow(
			/block 4 is not a 1-byte value/,
		);
		const n24 = 1n << 23n; // two-byte blocks: [len len][len len][7 pad]
		expect(() => blocksToBytes([0n, 1n, 0x0701n], n24)).toThrow(/padding after the message/);
	});
});

describe('public key wire format', () => {
	it('round-trips generated keys', () => {
		for (const bits of [16, 64, 512]) {
			const key = publicKeyOf(generateKeyPair(bits));
			expect(decodePublicKey(encodePublicKey(key))).toEqual(key);
		}
	});

	it('writes u16 length || n || u16 length || e', () => {
		const key = {n: 187n, e: 7n};
		expect([...encodePublicKey(key)]).toEqual([0, 1, 187, 0, 1, 7]);
		expect([...encodePublicKey({n: 0x01_00_01n, e: 65_537n - 2n})]).toEqual([
			0, 3, 1, 0, 1, 0, 2, 0xff, 0xff,
		]);
	});

	it('rejects every malformed encoding with a clear error', () => {
		const cases: Array<[number[], RegExp]> = [
			[[], /no length for n at byte 0/],
			[[0], /no length for n at byte 0/],
			[[0, 0], /n has length 0/],
			[[0, 2, 187], /n needs 2 bytes, 1 left/],
			[[0, 2, 0, 187, 0, 1, 7], /n has a leading zero byte/],
			[[0, 1, 187], /no length for e at byte 3/],
			[[0, 1, 187, 0, 1], /e needs 1 bytes, 0 left/],
			[[0, 1, 187, 0, 1, 7, 0], /1 bytes after e/],
			[[0, 1, 187, 0, 1, 1], /e must be odd and in \[3, n\), got 1/],
			[[0, 1, 187, 0, 1, 200], /e must be odd and in \[3, n\), got 200/],
			[[0, 1, 186, 0, 1, 7], /n must be odd and at least 15, got 186/],
			[[0x04, 0x01], /n is 1025 bytes, more than 1024/],
		];
		for (const [bytes, message] of cases) {
			expect(() => decodePublicKey(new Uint8Array(bytes)), bytes.join(',')).toThrow(message);
		}

		expect(() => encodePublicKey({n: 187n, e: 2n})).toThrow(TeachingInputError);
	});

	it('never throws anything but TeachingInputError on random bytes', () => {
		fc.assert(
			fc.property(fc.uint8Array({maxLength: 40}), (bytes) => {
				try {
					const key = decodePublicKey(bytes);
					expect(encodePublicKey(key)).toEqual(bytes);
				} catch (error) {
					expect(error).toBeInstanceOf(TeachingInputError);
				}
			}),
			{numRuns: 500},
		);
	});
});

import {createHash} from 'node:crypto';
import {describe, expect, it} from 'vitest';
import fc from 'fast-check';
import {
	SEED_MESSAGE,
	elementSizeBytes,
	foxSha1,
	sign,
	signedRepresentative,
	verify,
} from '../../../source/crypto/teaching/semantic-signature.js';
import {
	generateKeyPair,
	publicKeyOf,
	recoverPrivateKey,
} from '../../../source/crypto/teaching/textbook-rsa.js';

const encoder = new TextEncoder();
const seedMessage = encoder.encode(SEED_MESSAGE);

describe('semantic RSA signature', () => {
	it('uses SHA-1 of the fox sentence (FIPS 180 example digest)', () => {
		expect(Buffer.from(foxSha1()).toString('hex')).toBe('2fd4e1c67a2d28fced849ee1bb76e7391b93eb12');
	});

	for (const bits of [16, 64, 512]) {
		it(`verifies a genuine signature of "Alice, this is Bob" with a ${bits}-bit key`, () => {
			const key = generateKeyPair(bits);
			const signature = sign(seedMessage, key);
			expect(signature.length % elementSizeBytes(key.n)).toBe(0);
			expect(verify(seedMessage, signature, publicKeyOf(key))).toBe(true);
		});
	}

	it('signs the sentence itself when it fits one block, and a SHA-1 digest otherwise', () => {
		expect(signedRepresentative(seedMessage, generateKeyPair(512).n)[0]).toBe(0x00);
		const digest = signedRepresentative(seedMessage, generateKeyPair(64).n);
		expect(digest[0]).toBe(0x01);
		expect(digest.subarray(1)).toEqual(
			new Uint8Array(createHash('sha1').update(seedMessage).digest()),
		);
	});

	it('rejects an altered message, an altered signature and the wrong key', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(16, 48, 128, 256),
				fc.uint8Array({maxLength: 80}),
				fc.nat(),
				fc.integer({min: 0, max: 7}),
				(bits, message, position, bit) => {
					const key = generateKeyPair(bits);
					const signature = sign(message, key);
					expect(verify(message, signature, key)).toBe(true);

					const alteredMessage = new Uint8Array([...message, 0x21]);
					expect(verify(alteredMessage, signature, key)).toBe(false);

					const alteredSignature = signature.slice();
					alteredSignature[position % signature.length]! ^= 1 << bit;
					expect(verify(message, alteredSignature, key)).toBe(false);

					expect(verify(message, signature.subarray(1), key)).toBe(false);
					expect(verify(message, new Uint8Array([...signature, 0]), key)).toBe(false);

					// 16-bit moduli repeat often (about a hundred exist), so draw until n differs.
					let otherKey = generateKeyPair(bits);
					while (otherKey.n === key.n) otherKey = generateKeyPair(bits);
					expect(verify(message, signature, otherKey)).toBe(false);
				},
			),
			{numRuns: 30},
		);
	});

	it('is the same on every run (no freshness: a recording replays)', () => {
		const key = generateKeyPair(64);
		expect(sign(seedMessage, key)).toEqual(sign(seedMessage, key));
	});

	it('is forged by anyone who factors a small modulus', () => {
		const key = generateKeyPair(64);
		const recovered = recoverPrivateKey(key.e, key.n);
		expect(recovered.recovered).toBe(true);
		if (!recovered.recovered) return;
		const forged = sign(encoder.encode('Alice, this is Mallory'), {n: key.n, d: recovered.d});
		expect(verify(encoder.encode('Alice, this is Mallory'), forged, publicKeyOf(key))).toBe(true);
	});
});

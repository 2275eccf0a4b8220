/**
 * Tests of source/crypto/primitives.ts: round trips, known answers from the RFCs (RFC 5869 A.1 and A.3,
 * RFC 7748 6.1, RFC 8032 7.1), and the refusals a peer would run into. The Wycheproof vector
 * sets are in primitives-wycheproof.test.ts.
 */
import {constants, createPrivateKey, generateKeyPairSync, sign} from 'node:crypto';
import {beforeAll, describe, expect, it} from 'vitest';
import {
	CryptoInputError,
	RSA_PSS_SALT_LENGTH,
	aeadOpen,
	aeadSeal,
	constantTimeEqual,
	ed25519GenerateKeyPair,
	ed25519PublicKeyFromRaw,
	ed25519Sign,
	ed25519Verify,
	hkdf,
	hkdfExpand,
	hkdfExtract,
	randomBytes,
	rsaGenerateKeyPair,
	rsaOaepDecrypt,
	rsaOaepEncrypt,
	rsaPssSign,
	rsaPssVerify,
	rsaPublicKeyFromSpki,
	rsaPublicKeyToSpki,
	sha256,
	wipe,
	x25519GenerateKeyPair,
	x25519PrivateKeyFromRaw,
	x25519PublicKeyFromRaw,
	x25519SharedSecret,
	type AeadAlgorithm,
	type RsaKeyPair,
} from '../../source/crypto/primitives.js';

const hex = (text: string): Buffer => Buffer.from(text, 'hex');

function expectCryptoInputError(action: () => unknown, message: RegExp): void {
	let thrown: unknown;
	try {
		action();
	} catch (error) {
		thrown = error;
	}

	expect(thrown, 'expected a CryptoInputError').toBeInstanceOf(CryptoInputError);
	expect((thrown as Error).message).toMatch(message);
}

/** Flips one bit of a copy. */
function flipBit(bytes: Uint8Array, index: number): Buffer {
	const copy = Buffer.from(bytes);
	copy[index] = copy[index]! ^ 0x01;
	return copy;
}

// ---------------------------------------------------------------------------------------------

describe('HKDF-SHA256 (RFC 5869)', () => {
	it('RFC 5869 A.1: basic test case with SHA-256', () => {
		const ikm = Buffer.alloc(22, 0x0b);
		const salt = hex('000102030405060708090a0b0c');
		const info = hex('f0f1f2f3f4f5f6f7f8f9');
		const prk = hkdfExtract(salt, ikm);
		expect(prk.toString('hex')).toBe(
			'077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5',
		);
		const okm =
			'3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865';
		expect(hkdfExpand(prk, info, 42).toString('hex')).toBe(okm);
		expect(hkdf(ikm, salt, info, 42).toString('hex')).toBe(okm);
	});

	it('RFC 5869 A.3: zero-length salt and info (an empty salt is HashLen zero bytes)', () => {
		const ikm = Buffer.alloc(22, 0x0b);
		const prk = hkdfExtract(Buffer.alloc(0), ikm);
		expect(prk.toString('hex')).toBe(
			'19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04',
		);
		expect(prk.equals(hkdfExtract(Buffer.alloc(32), ikm))).toBe(true);
		expect(hkdf(ikm, Buffer.alloc(0), Buffer.alloc(0), 42).toString('hex')).toBe(
			'8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8',
		);
	});

	it('RFC 5869 2.3: output lengths 0 and 255*32 work, a prefix of a longer output', () => {
		const prk = hkdfExtract(Buffer.from('salt'), Buffer.from('ikm'));
		expect(hkdfExpand(prk, Buffer.alloc(0), 0).length).toBe(0);
		const longest = hkdfExpand(prk, Buffer.from('info'), 255 * 32);
		expect(longest.length).toBe(8160);
		expect(hkdfExpand(prk, Buffer.from('info'), 33).equals(longest.subarray(0, 33))).toBe(true);
	});

	it('RFC 5869 2.3: rejects L > 255*HashLen, negative or fractional L, and a short PRK', () => {
		const prk = Buffer.alloc(32, 1);
		expectCryptoInputError(() => hkdfExpand(prk, Buffer.alloc(0), 8161), /0\.\.8160, got 8161/);
		expectCryptoInputError(() => hkdfExpand(prk, Buffer.alloc(0), -1), /got -1/);
		expectCryptoInputError(() => hkdfExpand(prk, Buffer.alloc(0), 1.5), /got 1.5/);
		expectCryptoInputError(
			() => hkdfExpand(Buffer.alloc(31), Buffer.alloc(0), 32),
			/PRK must be at least 32 bytes, got 31/,
		);
	});
});

// ---------------------------------------------------------------------------------------------

describe('AEAD round trips and refusals', () => {
	const algorithms: readonly AeadAlgorithm[] = ['chacha20-poly1305', 'aes-256-gcm'];
	const key = randomBytes(32);
	const nonce = randomBytes(12);
	const aad = Buffer.from('record header');
	const plaintext = Buffer.from('transfer 1234 cents to account 42');

	for (const algorithm of algorithms) {
		it(`${algorithm}: seal then open returns the plaintext; ciphertext || 16-byte tag`, () => {
			const sealed = aeadSeal(algorithm, key, nonce, plaintext, aad);
			expect(sealed.length).toBe(plaintext.length + 16);
			expect(sealed.subarray(0, plaintext.length).equals(plaintext)).toBe(false);
			expect(aeadOpen(algorithm, key, nonce, sealed, aad).equals(plaintext)).toBe(true);
			const empty = aeadSeal(algorithm, key, nonce, Buffer.alloc(0), Buffer.alloc(0));
			expect(empty.length).toBe(16);
			expect(aeadOpen(algorithm, key, nonce, empty, Buffer.alloc(0)).length).toBe(0);
		});

		it(`${algorithm}: a tampered tag, ciphertext, AAD, nonce or key fails authentication`, () => {
			const sealed = aeadSeal(algorithm, key, nonce, plaintext, aad);
			const failed = new RegExp(`^${algorithm} authentication failed$`);
			const open = (k: Uint8Array, n: Uint8Array, s: Uint8Array, a: Uint8Array) => () =>
				aeadOpen(algorithm, k, n, s, a);
			expectCryptoInputError(open(key, nonce, flipBit(sealed, sealed.length - 1), aad), failed);
			expectCryptoInputError(open(key, nonce, flipBit(sealed, 0), aad), failed);
			expectCryptoInputError(open(key, nonce, sealed, flipBit(aad, 0)), failed);
			expectCryptoInputError(open(key, flipBit(nonce, 0), sealed, aad), failed);
			expectCryptoInputError(open(flipBit(key, 0), nonce, sealed, aad), failed);
			expectCryptoInputError(open(key, nonce, sealed.subarray(0, -1), aad), failed);
		});

		it(`${algorithm}: wrong key length, wrong nonce length and a missing tag are refused`, () => {
			for (const length of [0, 16, 24, 31, 33]) {
				const wrongKey = randomBytes(length);
				const message = new RegExp(`^${algorithm} key must be 32 bytes, got ${length}$`);
				expectCryptoInputError(() => aeadSeal(algorithm, wrongKey, nonce, plaintext, aad), message);
				expectCryptoInputError(() => aeadOpen(algorithm, wrongKey, nonce, plaintext, aad), message);
			}

			for (const length of [0, 8, 11, 13, 16, 24]) {
				const wrongNonce = randomBytes(length);
				const message = new RegExp(`^${algorithm} nonce must be 12 bytes, got ${length}$`);
				expectCryptoInputError(() => aeadSeal(algorithm, key, wrongNonce, plaintext, aad), message);
				expectCryptoInputError(() => aeadOpen(algorithm, key, wrongNonce, plaintext, aad), message);
			}

			expectCryptoInputError(
				() => aeadOpen(algorithm, key, nonce, Buffer.alloc(15), aad),
				/must hold a 16-byte tag, got 15 bytes/,
			);
		});
	}

	it('NIST SP 800-38D: AES-128 (16-byte key) is refused by the AES-256-GCM wrapper', () => {
		expectCryptoInputError(
			() => aeadSeal('aes-256-gcm', Buffer.alloc(16), nonce, plaintext, aad),
			/aes-256-gcm key must be 32 bytes, got 16/,
		);
	});
});

// ---------------------------------------------------------------------------------------------

describe('X25519 (RFC 7748)', () => {
	// RFC 7748 section 6.1 (also wycheproof x25519 tcId 102).
	const alicePrivate = hex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
	const alicePublic = hex('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
	const bobPrivate = hex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb');
	const bobPublic = hex('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
	const shared = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';

	it('RFC 7748 6.1: Alice and Bob compute the same shared secret, both ways', () => {
		const alice = x25519PrivateKeyFromRaw(alicePrivate);
		const bob = x25519PrivateKeyFromRaw(bobPrivate);
		expect(x25519SharedSecret(alice, bobPublic).toString('hex')).toBe(shared);
		expect(x25519SharedSecret(bob, alicePublic).toString('hex')).toBe(shared);
	});

	it('fresh key pairs agree both ways, and a third party gets something else', () => {
		const alice = x25519GenerateKeyPair();
		const bob = x25519GenerateKeyPair();
		const eve = x25519GenerateKeyPair();
		expect(alice.publicKey.length).toBe(32);
		const ab = x25519SharedSecret(alice.privateKey, bob.publicKey);
		expect(ab.equals(x25519SharedSecret(bob.privateKey, alice.publicKey))).toBe(true);
		expect(ab.equals(x25519SharedSecret(eve.privateKey, bob.publicKey))).toBe(false);
	});

	it('RFC 8446 7.4.2: an all-zero shared secret (low-order peer point) is refused, naming "all zero"', () => {
		const {privateKey} = x25519GenerateKeyPair();
		const zero = Buffer.alloc(32);
		const one = Buffer.concat([Uint8Array.of(1), Buffer.alloc(31)]);
		expectCryptoInputError(() => x25519SharedSecret(privateKey, zero), /all zero/);
		expectCryptoInputError(() => x25519SharedSecret(privateKey, one), /all zero/);
	});

	it('a peer key of the wrong length and a private key of the wrong type are refused', () => {
		const {privateKey} = x25519GenerateKeyPair();
		for (const length of [0, 31, 33, 64]) {
			expectCryptoInputError(
				() => x25519SharedSecret(privateKey, randomBytes(length)),
				new RegExp(`X25519 public key must be 32 bytes, got ${length}`),
			);
		}

		expectCryptoInputError(() => x25519PublicKeyFromRaw(Buffer.alloc(31)), /32 bytes, got 31/);
		expectCryptoInputError(() => x25519PrivateKeyFromRaw(Buffer.alloc(33)), /32 bytes, got 33/);
		const notX25519 = ed25519GenerateKeyPair().privateKey;
		expectCryptoInputError(
			() => x25519SharedSecret(notX25519, x25519GenerateKeyPair().publicKey),
			/needs an x25519 private key, got private ed25519/,
		);
	});

	it('RECIPES.md: thousands of fresh key pairs and agreements complete (no Node 20 JWK hang)', () => {
		const peer = x25519GenerateKeyPair();
		for (let index = 0; index < 3000; index++) {
			const pair = x25519GenerateKeyPair();
			expect(x25519SharedSecret(pair.privateKey, peer.publicKey).length).toBe(32);
		}
	});
});

// ---------------------------------------------------------------------------------------------

describe('Ed25519 (RFC 8032)', () => {
	it('RFC 8032 7.1 TEST 1: signs the empty message as printed, and verifies', () => {
		const secret = hex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
		const publicKey = hex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
		// PKCS#8 for Ed25519 (RFC 8410 section 7): a fixed 16-byte header, then the secret.
		const privateKey = createPrivateKey({
			key: Buffer.concat([hex('302e020100300506032b657004220420'), secret]),
			format: 'der',
			type: 'pkcs8',
		});
		const signature = ed25519Sign(privateKey, Buffer.alloc(0));
		expect(signature.toString('hex')).toBe(
			'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
		);
		expect(ed25519Verify(publicKey, Buffer.alloc(0), signature)).toBe(true);
	});

	it('sign then verify with a fresh key (raw bytes and KeyObject); any change is refused', () => {
		const {privateKey, publicKey} = ed25519GenerateKeyPair();
		const message = Buffer.from('transcript hash');
		const signature = ed25519Sign(privateKey, message);
		expect(signature.length).toBe(64);
		expect(ed25519Verify(publicKey, message, signature)).toBe(true);
		expect(ed25519Verify(ed25519PublicKeyFromRaw(publicKey), message, signature)).toBe(true);
		expect(ed25519Verify(publicKey, flipBit(message, 0), signature)).toBe(false);
		expect(ed25519Verify(publicKey, message, flipBit(signature, 10))).toBe(false);
		expect(ed25519Verify(publicKey, message, flipBit(signature, 40))).toBe(false);
		expect(ed25519Verify(ed25519GenerateKeyPair().publicKey, message, signature)).toBe(false);
	});

	it('wrong-length signatures and keys are "not valid", not exceptions', () => {
		const {privateKey, publicKey} = ed25519GenerateKeyPair();
		const message = Buffer.from('m');
		const signature = ed25519Sign(privateKey, message);
		expect(ed25519Verify(publicKey, message, signature.subarray(0, 63))).toBe(false);
		expect(ed25519Verify(publicKey, message, Buffer.concat([signature, Buffer.alloc(1)]))).toBe(
			false,
		);
		expect(ed25519Verify(publicKey.subarray(0, 31), message, signature)).toBe(false);
		expectCryptoInputError(() => ed25519PublicKeyFromRaw(Buffer.alloc(33)), /32 bytes, got 33/);
	});
});

// ---------------------------------------------------------------------------------------------

describe('RSA-3072 OAEP and PSS (RFC 8017)', () => {
	let pair: RsaKeyPair;
	let other: RsaKeyPair;

	beforeAll(() => {
		// RSA-3072 key generation costs about a second here: two keys for the whole file.
		pair = rsaGenerateKeyPair();
		other = rsaGenerateKeyPair(2048);
	});

	it('RFC 8017 7.1: OAEP-SHA256 encrypt then decrypt with a fresh key, with and without a label', () => {
		const secret = randomBytes(32);
		const sealed = rsaOaepEncrypt(pair.publicKey, secret);
		expect(sealed.length).toBe(384);
		expect(rsaOaepDecrypt(pair.privateKey, sealed).equals(secret)).toBe(true);
		const label = Buffer.from('securebank key transport');
		const labelled = rsaOaepEncrypt(pair.publicKey, secret, label);
		expect(rsaOaepDecrypt(pair.privateKey, labelled, label).equals(secret)).toBe(true);
		// OAEP is randomized: the same secret never encrypts the same way twice.
		expect(rsaOaepEncrypt(pair.publicKey, secret).equals(sealed)).toBe(false);
	});

	it('RFC 8017 7.1.2: a wrong label, a tampered ciphertext or the wrong key all fail the same way', () => {
		const label = Buffer.from('label');
		const sealed = rsaOaepEncrypt(pair.publicKey, randomBytes(32), label);
		const failed = /^RSA-OAEP decryption failed$/;
		expectCryptoInputError(() => rsaOaepDecrypt(pair.privateKey, sealed), failed);
		expectCryptoInputError(
			() => rsaOaepDecrypt(pair.privateKey, flipBit(sealed, 100), label),
			failed,
		);
		expectCryptoInputError(() => rsaOaepDecrypt(other.privateKey, sealed, label), failed);
		expectCryptoInputError(
			() => rsaOaepDecrypt(pair.privateKey, sealed.subarray(1), label),
			failed,
		);
	});

	it('RFC 8017 8.1: PSS-SHA256 sign then verify; a changed message, signature or key is refused', () => {
		const message = Buffer.from('transcript hash');
		const signature = rsaPssSign(pair.privateKey, message);
		expect(signature.length).toBe(384);
		expect(rsaPssVerify(pair.publicKey, message, signature)).toBe(true);
		expect(rsaPssVerify(pair.publicKey, flipBit(message, 0), signature)).toBe(false);
		expect(rsaPssVerify(pair.publicKey, message, flipBit(signature, 200))).toBe(false);
		expect(rsaPssVerify(other.publicKey, message, signature)).toBe(false);
		expect(rsaPssVerify(pair.publicKey, message, signature.subarray(1))).toBe(false);
	});

	it('RFC 8017 9.1: a PSS signature with another salt length than 32 is refused', () => {
		const message = Buffer.from('transcript hash');
		const sign0 = sign('sha256', message, {
			key: pair.privateKey,
			padding: constants.RSA_PKCS1_PSS_PADDING,
			saltLength: 0,
		});
		expect(RSA_PSS_SALT_LENGTH).toBe(32);
		expect(rsaPssVerify(pair.publicKey, message, sign0)).toBe(false);
		const pkcs1 = sign('sha256', message, pair.privateKey);
		expect(rsaPssVerify(pair.publicKey, message, pkcs1)).toBe(false);
	});

	it('SPKI import: a 3072-bit key round-trips; other sizes, other key types and extra bytes are refused', () => {
		const spki = rsaPublicKeyToSpki(pair.publicKey);
		expect(rsaPublicKeyToSpki(rsaPublicKeyFromSpki(spki)).equals(spki)).toBe(true);
		expectCryptoInputError(
			() => rsaPublicKeyFromSpki(rsaPublicKeyToSpki(other.publicKey)),
			/must be 3072 bits, got 2048/,
		);
		expectCryptoInputError(
			() => rsaPublicKeyFromSpki(Buffer.concat([spki, Uint8Array.of(0)])),
			/not canonical SPKI DER/,
		);
		expectCryptoInputError(() => rsaPublicKeyFromSpki(spki.subarray(0, -1)), /not valid SPKI DER/);
		expectCryptoInputError(() => rsaPublicKeyFromSpki(Buffer.alloc(0)), /not valid SPKI DER/);
		const ed25519Spki = generateKeyPairSync('ed25519').publicKey.export({
			format: 'der',
			type: 'spki',
		});
		expectCryptoInputError(() => rsaPublicKeyFromSpki(ed25519Spki), /expected an RSA public key/);
	});
});

// ---------------------------------------------------------------------------------------------

describe('hashes and helpers', () => {
	it('FIPS 180-4: SHA-256 of "abc", fed in parts', () => {
		expect(sha256(Buffer.from('a'), Buffer.from('bc')).toString('hex')).toBe(
			'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
		);
	});

	it('constantTimeEqual: equal, unequal and unequal-length inputs', () => {
		expect(constantTimeEqual(Buffer.from('abc'), Buffer.from('abc'))).toBe(true);
		expect(constantTimeEqual(Buffer.from('abc'), Buffer.from('abd'))).toBe(false);
		expect(constantTimeEqual(Buffer.from('abc'), Buffer.from('abcd'))).toBe(false);
	});

	it('wipe overwrites a secret in place', () => {
		const secret = Buffer.from('secret');
		wipe(secret);
		expect(secret.equals(Buffer.alloc(6))).toBe(true);
		wipe(undefined);
	});
});

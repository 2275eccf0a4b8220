/**
 * Tests of source/crypto/primitives.ts against Project Wycheproof (C2SP/wycheproof testvectors_v1, see
 * test/vectors/SOURCES.md). Every case of every file goes through our wrapper, one `it` per case:
 * valid ones must pass, invalid ones must be rejected, and each file's "acceptable" cases and
 * unsupported parameters are decided below, next to the file.
 */
import {createPrivateKey, createPublicKey} from 'node:crypto';
import {describe, expect, it} from 'vitest';
import {
	AEAD_KEY_LENGTH,
	AEAD_NONCE_LENGTH,
	AEAD_TAG_LENGTH,
	CryptoInputError,
	HASH_LENGTH,
	RSA_BITS,
	RSA_PSS_SALT_LENGTH,
	aeadOpen,
	aeadSeal,
	ed25519Verify,
	hkdf,
	hkdfExpand,
	hkdfExtract,
	rsaOaepDecrypt,
	rsaPssVerify,
	rsaPublicKeyFromSpki,
	x25519PrivateKeyFromRaw,
	x25519SharedSecret,
	type AeadAlgorithm,
} from '../../source/crypto/primitives.js';
import {
	caseTitle,
	casesOf,
	hex,
	loadWycheproof,
	type AeadGroup,
	type EddsaGroup,
	type HkdfGroup,
	type OaepGroup,
	type PssGroup,
	type WycheproofCase,
	type XdhGroup,
} from './wycheproof.js';

/** Runs `action`, expecting a CryptoInputError whose message matches `message`. */
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

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
	return counts;
}

const resultsOf = (cases: ReadonlyArray<{test: WycheproofCase}>) =>
	countBy(cases, ({test}) => test.result);

// ---------------------------------------------------------------------------------------------
// X25519 (xdh_comp_schema_v1)
//
// "acceptable" here means public keys RFC 7748 defines but some libraries refuse: points on the
// twist, non-canonical encodings (u >= 2^255 - 19, or the top bit set), low-order points. Our rule:
// accept every public key RFC 7748 section 5 defines and return exactly its result (section 7
// recommends accepting non-canonical keys), but reject every all-zero shared secret (RFC 7748
// section 6.1's check; RFC 8446 section 7.4.2), with a message naming 'all zero'.

describe('X25519: wycheproof x25519_test.json', () => {
	const file = loadWycheproof<XdhGroup>('x25519_test.json');
	const cases = casesOf(file);
	const isZero = (shared: string) => /^(00)+$/.test(shared);

	it('wycheproof x25519: every case is checked (518: 264 valid, 254 acceptable; 31 all-zero)', () => {
		expect(cases.length).toBe(file.numberOfTests);
		expect(resultsOf(cases)).toEqual({valid: 264, acceptable: 254});
		expect(cases.filter(({test}) => isZero(test.shared)).length).toBe(31);
		// The all-zero results are exactly the cases flagged ZeroSharedSecret.
		for (const {test} of cases) {
			expect(isZero(test.shared), `tcId ${test.tcId}`).toBe(
				test.flags.includes('ZeroSharedSecret'),
			);
		}
	});

	for (const {group, test} of cases) {
		it(caseTitle('x25519', test), () => {
			expect(group.curve).toBe('curve25519');
			const privateKey = x25519PrivateKeyFromRaw(hex(test.private));
			const agree = () => x25519SharedSecret(privateKey, hex(test.public));
			if (test.result === 'invalid' || isZero(test.shared)) {
				expectCryptoInputError(agree, /all zero/);
			} else {
				expect(agree().toString('hex')).toBe(test.shared);
			}
		});
	}
});

// ---------------------------------------------------------------------------------------------
// Ed25519 (eddsa_verify_schema_v1): no "acceptable" cases. The public key goes in as the raw
// 32 bytes, as it does on the wire.

describe('Ed25519: wycheproof ed25519_test.json', () => {
	const file = loadWycheproof<EddsaGroup>('ed25519_test.json');
	const cases = casesOf(file);

	it('wycheproof ed25519: every case is checked (151: 88 valid, 63 invalid)', () => {
		expect(cases.length).toBe(file.numberOfTests);
		expect(resultsOf(cases)).toEqual({valid: 88, invalid: 63});
	});

	for (const {group, test} of cases) {
		it(caseTitle('ed25519', test), () => {
			expect(group.publicKey.curve).toBe('edwards25519');
			const verdict = ed25519Verify(hex(group.publicKey.pk), hex(test.msg), hex(test.sig));
			expect(verdict).toBe(test.result === 'valid');
		});
	}
});

// ---------------------------------------------------------------------------------------------
// AEAD (aead_test_schema_v1): no "acceptable" cases. Our wrapper takes only 256-bit keys and
// 96-bit nonces: a case with another key or IV size must be REJECTED with a CryptoInputError by
// both seal and open (this covers every AES-128/192 key and every odd IV, valid or not). The tag
// is fixed at 128 bits and has no parameter; no case in these files uses another tag size, which
// the counts assert (such a case would otherwise be filtered, not passed through).

type AeadFileSpec = {
	readonly fileName: string;
	readonly algorithm: AeadAlgorithm;
	readonly prefix: string;
	readonly counts: Record<string, number>;
	readonly unsupportedCount: number;
};

const aeadFiles: readonly AeadFileSpec[] = [
	{
		fileName: 'chacha20_poly1305_test.json',
		algorithm: 'chacha20-poly1305',
		prefix: 'chacha20-poly1305',
		counts: {valid: 256, invalid: 69},
		unsupportedCount: 9,
	},
	{
		fileName: 'aes_gcm_test.json',
		algorithm: 'aes-256-gcm',
		prefix: 'aes-gcm',
		counts: {valid: 229, invalid: 87},
		// 211 AES-128/192 cases, plus 39 AES-256 cases with IVs other than 96 bits (3 of them empty).
		unsupportedCount: 250,
	},
];

for (const spec of aeadFiles) {
	describe(`${spec.algorithm}: wycheproof ${spec.fileName}`, () => {
		const file = loadWycheproof<AeadGroup>(spec.fileName);
		const cases = casesOf(file);
		const supported = (group: AeadGroup) =>
			group.keySize === AEAD_KEY_LENGTH * 8 && group.ivSize === AEAD_NONCE_LENGTH * 8;

		it(`wycheproof ${spec.prefix}: every case is checked, ${spec.unsupportedCount} with unsupported sizes`, () => {
			expect(cases.length).toBe(file.numberOfTests);
			expect(resultsOf(cases)).toEqual(spec.counts);
			expect(cases.filter(({group}) => !supported(group)).length).toBe(spec.unsupportedCount);
			expect(cases.filter(({group}) => group.tagSize !== AEAD_TAG_LENGTH * 8).length).toBe(0);
		});

		for (const {group, test} of cases) {
			if (group.tagSize !== AEAD_TAG_LENGTH * 8) continue; // None: counted above.
			const title = `${caseTitle(spec.prefix, test)} [key ${group.keySize}, iv ${group.ivSize}]`;
			it(title, () => {
				const key = hex(test.key);
				const nonce = hex(test.iv);
				const sealed = Buffer.concat([hex(test.ct), hex(test.tag)]);
				const open = () => aeadOpen(spec.algorithm, key, nonce, sealed, hex(test.aad));
				const seal = () => aeadSeal(spec.algorithm, key, nonce, hex(test.msg), hex(test.aad));
				if (!supported(group)) {
					const sizes = new RegExp(
						`key must be ${AEAD_KEY_LENGTH} bytes|nonce must be ${AEAD_NONCE_LENGTH} bytes`,
					);
					expectCryptoInputError(open, sizes);
					expectCryptoInputError(seal, sizes);
				} else if (test.result === 'valid') {
					expect(open().toString('hex')).toBe(test.msg);
					expect(seal().toString('hex')).toBe(test.ct + test.tag);
				} else {
					expectCryptoInputError(open, /authentication failed/);
				}
			});
		}
	});
}

// ---------------------------------------------------------------------------------------------
// HKDF-SHA256 (hkdf_test_schema_v1): no "acceptable" cases. The only invalid cases ask for
// 8161 bytes, beyond 255 * HashLen (RFC 5869 section 2.3): rejected with a CryptoInputError.

describe('HKDF-SHA256: wycheproof hkdf_sha256_test.json', () => {
	const file = loadWycheproof<HkdfGroup>('hkdf_sha256_test.json');
	const cases = casesOf(file);

	it('wycheproof hkdf-sha256: every case is checked (86: 83 valid, 3 too long)', () => {
		expect(cases.length).toBe(file.numberOfTests);
		expect(resultsOf(cases)).toEqual({valid: 83, invalid: 3});
		const invalid = cases.filter(({test}) => test.result === 'invalid');
		expect(invalid.every(({test}) => test.size > 255 * HASH_LENGTH)).toBe(true);
	});

	for (const {test} of cases) {
		it(caseTitle('hkdf-sha256', test), () => {
			const derive = () => hkdf(hex(test.ikm), hex(test.salt), hex(test.info), test.size);
			if (test.result === 'valid') {
				expect(derive().toString('hex')).toBe(test.okm);
				// The same through the two halves the key schedule calls.
				const prk = hkdfExtract(hex(test.salt), hex(test.ikm));
				expect(hkdfExpand(prk, hex(test.info), test.size).toString('hex')).toBe(test.okm);
			} else {
				expectCryptoInputError(derive, /output length must be 0\.\.8160, got 8161/);
			}
		});
	}
});

// ---------------------------------------------------------------------------------------------
// RSA-OAEP-3072, SHA-256, MGF1-SHA-256 (rsaes_oaep_decrypt_schema_v1): no "acceptable" cases.
// Every failure must be the same error with the same message (no padding oracle).

describe('RSA-OAEP: wycheproof rsa_oaep_3072_sha256_mgf1sha256_test.json', () => {
	const file = loadWycheproof<OaepGroup>('rsa_oaep_3072_sha256_mgf1sha256_test.json');
	const cases = casesOf(file);
	const keys = new Map(
		file.testGroups.map((group) => [
			group,
			createPrivateKey({key: hex(group.privateKeyPkcs8), format: 'der', type: 'pkcs8'}),
		]),
	);

	it('wycheproof rsa-oaep: every case is checked (37: 18 valid, 19 invalid), parameters match ours', () => {
		expect(cases.length).toBe(file.numberOfTests);
		expect(resultsOf(cases)).toEqual({valid: 18, invalid: 19});
		for (const group of file.testGroups) {
			expect([group.keySize, group.sha, group.mgf, group.mgfSha]).toEqual([
				RSA_BITS,
				'SHA-256',
				'MGF1',
				'SHA-256',
			]);
		}
	});

	for (const {group, test} of cases) {
		it(caseTitle('rsa-oaep-3072-sha256', test), () => {
			const privateKey = keys.get(group)!;
			const decrypt = () => rsaOaepDecrypt(privateKey, hex(test.ct), hex(test.label));
			if (test.result === 'valid') {
				expect(decrypt().toString('hex')).toBe(test.msg);
			} else {
				expectCryptoInputError(decrypt, /^RSA-OAEP decryption failed$/);
			}
		});
	}
});

// ---------------------------------------------------------------------------------------------
// RSA-PSS-3072, SHA-256, MGF1-SHA-256, 32-byte salt (rsassa_pss_verify_schema_v1): no
// "acceptable" cases; sLen is 32, which is our RSA_PSS_SALT_LENGTH.

describe('RSA-PSS: wycheproof rsa_pss_3072_sha256_mgf1_32_test.json', () => {
	const file = loadWycheproof<PssGroup>('rsa_pss_3072_sha256_mgf1_32_test.json');
	const cases = casesOf(file);
	const keys = new Map(
		file.testGroups.map((group) => [
			group,
			createPublicKey({key: hex(group.publicKeyDer), format: 'der', type: 'spki'}),
		]),
	);

	it('wycheproof rsa-pss: every case is checked (108: 63 valid, 45 invalid), parameters match ours', () => {
		expect(cases.length).toBe(file.numberOfTests);
		expect(resultsOf(cases)).toEqual({valid: 63, invalid: 45});
		for (const group of file.testGroups) {
			expect([group.keySize, group.sha, group.mgf, group.mgfSha, group.sLen]).toEqual([
				RSA_BITS,
				'SHA-256',
				'MGF1',
				'SHA-256',
				RSA_PSS_SALT_LENGTH,
			]);
			// The key as a peer would send it: our SPKI import takes it too.
			expect(rsaPublicKeyFromSpki(hex(group.publicKeyDer)).asymmetricKeyType).toBe('rsa');
		}
	});

	for (const {group, test} of cases) {
		it(caseTitle('rsa-pss-3072-sha256-32', test), () => {
			const verdict = rsaPssVerify(keys.get(group)!, hex(test.msg), hex(test.sig));
			expect(verdict).toBe(test.result === 'valid');
		});
	}
});

/**
 * Thin, typed wrappers over node:crypto: the only primitives the secure suites use.
 *
 * - X25519: RFC 7748 section 6.1 (an all-zero shared secret is rejected, as RFC 8446 7.4.2 asks).
 * - Ed25519: RFC 8032 section 5.1.
 * - RSA-OAEP with SHA-256 and MGF1-SHA-256 (RFC 8017 section 7.1); RSA-PSS with SHA-256,
 *   MGF1-SHA-256, 32-byte salt (RFC 8017 section 8.1).
 * - ChaCha20-Poly1305 (RFC 8439) and AES-256-GCM (NIST SP 800-38D), 12-byte nonce, 16-byte tag.
 * - HKDF-SHA256 (RFC 5869), built on createHmac: three expands through hkdfSync cost 3x more here.
 *
 * Inputs are length-checked at this boundary with exact messages. Nothing here writes a primitive
 * by hand: hand-written crypto lives only in ./teaching/, and is insecure on purpose.
 */
import {
	createCipheriv,
	createDecipheriv,
	createHash,
	createHmac,
	createPrivateKey,
	createPublicKey,
	diffieHellman,
	generateKeyPairSync,
	privateDecrypt,
	publicEncrypt,
	randomBytes as nodeRandomBytes,
	sign as nodeSign,
	timingSafeEqual,
	verify as nodeVerify,
	constants,
	type CipherChaCha20Poly1305,
	type CipherGCM,
	type DecipherChaCha20Poly1305,
	type DecipherGCM,
	type KeyObject,
} from 'node:crypto';

export type {KeyObject} from 'node:crypto';

/** A failure of a primitive on its inputs (wrong length, bad point, failed authentication). */
export class CryptoInputError extends Error {
	override readonly name = 'CryptoInputError';
}

function requireLength(what: string, value: Uint8Array, length: number): void {
	if (value.length !== length) {
		throw new CryptoInputError(`${what} must be ${length} bytes, got ${value.length}`);
	}
}

const base64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');

// ---------------------------------------------------------------------------------------------
// Randomness, hashes, MACs

export function randomBytes(length: number): Buffer {
	return nodeRandomBytes(length);
}

export function sha256(...parts: readonly Uint8Array[]): Buffer {
	const hash = createHash('sha256');
	for (const part of parts) hash.update(part);
	return hash.digest();
}

export function sha1(...parts: readonly Uint8Array[]): Buffer {
	const hash = createHash('sha1');
	for (const part of parts) hash.update(part);
	return hash.digest();
}

export function hmacSha256(key: Uint8Array, ...parts: readonly Uint8Array[]): Buffer {
	const mac = createHmac('sha256', key);
	for (const part of parts) mac.update(part);
	return mac.digest();
}

/** Constant-time equality of two MACs or secrets; unequal lengths are simply unequal. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
	if (a.length !== b.length) return false;
	return timingSafeEqual(a, b);
}

/** Overwrite a secret in place once it is no longer needed. */
export function wipe(secret: Uint8Array | undefined): void {
	secret?.fill(0);
}

// ---------------------------------------------------------------------------------------------
// HKDF-SHA256, RFC 5869

export const HASH_LENGTH = 32;

/** HKDF-Extract(salt, IKM) = HMAC-Hash(salt, IKM); an empty salt means HashLen zero bytes. */
export function hkdfExtract(salt: Uint8Array, ikm: Uint8Array): Buffer {
	return hmacSha256(salt.length === 0 ? Buffer.alloc(HASH_LENGTH) : salt, ikm);
}

/** HKDF-Expand(PRK, info, L), RFC 5869 section 2.3. */
export function hkdfExpand(prk: Uint8Array, info: Uint8Array, length: number): Buffer {
	if (prk.length < HASH_LENGTH) {
		throw new CryptoInputError(`HKDF PRK must be at least ${HASH_LENGTH} bytes, got ${prk.length}`);
	}

	if (!Number.isInteger(length) || length < 0 || length > 255 * HASH_LENGTH) {
		throw new CryptoInputError(`HKDF output length must be 0..${255 * HASH_LENGTH}, got ${length}`);
	}

	// One block (every label of the key schedule): T(1) = HMAC(PRK, info || 0x01), one update.
	if (length <= HASH_LENGTH) {
		const input = Buffer.allocUnsafe(info.length + 1);
		input.set(info, 0);
		input[info.length] = 1;
		return hmacSha256(prk, input).subarray(0, length);
	}

	const blocks: Buffer[] = [];
	let previous: Buffer = Buffer.alloc(0);
	for (let counter = 1, produced = 0; produced < length; counter++) {
		previous = hmacSha256(prk, previous, info, Uint8Array.of(counter));
		blocks.push(previous);
		produced += previous.length;
	}

	return Buffer.concat(blocks).subarray(0, length);
}

export function hkdf(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Buffer {
	return hkdfExpand(hkdfExtract(salt, ikm), info, length);
}

// ---------------------------------------------------------------------------------------------
// X25519, RFC 7748

export type X25519KeyPair = {readonly privateKey: KeyObject; readonly publicKey: Buffer};

/**
 * A fresh ephemeral key pair. The public half comes out as JWK straight from key generation:
 * exporting a just-generated key as JWK afterwards can deadlock Node 20 (see RECIPES.md).
 */
export function x25519GenerateKeyPair(): X25519KeyPair {
	return generateOkpKeyPair('x25519');
}

/** What generateKeyPairSync returns when only the public half is given an encoding (JWK). */
type KeyPairWithJwkPublic = {readonly privateKey: KeyObject; readonly publicKey: {x?: unknown}};

/**
 * Generates an X25519 or Ed25519 pair, the public half as JWK (see above). @types/node has no
 * overload for a JWK public half next to a KeyObject private half, hence the cast.
 */
function generateOkpKeyPair(type: 'x25519' | 'ed25519'): X25519KeyPair {
	const options = {publicKeyEncoding: {format: 'jwk'}} as const;
	const generated: unknown =
		type === 'x25519' ? generateKeyPairSync(type, options) : generateKeyPairSync(type, options);
	const {privateKey, publicKey} = generated as KeyPairWithJwkPublic;
	if (typeof publicKey.x !== 'string') {
		throw new TypeError(`${type} key generation returned no JWK public key`);
	}

	return {privateKey, publicKey: Buffer.from(publicKey.x, 'base64url')};
}

/** A JWK private key import reads only `d`; `x` must merely be present, so any 32 bytes do. */
const JWK_PLACEHOLDER_X = base64url(new Uint8Array(32));

export function x25519PrivateKeyFromRaw(raw: Uint8Array): KeyObject {
	requireLength('X25519 private key', raw, 32);
	return createPrivateKey({
		key: {kty: 'OKP', crv: 'X25519', d: base64url(raw), x: JWK_PLACEHOLDER_X},
		format: 'jwk',
	});
}

export function x25519PublicKeyFromRaw(raw: Uint8Array): KeyObject {
	requireLength('X25519 public key', raw, 32);
	return createPublicKey({key: {kty: 'OKP', crv: 'X25519', x: base64url(raw)}, format: 'jwk'});
}

/** The X25519 shared secret; throws on a malformed peer key or an all-zero result. */
export function x25519SharedSecret(privateKey: KeyObject, peerPublicKey: Uint8Array): Buffer {
	// Checked first, or a wrong key type would surface below as an "all zero" secret.
	if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'x25519') {
		throw new CryptoInputError(
			`X25519 needs an x25519 private key, got ${privateKey.type} ${privateKey.asymmetricKeyType ?? 'key'}`,
		);
	}

	const peer = x25519PublicKeyFromRaw(peerPublicKey);
	let shared: Buffer;
	try {
		shared = diffieHellman({privateKey, publicKey: peer});
	} catch {
		throw new CryptoInputError('X25519 shared secret is all zero (peer sent a low-order point)');
	}

	if (shared.every((byte) => byte === 0)) {
		throw new CryptoInputError('X25519 shared secret is all zero (peer sent a low-order point)');
	}

	return shared;
}

// ---------------------------------------------------------------------------------------------
// Ed25519, RFC 8032

export type Ed25519KeyPair = {readonly privateKey: KeyObject; readonly publicKey: Buffer};

export function ed25519GenerateKeyPair(): Ed25519KeyPair {
	return generateOkpKeyPair('ed25519');
}

export function ed25519PublicKeyFromRaw(raw: Uint8Array): KeyObject {
	requireLength('Ed25519 public key', raw, 32);
	return createPublicKey({key: {kty: 'OKP', crv: 'Ed25519', x: base64url(raw)}, format: 'jwk'});
}

export function ed25519Sign(privateKey: KeyObject, message: Uint8Array): Buffer {
	return nodeSign(null, message, privateKey);
}

/** Verifies an Ed25519 signature; any malformed key or signature is simply "not valid". */
export function ed25519Verify(
	publicKey: KeyObject | Uint8Array,
	message: Uint8Array,
	signature: Uint8Array,
): boolean {
	if (signature.length !== 64) return false;
	try {
		const key = publicKey instanceof Uint8Array ? ed25519PublicKeyFromRaw(publicKey) : publicKey;
		return nodeVerify(null, message, key, signature);
	} catch {
		return false;
	}
}

// ---------------------------------------------------------------------------------------------
// RSA-3072: OAEP-SHA256 key transport, PSS-SHA256 signatures, RFC 8017

export const RSA_BITS = 3072;
export const RSA_PSS_SALT_LENGTH = 32;

export type RsaKeyPair = {readonly privateKey: KeyObject; readonly publicKey: KeyObject};

export function rsaGenerateKeyPair(bits = RSA_BITS): RsaKeyPair {
	return generateKeyPairSync('rsa', {modulusLength: bits, publicExponent: 0x1_00_01});
}

/** Imports an RSA public key from SPKI DER, refusing any size other than the one expected. */
export function rsaPublicKeyFromSpki(der: Uint8Array, bits = RSA_BITS): KeyObject {
	let key: KeyObject;
	try {
		key = createPublicKey({key: Buffer.from(der), format: 'der', type: 'spki'});
	} catch {
		throw new CryptoInputError('RSA public key is not valid SPKI DER');
	}

	if (key.asymmetricKeyType !== 'rsa') {
		throw new CryptoInputError(
			`expected an RSA public key, got ${key.asymmetricKeyType ?? 'none'}`,
		);
	}

	const modulus = key.asymmetricKeyDetails?.modulusLength;
	if (modulus !== bits) {
		throw new CryptoInputError(`RSA public key must be ${bits} bits, got ${modulus ?? 'unknown'}`);
	}

	// OpenSSL ignores bytes after the DER structure: without this, one key would have many wire
	// encodings (and fingerprints, and transcripts). DER is canonical, so re-encoding must match.
	if (!rsaPublicKeyToSpki(key).equals(der)) {
		throw new CryptoInputError(
			'RSA public key is not canonical SPKI DER (trailing or extra bytes)',
		);
	}

	return key;
}

export function rsaPublicKeyToSpki(key: KeyObject): Buffer {
	return key.export({format: 'der', type: 'spki'});
}

export function rsaOaepEncrypt(
	publicKey: KeyObject,
	plaintext: Uint8Array,
	label: Uint8Array = Buffer.alloc(0),
): Buffer {
	return publicEncrypt(
		{
			key: publicKey,
			padding: constants.RSA_PKCS1_OAEP_PADDING,
			oaepHash: 'sha256',
			oaepLabel: label,
		},
		plaintext,
	);
}

/** OAEP decryption; every failure is the same error, so as not to be a padding oracle. */
export function rsaOaepDecrypt(
	privateKey: KeyObject,
	ciphertext: Uint8Array,
	label: Uint8Array = Buffer.alloc(0),
): Buffer {
	try {
		return privateDecrypt(
			{
				key: privateKey,
				padding: constants.RSA_PKCS1_OAEP_PADDING,
				oaepHash: 'sha256',
				oaepLabel: label,
			},
			ciphertext,
		);
	} catch {
		throw new CryptoInputError('RSA-OAEP decryption failed');
	}
}

export function rsaPssSign(privateKey: KeyObject, message: Uint8Array): Buffer {
	return nodeSign('sha256', message, {
		key: privateKey,
		padding: constants.RSA_PKCS1_PSS_PADDING,
		saltLength: RSA_PSS_SALT_LENGTH,
	});
}

export function rsaPssVerify(
	publicKey: KeyObject,
	message: Uint8Array,
	signature: Uint8Array,
): boolean {
	try {
		return nodeVerify(
			'sha256',
			message,
			{key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: RSA_PSS_SALT_LENGTH},
			signature,
		);
	} catch {
		return false;
	}
}

// ---------------------------------------------------------------------------------------------
// AEAD: ChaCha20-Poly1305 (RFC 8439) and AES-256-GCM, 32-byte key, 12-byte nonce, 16-byte tag

export type AeadAlgorithm = 'chacha20-poly1305' | 'aes-256-gcm';
export const AEAD_KEY_LENGTH = 32;
export const AEAD_NONCE_LENGTH = 12;
export const AEAD_TAG_LENGTH = 16;

// @types/node types createCipheriv per mode: one call per algorithm so each overload applies.
function createAeadCipher(
	algorithm: AeadAlgorithm,
	key: Uint8Array,
	nonce: Uint8Array,
): CipherGCM | CipherChaCha20Poly1305 {
	const options = {authTagLength: AEAD_TAG_LENGTH};
	return algorithm === 'aes-256-gcm'
		? createCipheriv(algorithm, key, nonce, options)
		: createCipheriv(algorithm, key, nonce, options);
}

function createAeadDecipher(
	algorithm: AeadAlgorithm,
	key: Uint8Array,
	nonce: Uint8Array,
): DecipherGCM | DecipherChaCha20Poly1305 {
	const options = {authTagLength: AEAD_TAG_LENGTH};
	return algorithm === 'aes-256-gcm'
		? createDecipheriv(algorithm, key, nonce, options)
		: createDecipheriv(algorithm, key, nonce, options);
}

/**
 * An AEAD context keyed for one nonce, made ahead of use. Keying is most of what a small record
 * costs in node:crypto (each createCipheriv looks the cipher up and initialises a context); doing it
 * while waiting for the network takes it off a round trip's critical path. Each is used once.
 */
export type PreparedSeal = {
	readonly algorithm: AeadAlgorithm;
	readonly cipher: CipherGCM | CipherChaCha20Poly1305;
};
export type PreparedOpen = {
	readonly algorithm: AeadAlgorithm;
	readonly decipher: DecipherGCM | DecipherChaCha20Poly1305;
};

export function aeadPrepareSeal(
	algorithm: AeadAlgorithm,
	key: Uint8Array,
	nonce: Uint8Array,
): PreparedSeal {
	requireLength(`${algorithm} key`, key, AEAD_KEY_LENGTH);
	requireLength(`${algorithm} nonce`, nonce, AEAD_NONCE_LENGTH);
	return {algorithm, cipher: createAeadCipher(algorithm, key, nonce)};
}

export function aeadPrepareOpen(
	algorithm: AeadAlgorithm,
	key: Uint8Array,
	nonce: Uint8Array,
): PreparedOpen {
	requireLength(`${algorithm} key`, key, AEAD_KEY_LENGTH);
	requireLength(`${algorithm} nonce`, nonce, AEAD_NONCE_LENGTH);
	return {algorithm, decipher: createAeadDecipher(algorithm, key, nonce)};
}

/** Returns prefix || ciphertext || tag (the prefix, a record header say, is not encrypted). */
export function aeadSealPrepared(
	prepared: PreparedSeal,
	plaintext: Uint8Array,
	associatedData: Uint8Array,
	prefix?: Uint8Array,
): Buffer {
	const {cipher} = prepared;
	cipher.setAAD(associatedData, {plaintextLength: plaintext.length});
	const head = cipher.update(plaintext);
	const tail = cipher.final();
	const tag = cipher.getAuthTag();
	const parts: Uint8Array[] = tail.length === 0 ? [head, tag] : [head, tail, tag];
	if (prefix) parts.unshift(prefix);
	let length = 0;
	for (const part of parts) length += part.length;
	return Buffer.concat(parts, length);
}

/** Opens ciphertext || tag; throws CryptoInputError when authentication fails. */
export function aeadOpenPrepared(
	prepared: PreparedOpen,
	sealed: Uint8Array,
	associatedData: Uint8Array,
): Buffer {
	const {algorithm, decipher} = prepared;
	if (sealed.length < AEAD_TAG_LENGTH) {
		throw new CryptoInputError(
			`${algorithm} ciphertext must hold a ${AEAD_TAG_LENGTH}-byte tag, got ${sealed.length} bytes`,
		);
	}

	const ciphertextLength = sealed.length - AEAD_TAG_LENGTH;
	decipher.setAAD(associatedData, {plaintextLength: ciphertextLength});
	decipher.setAuthTag(sealed.subarray(ciphertextLength));
	const head = decipher.update(sealed.subarray(0, ciphertextLength));
	try {
		const tail = decipher.final();
		return tail.length === 0 ? head : Buffer.concat([head, tail]);
	} catch {
		throw new CryptoInputError(`${algorithm} authentication failed`);
	}
}

/** Returns ciphertext || tag. */
export function aeadSeal(
	algorithm: AeadAlgorithm,
	key: Uint8Array,
	nonce: Uint8Array,
	plaintext: Uint8Array,
	associatedData: Uint8Array,
): Buffer {
	return aeadSealPrepared(aeadPrepareSeal(algorithm, key, nonce), plaintext, associatedData);
}

/** Opens ciphertext || tag; throws CryptoInputError when authentication fails. */
export function aeadOpen(
	algorithm: AeadAlgorithm,
	key: Uint8Array,
	nonce: Uint8Array,
	sealed: Uint8Array,
	associatedData: Uint8Array,
): Buffer {
	return aeadOpenPrepared(aeadPrepareOpen(algorithm, key, nonce), sealed, associatedData);
}

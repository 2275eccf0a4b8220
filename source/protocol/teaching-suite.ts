/**
 * INSECURE: the teaching suite, for the lab and for students only.
 *
 * The original coursework's mechanisms, working and correct, flowing through the same handshake
 * machines as every other suite: textbook RSA key transport (no padding, no label: a ciphertext
 * means the same thing in any session), the "semantic RSA" signature over the FIXED sentence
 * "Alice, this is Bob" (it covers no transcript and no challenge: replayable, and blind to a
 * stripped offer), and S-DES records in CBC mode with no MAC (malleable; a 10-bit key).
 *
 * Importing this module registers the suite; it is offered or accepted only when both sides pass
 * allowInsecure (`--insecure-teaching`), and never as a fallback.
 */
import {CryptoInputError, sha256} from '../crypto/primitives.js';
import {
	registerSuite,
	SUITE_TEACHING_TEXTBOOK_RSA_SHA1_SDES,
	type Suite,
} from '../crypto/suites.js';
import {
	sdes,
	semanticSignature,
	textbookRsa,
	type TextbookRsaPrivateKey,
	type TextbookRsaPublicKey,
} from '../crypto/teaching/index.js';
import {HostKeyCode} from './codec.js';
import {
	registerHostKeyAlgorithm,
	type LocalHostKey,
	type PeerHostKey,
} from './host-key-algorithms.js';
import {registerRecordCipher} from './records.js';

export const TEACHING_SUITE: Suite = {
	id: SUITE_TEACHING_TEXTBOOK_RSA_SHA1_SDES,
	name: 'INSECURE_TEXTBOOK_RSA_SHA1_SDES',
	keyExchange: 'textbook-rsa',
	hostKey: 'textbook-rsa',
	recordCipher: 's-des-cbc-nomac',
	hash: 'sha256',
	forwardSecrecy: false,
	insecure: true,
	parts: {
		keyExchange: 'INSECURE textbook RSA key transport: C = M^e mod N on a tiny N, no padding',
		signature:
			'INSECURE "semantic RSA": SHA-1 of a fixed sentence XORed into M^d mod N; signs no challenge',
		records: 'INSECURE S-DES (10-bit key) in CBC mode with no MAC: readable and malleable',
		hash: 'SHA-256 for the key schedule (the weak parts are elsewhere)',
	},
};

/** The default size of the teaching host key: factored in milliseconds, on purpose. */
export const TEACHING_MODULUS_BITS = 64;

export const TEACHING_KNOWN_HOSTS_NAME = 'securebank-textbook-rsa-INSECURE';

const seedMessage = Buffer.from(semanticSignature.SEED_MESSAGE, 'utf8');

function fingerprintOfBlob(blob: Uint8Array): string {
	return `SHA256:${sha256(blob).toString('base64').replace(/=+$/, '')}`;
}

/** Textbook RSA over byte blocks, each ciphertext block as a fixed-width big-endian integer. */
function encryptSecret(key: TextbookRsaPublicKey, secret: Uint8Array): Buffer {
	const size = semanticSignature.elementSizeBytes(key.n);
	const blocks = textbookRsa.encryptBytes(secret, key);
	return Buffer.concat(
		blocks.map((block) => {
			const bytes = Buffer.alloc(size);
			let value = block;
			for (let index = size - 1; index >= 0; index--) {
				bytes[index] = Number(value & 0xffn);
				value >>= 8n;
			}

			return bytes;
		}),
	);
}

function decryptSecret(key: TextbookRsaPrivateKey, ciphertext: Uint8Array): Buffer {
	const size = semanticSignature.elementSizeBytes(key.n);
	if (ciphertext.length === 0 || ciphertext.length % size !== 0) {
		throw new RangeError(
			`textbook RSA ciphertext of ${ciphertext.length} bytes is not whole ${size}-byte blocks`,
		);
	}

	const blocks: bigint[] = [];
	for (let offset = 0; offset < ciphertext.length; offset += size) {
		const block = BigInt(
			`0x${Buffer.from(ciphertext.subarray(offset, offset + size)).toString('hex')}`,
		);
		if (block >= key.n) throw new RangeError('textbook RSA ciphertext block is not below N');
		blocks.push(block);
	}

	return Buffer.from(textbookRsa.decryptBytes(blocks, key));
}

/** The server's side of a textbook RSA host key. */
export function teachingLocalHostKey(key: TextbookRsaPrivateKey): LocalHostKey {
	const publicKeyBytes = Buffer.from(textbookRsa.encodePublicKey(textbookRsa.publicKeyOf(key)));
	return {
		type: 'textbook-rsa',
		publicKeyBytes,
		fingerprint: fingerprintOfBlob(publicKeyBytes),
		// The original signed a fixed sentence: the transcript passed in is ignored, which is the flaw.
		sign: () => Buffer.from(semanticSignature.sign(seedMessage, key)),
		decryptSecret: (ciphertext) => decryptSecret(key, ciphertext),
	};
}

let registered = false;

/** Adds the teaching suite, its host key type and its record cipher to the tables (idempotent). */
export function registerTeachingSuite(): void {
	if (registered) return;
	registered = true;
	registerSuite(TEACHING_SUITE);
	registerHostKeyAlgorithm({
		type: 'textbook-rsa',
		code: HostKeyCode['textbook-rsa'],
		description: 'textbook RSA (INSECURE)',
		knownHostsName: TEACHING_KNOWN_HOSTS_NAME,
		publicKeyBlob: (bytes) => Buffer.from(bytes),
		parse(bytes): PeerHostKey {
			const key = textbookRsa.decodePublicKey(bytes);
			return {
				type: 'textbook-rsa',
				publicKeyBytes: Buffer.from(bytes),
				fingerprint: fingerprintOfBlob(bytes),
				verify: (_message, signature) => semanticSignature.verify(seedMessage, signature, key),
				encryptSecret: (secret) => encryptSecret(key, secret),
			};
		},
	});
	registerRecordCipher({
		name: 's-des-cbc-nomac',
		keyLength: 2,
		ivLength: 12,
		overhead: 1,
		// The IV byte comes from the nonce so that both ends agree; no MAC is computed or checked.
		seal: (key, nonce, inner) =>
			Buffer.from(sdes.encryptCbc(inner, sdes.deriveKey(key), nonce[nonce.length - 1])),
		open(key, _nonce, sealed) {
			// RecordReceiver reports CryptoInputError as bad_record_mac; anything else would be our internal_error.
			if (sealed.length === 0)
				throw new CryptoInputError('S-DES CBC record must hold its 1-byte IV');
			return Buffer.from(sdes.decryptCbc(sealed, sdes.deriveKey(key)));
		},
	});
}

registerTeachingSuite();

export {SUITE_TEACHING_TEXTBOOK_RSA_SHA1_SDES} from '../crypto/suites.js';

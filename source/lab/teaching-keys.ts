/**
 * What an attacker computes from a recorded INSECURE teaching-suite (0x7f01) handshake once it
 * holds d: the client's secret, then the session's keys through the protocol's own key schedule,
 * exactly as PROTOCOL.md 7.2 gives it for the key-transport path:
 *
 *   handshake   = handshakeSecrets(secret, H(CH || SH))
 *   application = applicationSecrets(handshake, H(CH || SH || CF))
 *   record key  = trafficKeys(application traffic secret).key, and S-DES uses its first 10 bits of
 *                 SHA-256 (sdes.deriveKey)
 *
 * Nothing here needs anything but bytes from the wire and the factored private exponent.
 */
import {hmacSha256, sha256} from '../crypto/primitives.js';
import {
	sdes,
	semanticSignature,
	textbookRsa,
	type TextbookRsaExponent,
	type TextbookRsaPublicKey,
} from '../crypto/teaching/index.js';
import {decodeClientFinished, decodeServerHello} from '../protocol/codec.js';
import {
	applicationSecrets,
	handshakeSecrets,
	trafficKeys,
	type ApplicationSecrets,
	type HandshakeSecrets,
} from '../protocol/key-schedule.js';
import {recordCipher} from '../protocol/records.js';
import {TEACHING_SUITE} from '../protocol/teaching-suite.js';

/** The textbook RSA public key (n, e) in a ServerHello body of the teaching suite. */
export function teachingKeyOfServerHello(serverHello: Buffer): TextbookRsaPublicKey {
	const {hello} = decodeServerHello(serverHello);
	return textbookRsa.decodePublicKey(hello.hostKey);
}

/**
 * ClientFinished.encrypted_secret of the teaching suite: textbook RSA blocks, each a big-endian
 * integer of elementSizeBytes(n) bytes (source/protocol/teaching-suite.ts, encryptSecret).
 */
export function decryptTeachingSecret(ciphertext: Uint8Array, key: TextbookRsaExponent): Buffer {
	const size = semanticSignature.elementSizeBytes(key.n);
	const blocks: bigint[] = [];
	for (let offset = 0; offset < ciphertext.length; offset += size) {
		blocks.push(
			BigInt(`0x${Buffer.from(ciphertext.subarray(offset, offset + size)).toString('hex')}`),
		);
	}

	return Buffer.from(textbookRsa.decryptBytes(blocks, key));
}

export type TeachingSessionKeys = {
	readonly handshake: HandshakeSecrets;
	readonly application: ApplicationSecrets;
	/** The 10-bit S-DES keys of each direction. */
	readonly customerToBank: number;
	readonly bankToCustomer: number;
};

/** The S-DES key of one direction, from its application traffic secret (records.ts does the same). */
export function sdesKeyOf(trafficSecret: Uint8Array): number {
	const cipher = recordCipher(TEACHING_SUITE.recordCipher);
	return sdes.deriveKey(trafficKeys(trafficSecret, cipher.keyLength, cipher.ivLength).key);
}

/** The key-transport schedule over the transcript as one side saw it (message bodies). */
export function keyTransportSchedule(
	secret: Uint8Array,
	clientHello: Buffer,
	serverHello: Buffer,
	clientFinished: Buffer,
): TeachingSessionKeys {
	const handshake = handshakeSecrets(secret, sha256(clientHello, serverHello));
	const application = applicationSecrets(
		handshake.handshakeSecret,
		sha256(clientHello, serverHello, clientFinished),
	);
	return {
		handshake,
		application,
		customerToBank: sdesKeyOf(application.clientApplicationTraffic),
		bankToCustomer: sdesKeyOf(application.serverApplicationTraffic),
	};
}

/** HMAC(client_finished_key, H(CH || SH || CF[..secret])), PROTOCOL.md 6.3. */
export function clientFinishedMac(
	handshake: HandshakeSecrets,
	clientHello: Buffer,
	serverHello: Buffer,
	clientFinished: Buffer,
): Buffer {
	const {secretEnd} = decodeClientFinished(clientFinished);
	return hmacSha256(
		handshake.clientFinishedKey,
		sha256(clientHello, serverHello, clientFinished.subarray(0, secretEnd)),
	);
}

/** HMAC(server_finished_key, H(CH || SH || CF)), PROTOCOL.md 6.3 (key-transport suites). */
export function serverFinishedMac(
	handshake: HandshakeSecrets,
	clientHello: Buffer,
	serverHello: Buffer,
	clientFinished: Buffer,
): Buffer {
	return hmacSha256(handshake.serverFinishedKey, sha256(clientHello, serverHello, clientFinished));
}

/** An S-DES CBC record body (IV byte, then one byte per plaintext byte): the content and its inner type. */
export function decryptTeachingRecord(
	body: Uint8Array,
	key: number,
): {readonly content: Buffer; readonly contentType: number} {
	const inner = Buffer.from(sdes.decryptCbc(body, key));
	return {content: inner.subarray(0, -1), contentType: inner.at(-1) ?? 0};
}

/** A 10-bit S-DES key as the book writes it. */
export function formatSdesKey(key: number): string {
	return `${sdes.formatBits(key, 10)} (${key})`;
}

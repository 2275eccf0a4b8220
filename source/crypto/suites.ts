/**
 * The cipher-suite table: data, not if-chains. PROTOCOL.md section "Suites" describes each row.
 *
 * A suite fixes the key exchange ("here is a secret"), the host-key signature ("Alice, this is
 * Bob"), the record protection and the hash. The server picks the first of the client's offers
 * that it allows; the signed transcript covers the whole offer, so stripping one is detected.
 */
import type {AeadAlgorithm} from './primitives.js';

export type KeyExchange = 'x25519' | 'rsa-oaep-3072' | 'textbook-rsa';
export type HostKeyType = 'ed25519' | 'rsa-3072' | 'textbook-rsa';
export type RecordCipherName = AeadAlgorithm | 's-des-cbc-nomac';

export type Suite = {
	/** The two-byte code on the wire. */
	readonly id: number;
	readonly name: string;
	readonly keyExchange: KeyExchange;
	readonly hostKey: HostKeyType;
	readonly recordCipher: RecordCipherName;
	readonly hash: 'sha256';
	/** Whether a stolen host key later still leaves recorded sessions unreadable. */
	readonly forwardSecrecy: boolean;
	/** Textbook crypto for teaching: never offered or accepted unless both sides opt in. */
	readonly insecure: boolean;
	/** What each part does, for the key-details pane and `--plain` logs. */
	readonly parts: {
		readonly keyExchange: string;
		readonly signature: string;
		readonly records: string;
		readonly hash: string;
	};
};

export const SUITE_X25519_ED25519_CHACHA20_POLY1305_SHA256 = 0x00_01;
export const SUITE_X25519_ED25519_AES_256_GCM_SHA256 = 0x00_02;
export const SUITE_RSA_3072_PSS_AES_256_GCM_SHA256 = 0x00_03;
export const SUITE_TEACHING_TEXTBOOK_RSA_SHA1_SDES = 0x7f_01;

const x25519Exchange =
	'X25519 ephemeral Diffie-Hellman: both sides contribute, the secret is never sent';
const ed25519Signature = 'Ed25519 signature by the host key over the transcript hash';

export const SUITES: readonly Suite[] = [
	{
		id: SUITE_X25519_ED25519_CHACHA20_POLY1305_SHA256,
		name: 'X25519_ED25519_CHACHA20_POLY1305_SHA256',
		keyExchange: 'x25519',
		hostKey: 'ed25519',
		recordCipher: 'chacha20-poly1305',
		hash: 'sha256',
		forwardSecrecy: true,
		insecure: false,
		parts: {
			keyExchange: x25519Exchange,
			signature: ed25519Signature,
			records: 'ChaCha20-Poly1305 AEAD: encrypts and authenticates every record',
			hash: 'SHA-256 for the transcript hash and HKDF key schedule',
		},
	},
	{
		id: SUITE_X25519_ED25519_AES_256_GCM_SHA256,
		name: 'X25519_ED25519_AES_256_GCM_SHA256',
		keyExchange: 'x25519',
		hostKey: 'ed25519',
		recordCipher: 'aes-256-gcm',
		hash: 'sha256',
		forwardSecrecy: true,
		insecure: false,
		parts: {
			keyExchange: x25519Exchange,
			signature: ed25519Signature,
			records: 'AES-256-GCM AEAD: encrypts and authenticates every record',
			hash: 'SHA-256 for the transcript hash and HKDF key schedule',
		},
	},
	{
		id: SUITE_RSA_3072_PSS_AES_256_GCM_SHA256,
		name: 'RSA_3072_PSS_AES_256_GCM_SHA256',
		keyExchange: 'rsa-oaep-3072',
		hostKey: 'rsa-3072',
		recordCipher: 'aes-256-gcm',
		hash: 'sha256',
		forwardSecrecy: false,
		insecure: false,
		parts: {
			keyExchange:
				'RSA-3072 OAEP key transport: the client picks the secret and encrypts it to the host key (no forward secrecy)',
			signature: 'RSA-PSS-SHA256 signature by the RSA-3072 host key over the transcript hash',
			records: 'AES-256-GCM AEAD: encrypts and authenticates every record',
			hash: 'SHA-256 for the transcript hash and HKDF key schedule',
		},
	},
];

/** Suites offered and allowed when nothing else is configured, in preference order. */
export const DEFAULT_SUITE_IDS: readonly number[] = [
	SUITE_X25519_ED25519_CHACHA20_POLY1305_SHA256,
	SUITE_X25519_ED25519_AES_256_GCM_SHA256,
	SUITE_RSA_3072_PSS_AES_256_GCM_SHA256,
];

const byId = new Map<number, Suite>();
const registered: Suite[] = [...SUITES];
for (const suite of registered) byId.set(suite.id, suite);

/** Adds a row to the table (the teaching suite registers itself from ./teaching/). */
export function registerSuite(suite: Suite): void {
	if (byId.has(suite.id) && byId.get(suite.id) !== suite) {
		throw new Error(`suite 0x${suite.id.toString(16)} is already registered`);
	}

	byId.set(suite.id, suite);
	if (!registered.includes(suite)) registered.push(suite);
}

export function suiteById(id: number): Suite | undefined {
	return byId.get(id);
}

export function allSuites(): readonly Suite[] {
	return registered;
}

export function suiteByName(name: string): Suite | undefined {
	const wanted = name.toUpperCase();
	return registered.find((suite) => suite.name === wanted);
}

export function formatSuiteId(id: number): string {
	return `0x${id.toString(16).padStart(4, '0')}`;
}

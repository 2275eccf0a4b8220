/**
 * Host keys as the handshake uses them: a server's own key signs (and, in key-transport suites,
 * decrypts the client's secret); a peer's key from ServerHello verifies (and encrypts).
 *
 * A table keyed by host key type, so the teaching suite can add textbook RSA without if-chains.
 */
import {
	ed25519Sign,
	ed25519Verify,
	rsaOaepDecrypt,
	rsaOaepEncrypt,
	rsaPssSign,
	rsaPssVerify,
	sha256,
} from '../crypto/primitives.js';
import {
	fingerprintOf,
	hostPublicKeyFromWire,
	openSshPublicKeyBlob,
	type HostKey,
} from '../crypto/host-keys.js';
import type {HostKeyType} from '../crypto/suites.js';
import {HostKeyCode} from './codec.js';

/** The server's side of a host key. */
export type LocalHostKey = {
	readonly type: HostKeyType;
	readonly publicKeyBytes: Buffer;
	readonly fingerprint: string;
	sign(message: Uint8Array): Buffer;
	/** Key-transport suites: recover the client's secret; throws on any failure. */
	decryptSecret?(ciphertext: Uint8Array, label: Uint8Array): Buffer;
};

/** The client's view of the host key received in ServerHello. */
export type PeerHostKey = {
	readonly type: HostKeyType;
	readonly publicKeyBytes: Buffer;
	readonly fingerprint: string;
	verify(message: Uint8Array, signature: Uint8Array): boolean;
	encryptSecret?(secret: Uint8Array, label: Uint8Array): Buffer;
};

export type HostKeyAlgorithm = {
	readonly type: HostKeyType;
	readonly code: number;
	readonly description: string;
	/** The key type word in known_hosts ("ssh-ed25519", as OpenSSH writes it). */
	readonly knownHostsName: string;
	/** The blob that known_hosts stores and the fingerprint hashes. */
	publicKeyBlob(publicKeyBytes: Uint8Array): Buffer;
	/** Parses and validates a host key from the wire; throws a clear error when malformed. */
	parse(bytes: Uint8Array): PeerHostKey;
};

const algorithms = new Map<HostKeyType, HostKeyAlgorithm>();

export function registerHostKeyAlgorithm(algorithm: HostKeyAlgorithm): void {
	algorithms.set(algorithm.type, algorithm);
}

export function hostKeyAlgorithm(type: HostKeyType): HostKeyAlgorithm {
	const algorithm = algorithms.get(type);
	if (!algorithm) throw new Error(`host key type ${type} is not registered`);
	return algorithm;
}

export function hostKeyAlgorithmByName(knownHostsName: string): HostKeyAlgorithm | undefined {
	for (const algorithm of algorithms.values()) {
		if (algorithm.knownHostsName === knownHostsName) return algorithm;
	}

	return undefined;
}

export function hostKeyTypeByCode(code: number): HostKeyType | undefined {
	for (const algorithm of algorithms.values()) {
		if (algorithm.code === code) return algorithm.type;
	}

	return undefined;
}

registerHostKeyAlgorithm({
	type: 'ed25519',
	code: HostKeyCode.ed25519,
	description: 'Ed25519',
	knownHostsName: 'ssh-ed25519',
	publicKeyBlob: (bytes) => openSshPublicKeyBlob('ed25519', bytes),
	parse(bytes) {
		const {publicKey, fingerprint} = hostPublicKeyFromWire('ed25519', bytes);
		return {
			type: 'ed25519',
			publicKeyBytes: Buffer.from(bytes),
			fingerprint,
			verify: (message, signature) => ed25519Verify(publicKey, message, signature),
		};
	},
});

registerHostKeyAlgorithm({
	type: 'rsa-3072',
	code: HostKeyCode['rsa-3072'],
	description: 'RSA-3072',
	knownHostsName: 'ssh-rsa',
	publicKeyBlob: (bytes) => openSshPublicKeyBlob('rsa-3072', bytes),
	parse(bytes) {
		const {publicKey, fingerprint} = hostPublicKeyFromWire('rsa-3072', bytes);
		return {
			type: 'rsa-3072',
			publicKeyBytes: Buffer.from(bytes),
			fingerprint,
			verify: (message, signature) => rsaPssVerify(publicKey, message, signature),
			encryptSecret: (secret, label) => rsaOaepEncrypt(publicKey, secret, label),
		};
	},
});

/** Wraps a host key from ../crypto/host-keys for the server machine. */
export function localHostKey(key: HostKey): LocalHostKey {
	if (key.type === 'ed25519') {
		return {
			type: 'ed25519',
			publicKeyBytes: key.publicKeyBytes,
			fingerprint: key.fingerprint,
			sign: (message) => ed25519Sign(key.privateKey, message),
		};
	}

	return {
		type: 'rsa-3072',
		publicKeyBytes: key.publicKeyBytes,
		fingerprint: key.fingerprint ?? fingerprintOf('rsa-3072', key.publicKeyBytes),
		sign: (message) => rsaPssSign(key.privateKey, message),
		decryptSecret: (ciphertext, label) => rsaOaepDecrypt(key.privateKey, ciphertext, label),
	};
}

/**
 * What the host key signs, after RFC 8446 section 4.4.3: 64 spaces, a context string, a zero byte,
 * then the transcript hash. The context keeps this signature from being valid anywhere else.
 */
export const SIGNATURE_CONTEXT = 'securebank v1, server host key signature';

export function signingInput(transcriptHash: Uint8Array): Buffer {
	return Buffer.concat([
		Buffer.alloc(64, 0x20),
		Buffer.from(SIGNATURE_CONTEXT, 'ascii'),
		Buffer.of(0),
		transcriptHash,
	]);
}

/** The OAEP label that binds an encrypted secret to the handshake it was made for. */
export function secretLabel(transcriptHash: Uint8Array): Buffer {
	return sha256(Buffer.from('securebank v1, client secret'), transcriptHash);
}

/**
 * The key schedule, in the manner of TLS 1.3 (RFC 8446 section 7.1) without pre-shared keys:
 *
 *   early     = HKDF-Extract(0, 0)
 *   handshake = HKDF-Extract(Derive-Secret(early, "derived", ""), shared secret)
 *     c hs traffic / s hs traffic = Derive-Secret(handshake, ..., handshake transcript hash)
 *     finished keys               = HKDF-Expand-Label(hs traffic, "finished", "", 32)
 *   master    = HKDF-Extract(Derive-Secret(handshake, "derived", ""), 0)
 *     c ap traffic / s ap traffic = Derive-Secret(master, ..., application transcript hash)
 *   record key, iv                = HKDF-Expand-Label(ap traffic, "key" | "iv", "", length)
 *   next generation               = HKDF-Expand-Label(ap traffic, "traffic upd", "", 32)  (7.2)
 *
 * Which transcript each step binds differs per suite (PROTOCOL.md, "Key schedule"): X25519 suites
 * use H(ClientHello || ServerHello up to the host key) for the handshake secrets and
 * H(ClientHello || ServerHello) for the application secrets; key-transport suites use
 * H(ClientHello || ServerHello) and H(ClientHello || ServerHello || ClientFinished).
 *
 * Labels carry securebank's own prefix ("sbank1 ") where TLS has "tls13 ", so that no securebank
 * key can ever equal a TLS key; the tests check the construction with TLS's prefix against RFC 8448.
 */
import {HASH_LENGTH, hkdfExpand, hkdfExtract, sha256} from '../crypto/primitives.js';

export const LABEL_PREFIX = 'sbank1 ';
export const TLS13_LABEL_PREFIX = 'tls13 ';

const emptyHash = sha256(new Uint8Array(0));
const zeros = Buffer.alloc(HASH_LENGTH);

/**
 *   struct HkdfLabel {
 *     u16 length;
 *     u8  label_length;  u8 label[label_length];     // prefix + label, 7..255 bytes
 *     u8  context_length; u8 context[context_length]; // 0..255 bytes
 *   }
 */
export function hkdfExpandLabel(
	secret: Uint8Array,
	label: string,
	context: Uint8Array,
	length: number,
	prefix: string = LABEL_PREFIX,
): Buffer {
	const fullLabel = Buffer.from(prefix + label, 'ascii');
	if (fullLabel.length < 7 || fullLabel.length > 255) {
		throw new RangeError(`HKDF label "${prefix + label}" must be 7..255 bytes`);
	}

	if (context.length > 255) throw new RangeError('HKDF label context must be at most 255 bytes');
	const info = Buffer.allocUnsafe(2 + 1 + fullLabel.length + 1 + context.length);
	info.writeUInt16BE(length, 0);
	info[2] = fullLabel.length;
	fullLabel.copy(info, 3);
	info[3 + fullLabel.length] = context.length;
	info.set(context, 4 + fullLabel.length);
	return hkdfExpand(secret, info, length);
}

/** Derive-Secret(secret, label, messages), given the transcript hash of the messages. */
export function deriveSecret(
	secret: Uint8Array,
	label: string,
	transcriptHash: Uint8Array,
	prefix: string = LABEL_PREFIX,
): Buffer {
	return hkdfExpandLabel(secret, label, transcriptHash, HASH_LENGTH, prefix);
}

/**
 * Derive-Secret(HKDF-Extract(0, 0), "derived", "") involves no input of the handshake: without
 * pre-shared keys it is the same for every connection, so it is computed once per label prefix.
 */
const derivedFromEarlyByPrefix = new Map<string, Buffer>();
function derivedFromEarly(prefix: string): Buffer {
	let derived = derivedFromEarlyByPrefix.get(prefix);
	if (!derived) {
		derived = deriveSecret(hkdfExtract(zeros, zeros), 'derived', emptyHash, prefix);
		derivedFromEarlyByPrefix.set(prefix, derived);
	}

	return derived;
}

export type HandshakeSecrets = {
	readonly handshakeSecret: Buffer;
	readonly clientHandshakeTraffic: Buffer;
	readonly serverHandshakeTraffic: Buffer;
	readonly clientFinishedKey: Buffer;
	readonly serverFinishedKey: Buffer;
};

export function handshakeSecrets(
	sharedSecret: Uint8Array,
	transcriptHash: Uint8Array,
	prefix: string = LABEL_PREFIX,
): HandshakeSecrets {
	const handshakeSecret = hkdfExtract(derivedFromEarly(prefix), sharedSecret);
	const clientHandshakeTraffic = deriveSecret(
		handshakeSecret,
		'c hs traffic',
		transcriptHash,
		prefix,
	);
	const serverHandshakeTraffic = deriveSecret(
		handshakeSecret,
		's hs traffic',
		transcriptHash,
		prefix,
	);
	return {
		handshakeSecret,
		clientHandshakeTraffic,
		serverHandshakeTraffic,
		clientFinishedKey: hkdfExpandLabel(
			clientHandshakeTraffic,
			'finished',
			Buffer.alloc(0),
			HASH_LENGTH,
			prefix,
		),
		serverFinishedKey: hkdfExpandLabel(
			serverHandshakeTraffic,
			'finished',
			Buffer.alloc(0),
			HASH_LENGTH,
			prefix,
		),
	};
}

export type ApplicationSecrets = {
	readonly masterSecret: Buffer;
	readonly clientApplicationTraffic: Buffer;
	readonly serverApplicationTraffic: Buffer;
};

export function applicationSecrets(
	handshakeSecret: Uint8Array,
	transcriptHash: Uint8Array,
	prefix: string = LABEL_PREFIX,
): ApplicationSecrets {
	const masterSecret = hkdfExtract(
		deriveSecret(handshakeSecret, 'derived', emptyHash, prefix),
		zeros,
	);
	return {
		masterSecret,
		clientApplicationTraffic: deriveSecret(masterSecret, 'c ap traffic', transcriptHash, prefix),
		serverApplicationTraffic: deriveSecret(masterSecret, 's ap traffic', transcriptHash, prefix),
	};
}

export type TrafficKeys = {readonly key: Buffer; readonly iv: Buffer};

export function trafficKeys(
	trafficSecret: Uint8Array,
	keyLength: number,
	ivLength: number,
	prefix: string = LABEL_PREFIX,
): TrafficKeys {
	return {
		key: hkdfExpandLabel(trafficSecret, 'key', Buffer.alloc(0), keyLength, prefix),
		iv: hkdfExpandLabel(trafficSecret, 'iv', Buffer.alloc(0), ivLength, prefix),
	};
}

/** RFC 8446 section 7.2: application_traffic_secret_N+1. */
export function nextTrafficSecret(
	trafficSecret: Uint8Array,
	prefix: string = LABEL_PREFIX,
): Buffer {
	return hkdfExpandLabel(trafficSecret, 'traffic upd', Buffer.alloc(0), HASH_LENGTH, prefix);
}

/** A short, non-secret name for a key, so both ends can compare: first 8 bytes of SHA-256. */
export function keyFingerprint(key: Uint8Array): string {
	return sha256(Buffer.from('securebank key fingerprint'), key).subarray(0, 8).toString('hex');
}

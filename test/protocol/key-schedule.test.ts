/**
 * The key schedule (source/protocol/key-schedule.ts) against RFC 8448 section 3, the simple 1-RTT
 * TLS 1.3 handshake: with TLS's label prefix ("tls13 ") our HKDF-Expand-Label, Derive-Secret and the
 * secret chain of RFC 8446 section 7.1 must give the RFC's bytes. Vectors: test/vectors/
 * rfc8448-simple-1rtt.json (source in test/vectors/SOURCES-rfc8448.md).
 */
import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {hkdfExpand, hkdfExtract, sha256} from '../../source/crypto/primitives.js';
import {
	applicationSecrets,
	deriveSecret,
	handshakeSecrets,
	hkdfExpandLabel,
	LABEL_PREFIX,
	nextTrafficSecret,
	TLS13_LABEL_PREFIX,
	trafficKeys,
} from '../../source/protocol/key-schedule.js';

type Rfc8448 = {
	readonly SOURCES: string;
	readonly messages: {readonly clientHello: string; readonly serverHello: string};
	readonly keyLength: number;
	readonly ivLength: number;
	readonly values: Readonly<Record<string, string>>;
};

const vectors = JSON.parse(
	readFileSync(new URL('../vectors/rfc8448-simple-1rtt.json', import.meta.url), 'utf8'),
) as Rfc8448;

/** A value of the RFC trace as bytes; a missing name fails loudly rather than comparing undefined. */
function rfc(name: string): Buffer {
	const hex = vectors.values[name];
	if (hex === undefined) throw new Error(`rfc8448-simple-1rtt.json has no value ${name}`);
	return Buffer.from(hex, 'hex');
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const tls = TLS13_LABEL_PREFIX;
const empty = Buffer.alloc(0);
const zeros = Buffer.alloc(32);

describe('RFC 8448 section 3 (simple 1-RTT), TLS prefix "tls13 "', () => {
	it('the vector file names its source', () => {
		expect(vectors.SOURCES).toMatch(/RFC 8448.*IETF.*section 3/);
		expect(TLS13_LABEL_PREFIX).toBe('tls13 ');
	});

	it('RFC 8448 3: transcript hash of ClientHello..ServerHello is SHA-256 of the two messages', () => {
		const transcript = sha256(
			Buffer.from(vectors.messages.clientHello, 'hex'),
			Buffer.from(vectors.messages.serverHello, 'hex'),
		);
		expect(hex(transcript)).toBe(hex(rfc('transcriptHashClientHelloServerHello')));
	});

	it('RFC 8448 3: early secret = HKDF-Extract(0, 0)', () => {
		expect(hex(hkdfExtract(zeros, zeros))).toBe(hex(rfc('earlySecret')));
	});

	it('RFC 8448 3: HkdfLabel bytes (the RFC\'s "info") for derived, c hs traffic, finished, key, iv', () => {
		// HKDF-Expand over the RFC's printed info must equal HKDF-Expand-Label: the struct encoding matches.
		const cases: Array<
			[prk: string, label: string, context: Buffer, length: number, info: string]
		> = [
			['earlySecret', 'derived', rfc('emptyHash'), 32, 'derivedInfo'],
			[
				'handshakeSecret',
				'c hs traffic',
				rfc('transcriptHashClientHelloServerHello'),
				32,
				'clientHandshakeTrafficInfo',
			],
			['serverHandshakeTraffic', 'finished', empty, 32, 'serverFinishedKeyInfo'],
			['serverHandshakeTraffic', 'key', empty, 16, 'serverHandshakeKeyInfo'],
			['serverHandshakeTraffic', 'iv', empty, 12, 'serverHandshakeIvInfo'],
		];
		for (const [prk, label, context, length, info] of cases) {
			const viaLabel = hkdfExpandLabel(rfc(prk), label, context, length, tls);
			expect(hex(viaLabel), label).toBe(hex(hkdfExpand(rfc(prk), rfc(info), length)));
		}
	});

	it('RFC 8448 3: derive secret for handshake "tls13 derived"', () => {
		expect(hex(deriveSecret(rfc('earlySecret'), 'derived', sha256(empty), tls))).toBe(
			hex(rfc('derivedForHandshake')),
		);
		expect(hex(sha256(empty))).toBe(hex(rfc('emptyHash')));
	});

	it('RFC 8448 3: handshake secret, c hs traffic, s hs traffic, both Finished keys from the ECDHE secret', () => {
		const secrets = handshakeSecrets(
			rfc('ecdheSharedSecret'),
			rfc('transcriptHashClientHelloServerHello'),
			tls,
		);
		expect(hex(secrets.handshakeSecret)).toBe(hex(rfc('handshakeSecret')));
		expect(hex(secrets.clientHandshakeTraffic)).toBe(hex(rfc('clientHandshakeTraffic')));
		expect(hex(secrets.serverHandshakeTraffic)).toBe(hex(rfc('serverHandshakeTraffic')));
		expect(hex(secrets.serverFinishedKey)).toBe(hex(rfc('serverFinishedKey')));
		expect(hex(secrets.clientFinishedKey)).toBe(hex(rfc('clientFinishedKey')));
	});

	it('RFC 8448 3: derive secret for master "tls13 derived", master secret, c ap / s ap traffic', () => {
		expect(hex(deriveSecret(rfc('handshakeSecret'), 'derived', sha256(empty), tls))).toBe(
			hex(rfc('derivedForMaster')),
		);
		const application = applicationSecrets(
			rfc('handshakeSecret'),
			rfc('transcriptHashThroughServerFinished'),
			tls,
		);
		expect(hex(application.masterSecret)).toBe(hex(rfc('masterSecret')));
		expect(hex(application.clientApplicationTraffic)).toBe(hex(rfc('clientApplicationTraffic')));
		expect(hex(application.serverApplicationTraffic)).toBe(hex(rfc('serverApplicationTraffic')));
	});

	it('RFC 8448 3: traffic key and iv expansion (AES-128: 16-byte key, 12-byte iv), handshake and application', () => {
		const cases: Array<[secret: string, key: string, iv: string]> = [
			['serverHandshakeTraffic', 'serverHandshakeKey', 'serverHandshakeIv'],
			['clientHandshakeTraffic', 'clientHandshakeKey', 'clientHandshakeIv'],
			['serverApplicationTraffic', 'serverApplicationKey', 'serverApplicationIv'],
			['clientApplicationTraffic', 'clientApplicationKey', 'clientApplicationIv'],
		];
		for (const [secret, key, iv] of cases) {
			const keys = trafficKeys(rfc(secret), vectors.keyLength, vectors.ivLength, tls);
			expect(hex(keys.key), key).toBe(hex(rfc(key)));
			expect(hex(keys.iv), iv).toBe(hex(rfc(iv)));
		}
	});
});

describe("securebank's own label prefix", () => {
	it('is "sbank1 " and is the default', () => {
		expect(LABEL_PREFIX).toBe('sbank1 ');
		const secret = rfc('handshakeSecret');
		expect(hex(hkdfExpandLabel(secret, 'key', empty, 32))).toBe(
			hex(hkdfExpandLabel(secret, 'key', empty, 32, LABEL_PREFIX)),
		);
	});

	it('RFC 8448 3 inputs give different values under "sbank1 " at every step (no key equals a TLS key)', () => {
		const shared = rfc('ecdheSharedSecret');
		const transcript = rfc('transcriptHashClientHelloServerHello');
		const ours = handshakeSecrets(shared, transcript);
		expect(hex(ours.handshakeSecret)).not.toBe(hex(rfc('handshakeSecret')));
		expect(hex(ours.clientHandshakeTraffic)).not.toBe(hex(rfc('clientHandshakeTraffic')));
		expect(hex(ours.serverHandshakeTraffic)).not.toBe(hex(rfc('serverHandshakeTraffic')));
		expect(hex(ours.clientFinishedKey)).not.toBe(hex(rfc('clientFinishedKey')));
		expect(hex(ours.serverFinishedKey)).not.toBe(hex(rfc('serverFinishedKey')));

		// Same inputs as the RFC at each step, so only the prefix differs.
		expect(hex(deriveSecret(rfc('earlySecret'), 'derived', sha256(empty)))).not.toBe(
			hex(rfc('derivedForHandshake')),
		);
		const application = applicationSecrets(
			rfc('handshakeSecret'),
			rfc('transcriptHashThroughServerFinished'),
		);
		expect(hex(application.masterSecret)).not.toBe(hex(rfc('masterSecret')));
		expect(hex(application.clientApplicationTraffic)).not.toBe(
			hex(rfc('clientApplicationTraffic')),
		);
		const keys = trafficKeys(rfc('serverApplicationTraffic'), 16, 12);
		expect(hex(keys.key)).not.toBe(hex(rfc('serverApplicationKey')));
		expect(hex(keys.iv)).not.toBe(hex(rfc('serverApplicationIv')));
	});
});

describe('HKDF-Expand-Label boundaries (RFC 8446 section 7.1)', () => {
	it('rejects a label under 7 bytes and a context over 255 bytes', () => {
		expect(() => hkdfExpandLabel(zeros, '', empty, 32, tls)).toThrow(RangeError);
		expect(() => hkdfExpandLabel(zeros, 'key', Buffer.alloc(256), 32)).toThrow(/at most 255/);
		expect(hkdfExpandLabel(zeros, 'key', Buffer.alloc(255), 32)).toHaveLength(32);
	});

	it('RFC 8446 7.2: the next traffic secret is HKDF-Expand-Label(secret, "traffic upd", "", 32) and differs', () => {
		const secret = rfc('serverApplicationTraffic');
		const next = nextTrafficSecret(secret, tls);
		expect(hex(next)).toBe(hex(hkdfExpandLabel(secret, 'traffic upd', empty, 32, tls)));
		expect(hex(next)).not.toBe(hex(secret));
		expect(hex(nextTrafficSecret(secret))).not.toBe(hex(next));
	});
});

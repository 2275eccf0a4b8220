/**
 * Floors: what the node:crypto calls alone cost, in a hot loop in this process, with no sockets,
 * no framing, no state machine and no events. No securebank built on node:crypto can spend less
 * per handshake or per round trip than these, so they say how far a target is reachable at all.
 *
 * - Handshake: exactly the primitive calls our server makes for one X25519 + Ed25519 handshake
 *   (ephemeral key pair, peer key import and Diffie-Hellman, 3 random/hash steps, the host-key
 *   signature, the key schedule with both Finished MACs, both directions' record keys).
 * - Round trip: the 4 AEAD calls of one 128-byte request and its echo (seal, open, seal, open),
 *   ChaCha20-Poly1305 as in the default suite; node:crypto has no way to key a context once and
 *   use it for many nonces, so each call creates one.
 * Each is the median of 5 timed runs after a warm-up.
 */
import {generateKeyPairSync} from 'node:crypto';
import {
	aeadOpen,
	aeadSeal,
	constantTimeEqual,
	ed25519Sign,
	hmacSha256,
	randomBytes,
	sha256,
	x25519GenerateKeyPair,
	x25519SharedSecret,
} from '../source/crypto/primitives.js';
import {
	applicationSecrets,
	handshakeSecrets,
	trafficKeys,
} from '../source/protocol/key-schedule.js';
import {median} from './stats.js';

export type Floors = {
	/** µs of node:crypto work in one server handshake. */
	readonly handshakeMicros: number;
	/** µs of node:crypto work in one 128-byte round trip (both ends). */
	readonly roundTripMicros: number;
};

function microsPerIteration(iterations: number, step: () => void): number {
	for (let index = 0; index < Math.min(500, iterations); index++) step();
	const samples: number[] = [];
	for (let run = 0; run < 5; run++) {
		const started = performance.now();
		for (let index = 0; index < iterations; index++) step();
		samples.push(((performance.now() - started) * 1000) / iterations);
	}

	return median(samples);
}

export function measureFloors(quick: boolean): Floors {
	const hostKey = generateKeyPairSync('ed25519').privateKey;
	const clientShare = x25519GenerateKeyPair().publicKey;
	const clientHello = randomBytes(110);
	const clientFinished = randomBytes(35);
	let sink = 0;

	const handshakeMicros = microsPerIteration(quick ? 500 : 2000, () => {
		const ephemeral = x25519GenerateKeyPair();
		const shared = x25519SharedSecret(ephemeral.privateKey, clientShare);
		const serverRandom = randomBytes(32);
		const signedHash = sha256(clientHello, serverRandom, ephemeral.publicKey);
		const signature = ed25519Sign(hostKey, signedHash);
		const secrets = handshakeSecrets(shared, signedHash);
		const finished = hmacSha256(secrets.serverFinishedKey, sha256(clientHello, signature));
		const throughServerHello = sha256(clientHello, signature, finished);
		const expected = hmacSha256(
			secrets.clientFinishedKey,
			sha256(clientHello, signature, finished, clientFinished),
		);
		if (constantTimeEqual(expected, finished)) sink++;
		const application = applicationSecrets(secrets.handshakeSecret, throughServerHello);
		sink += trafficKeys(application.clientApplicationTraffic, 32, 12).key[0]!;
		sink += trafficKeys(application.serverApplicationTraffic, 32, 12).key[0]!;
	});

	const key = randomBytes(32);
	const nonce = randomBytes(12);
	const header = Buffer.from([0x17, 0, 145]);
	const inner = Buffer.alloc(129, 0x5a);
	const roundTripMicros = microsPerIteration(quick ? 5000 : 20_000, () => {
		for (let end = 0; end < 2; end++) {
			const sealed = aeadSeal('chacha20-poly1305', key, nonce, inner, header);
			sink += aeadOpen('chacha20-poly1305', key, nonce, sealed, header).length;
		}
	});

	if (sink < 0) throw new Error('unreachable: keeps the loops from being optimised away');
	return {handshakeMicros, roundTripMicros};
}

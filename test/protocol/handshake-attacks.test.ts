/**
 * An attacker on the wire during the handshake (PROTOCOL.md sections 4.2, 5 and 6): truncated
 * flights, flights replayed from an earlier session, a suite stripped from ClientHello, a
 * substituted or re-signed host key, a man in the middle with its own server. Each ends with a
 * specific error and alert and neither a completed handshake nor application data on the victim.
 */
import {describe, expect, it} from 'vitest';
import {generateHostKey} from '../../source/crypto/host-keys.js';
import {ed25519Sign, rsaPssSign, sha256} from '../../source/crypto/primitives.js';
import {
	DEFAULT_SUITE_IDS,
	SUITE_RSA_3072_PSS_AES_256_GCM_SHA256 as RSA,
	SUITE_X25519_ED25519_AES_256_GCM_SHA256 as X25519_AES,
	SUITE_X25519_ED25519_CHACHA20_POLY1305_SHA256 as X25519_CHACHA,
	suiteById,
} from '../../source/crypto/suites.js';
import {ClientConnection} from '../../source/protocol/client-handshake.js';
import {encodeFrame, FrameType, frameTypeNames} from '../../source/protocol/codec.js';
import {ClosedError} from '../../source/protocol/errors.js';
import {localHostKey, signingInput} from '../../source/protocol/host-key-algorithms.js';
import {ServerConnection} from '../../source/protocol/server-handshake.js';
import {Pair, testHostKeys, type Interceptor} from '../helpers/pair.js';
import {expectNoApplicationData, trustNeeded, tryApplicationData} from './outcomes.js';
import {bodyOf, clientHelloWithout, framesOf, onFrame, serverHelloWithHostKey} from './wire.js';

const keys = testHostKeys();

describe('truncated flights', () => {
	for (const type of [FrameType.clientHello, FrameType.serverHello, FrameType.clientFinished]) {
		for (const keep of [1, 3, 20]) {
			it(`${frameTypeNames[type]} cut to ${keep} bytes, then the connection ends: no completion, no data`, () => {
				const direction = type === FrameType.serverHello ? 'toClient' : 'toServer';
				const cut = onFrame(direction, type, (frame) => [frame.subarray(0, keep)]);
				const pair = new Pair({client: {suites: [X25519_CHACHA]}}, cut).handshake();
				// The victim is still waiting for the rest of the frame: no error, and no progress.
				const victim = direction === 'toServer' ? pair.server : pair.client;
				expect(victim.state).toBe('handshaking');
				expect(victim.error).toBeUndefined();
				expect(pair.completed(direction === 'toServer' ? 'server' : 'client')).toBe(false);
				// The I/O layer sees the end of the stream and aborts both machines.
				pair.clientOutput(pair.client.abort(new ClosedError('records', 'connection lost')));
				pair.serverOutput(pair.server.abort(new ClosedError('records', 'connection lost')));
				tryApplicationData(pair);
				expect(pair.client.state).toBe('closed');
				expect(pair.server.state).toBe('closed');
				expect(pair.completed('server')).toBe(false);
				expectNoApplicationData(pair);
			});
		}
	}

	for (const [type, victimRole] of [
		[FrameType.clientHello, 'server'],
		[FrameType.serverHello, 'client'],
		[FrameType.clientFinished, 'server'],
	] as const) {
		it(`${frameTypeNames[type]} with a shortened length field (and body): ${victimRole} fails decode_error`, () => {
			const direction = victimRole === 'server' ? 'toServer' : 'toClient';
			const shorten = onFrame(direction, type, (frame) => [
				encodeFrame(type, bodyOf(frame).subarray(0, -1)),
			]);
			const pair = new Pair({client: {suites: [X25519_CHACHA]}}, shorten).handshake();
			tryApplicationData(pair);
			const victim = victimRole === 'server' ? pair.server : pair.client;
			expect(victim.state).toBe('closed');
			expect(victim.error?.code).toBe('decode_error');
			expect(pair.alerts(victimRole, 'sent').map((alert) => alert.description)).toEqual([
				'decode_error',
			]);
			expect(pair.completed(victimRole)).toBe(false);
			expectNoApplicationData(pair);
		});
	}
});

describe('replayed flights from an earlier session', () => {
	for (const id of [X25519_CHACHA, RSA]) {
		const {name} = suiteById(id)!;
		it(`${name}: session 1's client flights to a fresh server fail at ClientFinished (server random differs)`, () => {
			const session1 = new Pair({client: {suites: [id]}})
				.handshake()
				.sendApplicationData('client', 'withdraw 100');
			const clientBytes = session1.wire
				.filter(({direction}) => direction === 'toServer')
				.map(({bytes}) => bytes);
			expect(session1.received('server')).toEqual(['withdraw 100']);

			const server = new ServerConnection({
				hostKeys: [localHostKey(keys.ed25519), localHostKey(keys.rsa)],
			});
			const events = clientBytes.flatMap((bytes) => server.receive(bytes).events);
			expect(server.state).toBe('closed');
			expect(server.error?.stage).toBe('ClientFinished');
			// X25519: the Finished MAC is keyed from a new DH secret. RSA: the OAEP label binds the old transcript.
			expect(server.error?.code).toBe(id === RSA ? 'decrypt_error' : 'bad_finished');
			expect(events).toContainEqual(
				expect.objectContaining({type: 'alert', direction: 'sent', description: 'decrypt_error'}),
			);
			expect(
				events.some(
					(event) => event.type === 'handshake-complete' || event.type === 'application-data',
				),
			).toBe(false);
		});

		it(`${name}: session 1's server flight to a fresh client fails the signature (client random differs)`, () => {
			const session1 = new Pair({client: {suites: [id]}}).handshake();
			const [serverHello] = framesOf(session1.wire, FrameType.serverHello);
			const client = new ClientConnection({suites: [id]});
			client.start();
			const {events} = client.receive(serverHello!);
			expect(client.state).toBe('closed');
			expect(client.error?.code).toBe('bad_signature');
			expect(client.error?.stage).toBe('ServerHello');
			expect(events).toContainEqual(
				expect.objectContaining({type: 'alert', direction: 'sent', description: 'decrypt_error'}),
			);
			expect(trustNeeded(events)).toEqual([]);
			expect(events.some((event) => event.type === 'handshake-complete')).toBe(false);
		});
	}
});

describe('an on-path attacker (PROTOCOL.md 4.2, 6.2)', () => {
	const strips: Array<[label: string, strip: number[], chosen: number]> = [
		['strips the preferred suite', [X25519_CHACHA], X25519_AES],
		[
			'strips both X25519 suites (downgrade to no forward secrecy)',
			[X25519_CHACHA, X25519_AES],
			RSA,
		],
	];
	for (const [label, strip, chosen] of strips) {
		it(`${label} from ClientHello: the signature over the transcript breaks, client reports bad_signature`, () => {
			const downgrade = onFrame('toServer', FrameType.clientHello, (frame) => [
				strip.reduce((hello, suite) => clientHelloWithout(hello, suite), frame),
			]);
			const pair = new Pair({client: {suites: [...DEFAULT_SUITE_IDS]}}, downgrade).handshake();
			tryApplicationData(pair);
			expect(pair.server.suite?.id).toBe(chosen);
			expect(pair.client.state).toBe('closed');
			expect(pair.client.error?.code).toBe('bad_signature');
			expect(pair.alerts('client', 'sent').map((alert) => alert.description)).toEqual([
				'decrypt_error',
			]);
			expect(trustNeeded(pair.clientEvents)).toEqual([]);
			expect(pair.server.state).toBe('closed');
			expect(pair.server.error?.code).toBe('alert_received');
			expect(pair.completed('client') || pair.completed('server')).toBe(false);
			expectNoApplicationData(pair);
		});
	}

	const attacker = {ed25519: generateHostKey('ed25519'), rsa: generateHostKey('rsa-3072')};

	it("terminates the connection with its own server (own key): trust-needed shows the attacker's fingerprint", () => {
		// Victim ↔ attacker's server; attacker's client ↔ real server. Only the trust check can tell.
		const victim = new Pair({
			client: {suites: [X25519_CHACHA]},
			server: {hostKeys: [localHostKey(attacker.ed25519)], suites: [X25519_CHACHA]},
			autoTrust: false,
		}).handshake();
		const upstream = new Pair({client: {suites: [X25519_CHACHA]}, autoTrust: false}).handshake();
		const [seen] = trustNeeded(victim.clientEvents);
		expect(seen?.fingerprint).toBe(attacker.ed25519.fingerprint);
		expect(seen?.fingerprint).not.toBe(keys.ed25519.fingerprint);
		expect(trustNeeded(upstream.clientEvents)[0]?.fingerprint).toBe(keys.ed25519.fingerprint);

		// The victim knows the real fingerprint (known_hosts) and refuses.
		victim.clientOutput(
			victim.client.decideTrust(seen?.fingerprint === keys.ed25519.fingerprint, 'host key changed'),
		);
		victim.run();
		expect(victim.client.error?.code).toBe('host_key_rejected');
		expect(victim.server.error?.code).toBe('alert_received');
		expect(victim.completed('client') || victim.completed('server')).toBe(false);
	});

	it("RSA suite, ServerHello re-signed in flight with the attacker's RSA key: trust-needed shows that key", () => {
		let clientHelloBody: Buffer | undefined;
		const resign: Interceptor = (direction, bytes) => {
			if (direction === 'toServer' && bytes[0] === FrameType.clientHello) {
				clientHelloBody = bodyOf(bytes);
			}

			if (direction !== 'toClient' || bytes[0] !== FrameType.serverHello) return [bytes];
			return [
				serverHelloWithHostKey(bytes, attacker.rsa.publicKeyBytes, {
					clientHelloBody: clientHelloBody!,
					sign: (transcript) =>
						rsaPssSign(attacker.rsa.privateKey, signingInput(sha256(transcript))),
				}),
			];
		};

		const pair = new Pair({client: {suites: [RSA]}, autoTrust: false}, resign).handshake();
		const [seen] = trustNeeded(pair.clientEvents);
		expect(seen?.fingerprint).toBe(attacker.rsa.fingerprint);
		expect(seen?.fingerprint).not.toBe(keys.rsa.fingerprint);
		// A user who wrongly accepts encrypts the secret to the attacker: the real server cannot decrypt it.
		pair.clientOutput(pair.client.decideTrust(true));
		pair.run();
		expect(pair.server.error?.code).toBe('decrypt_error');
		expect(pair.completed('server')).toBe(false);
	});

	it("X25519 suite, ServerHello re-signed with the attacker's key but the DH untouched: bad_finished, no trust prompt", () => {
		let clientHelloBody: Buffer | undefined;
		const resign: Interceptor = (direction, bytes) => {
			if (direction === 'toServer' && bytes[0] === FrameType.clientHello) {
				clientHelloBody = bodyOf(bytes);
			}

			if (direction !== 'toClient' || bytes[0] !== FrameType.serverHello) return [bytes];
			return [
				serverHelloWithHostKey(bytes, attacker.ed25519.publicKeyBytes, {
					clientHelloBody: clientHelloBody!,
					sign: (transcript) =>
						ed25519Sign(attacker.ed25519.privateKey, signingInput(sha256(transcript))),
				}),
			];
		};

		const pair = new Pair({client: {suites: [X25519_CHACHA]}}, resign).handshake();
		expect(pair.client.error?.code).toBe('bad_finished');
		expect(trustNeeded(pair.clientEvents)).toEqual([]);
		expect(pair.completed('client') || pair.completed('server')).toBe(false);
	});

	for (const id of [X25519_CHACHA, RSA]) {
		it(`${suiteById(id)!.name}: only the host_key bytes of ServerHello replaced → bad_signature`, () => {
			const replacement =
				id === RSA ? attacker.rsa.publicKeyBytes : attacker.ed25519.publicKeyBytes;
			const swap = onFrame('toClient', FrameType.serverHello, (frame) => [
				serverHelloWithHostKey(frame, replacement),
			]);
			const pair = new Pair({client: {suites: [id]}}, swap).handshake();
			tryApplicationData(pair);
			expect(pair.client.state).toBe('closed');
			expect(pair.client.error?.code).toBe('bad_signature');
			expect(pair.alerts('client', 'sent').map((alert) => alert.description)).toEqual([
				'decrypt_error',
			]);
			expect(trustNeeded(pair.clientEvents)).toEqual([]);
			expect(pair.server.error?.code).toBe('alert_received');
			expect(pair.completed('client') || pair.completed('server')).toBe(false);
			expectNoApplicationData(pair);
		});
	}
});

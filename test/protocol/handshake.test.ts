/**
 * The handshake as a peer sees it (PROTOCOL.md section 4, CLARIFICATIONS.md 1), over an in-memory
 * pair after h11's ConnectionPair: every suite completes; negotiation picks the first offer the
 * server allows; and reordered, duplicated, truncated, replayed, downgraded or re-keyed flights end
 * with a specific error and alert, never with a completed handshake or application data on the
 * side under attack. Single-byte flips of every message live in handshake-flips.test.ts.
 */
import {describe, expect, it} from 'vitest';
import {generateHostKey} from '../../source/crypto/host-keys.js';
import {ed25519Sign, rsaPssSign, sha256} from '../../source/crypto/primitives.js';
import {
	allSuites,
	DEFAULT_SUITE_IDS,
	registerSuite,
	SUITE_RSA_3072_PSS_AES_256_GCM_SHA256 as RSA,
	SUITE_X25519_ED25519_AES_256_GCM_SHA256 as X25519_AES,
	SUITE_X25519_ED25519_CHACHA20_POLY1305_SHA256 as X25519_CHACHA,
	suiteById,
	type Suite,
} from '../../source/crypto/suites.js';
import {ClientConnection} from '../../source/protocol/client-handshake.js';
import {encodeFrame, FrameType} from '../../source/protocol/codec.js';
import {AlertCode, ClosedError, TimeoutError} from '../../source/protocol/errors.js';
import type {ProtocolEvent} from '../../source/protocol/events.js';
import {localHostKey, signingInput} from '../../source/protocol/host-key-algorithms.js';
import {ServerConnection} from '../../source/protocol/server-handshake.js';
import {Pair, testHostKeys, type Interceptor} from '../helpers/pair.js';
import {bodyOf, clientHelloWithout, framesOf, onFrame, serverHelloWithHostKey} from './wire.js';

const keys = testHostKeys();
const rsaSuite = suiteById(RSA)!;

function expectedHostKey(suite: Suite): {fingerprint: string} {
	return suite.hostKey === 'ed25519' ? keys.ed25519 : keys.rsa;
}

/** Both ends try to send once the dust settles: nothing may arrive on a side that did not finish. */
function tryApplicationData(pair: Pair): void {
	pair.sendApplicationData('client', 'client data');
	pair.sendApplicationData('server', 'server data');
}

function expectNoApplicationData(pair: Pair): void {
	expect(pair.events('client', 'application-data')).toEqual([]);
	expect(pair.events('server', 'application-data')).toEqual([]);
}

function trustNeeded(events: readonly ProtocolEvent[]): Array<Extract<ProtocolEvent, {type: 'trust-needed'}>> {
	return events.flatMap((event) => (event.type === 'trust-needed' ? [event] : []));
}

describe('every default suite completes (PROTOCOL.md 4)', () => {
	for (const id of DEFAULT_SUITE_IDS) {
		const suite = suiteById(id)!;
		it(`${suite.name}: both open on the same suite, same host key, data both ways, full event story`, () => {
			const pair = new Pair({client: {suites: [id]}}).handshake();
			expect(pair.client.state).toBe('open');
			expect(pair.server.state).toBe('open');
			expect(pair.client.suite?.id).toBe(id);
			expect(pair.server.suite?.id).toBe(id);
			expect(pair.client.hostKey?.fingerprint).toBe(expectedHostKey(suite).fingerprint);
			const serverHostKey = pair.events('server', 'host-key')[0];
			expect(serverHostKey?.type === 'host-key' && serverHostKey.fingerprint).toBe(pair.client.hostKey?.fingerprint);

			pair.sendApplicationData('client', 'deposit 500');
			pair.sendApplicationData('server', 'balance 500');
			expect(pair.received('server')).toEqual(['deposit 500']);
			expect(pair.received('client')).toEqual(['balance 500']);

			for (const role of ['client', 'server'] as const) {
				const types = new Set((role === 'client' ? pair.clientEvents : pair.serverEvents).map((event) => event.type));
				for (const type of ['message', 'check', 'key', 'suite', 'host-key', 'handshake-complete'] as const) {
					expect(types.has(type), `${role} emits ${type}`).toBe(true);
				}

				expect(types.has('error'), `${role} emits no error`).toBe(false);
				const failed = pair.events(role, 'check').filter((event) => event.type === 'check' && !event.ok);
				expect(failed, `${role} checks`).toEqual([]);
				const [complete, ...more] = pair.events(role, 'handshake-complete');
				expect(more).toEqual([]);
				expect(complete).toMatchObject({
					suite: {id},
					hostKeyFingerprint: expectedHostKey(suite).fingerprint,
					// Written out rather than read from the table: the RSA suite has no forward secrecy.
					forwardSecrecy: id !== RSA,
					insecure: false,
				});
			}

			const messages = (role: 'client' | 'server') =>
				pair.events(role, 'message').map((event) => (event.type === 'message' ? `${event.direction} ${event.message}` : ''));
			const finished = id === RSA ? ['received ServerFinished'] : [];
			expect(messages('client')).toEqual(['sent ClientHello', 'received ServerHello', 'sent ClientFinished', ...finished]);

			// Both ends derived the same application keys (fingerprints only; no secrets in events).
			const keyPrints = (role: 'client' | 'server') =>
				Object.fromEntries(pair.events(role, 'key').map((event) => (event.type === 'key' ? [event.name, event.fingerprint] : [])));
			expect(keyPrints('client')['client application traffic secret']).toBeDefined();
			expect(keyPrints('client')['client application traffic secret']).toBe(keyPrints('server')['client application traffic secret']);
			expect(keyPrints('client')['server application traffic secret']).toBe(keyPrints('server')['server application traffic secret']);
			expect(pair.clientEvents.some((event) => event.type === 'key' && event.secret !== undefined)).toBe(false);
		});
	}

	it('RSA suite: handshake-complete says forwardSecrecy false on both sides; X25519 says true', () => {
		const rsa = new Pair({client: {suites: [RSA]}}).handshake();
		const x25519 = new Pair({client: {suites: [X25519_CHACHA]}}).handshake();
		for (const role of ['client', 'server'] as const) {
			expect(rsa.events(role, 'handshake-complete')[0]).toMatchObject({forwardSecrecy: false, suite: {forwardSecrecy: false}});
			expect(x25519.events(role, 'handshake-complete')[0]).toMatchObject({forwardSecrecy: true});
		}
	});
});

describe('suite negotiation: the first of the client\'s offers that the server allows', () => {
	const cases: Array<[offered: number[], allowed: number[] | undefined, chosen: number]> = [
		[[X25519_AES, X25519_CHACHA, RSA], [X25519_CHACHA, RSA], X25519_CHACHA],
		[[RSA, X25519_CHACHA, X25519_AES], undefined, RSA],
		[[...DEFAULT_SUITE_IDS], [X25519_AES], X25519_AES],
		[[X25519_CHACHA, RSA], [RSA, X25519_CHACHA], X25519_CHACHA],
	];
	for (const [offered, allowed, chosen] of cases) {
		it(`client offers ${offered.join(',')}, server allows ${allowed?.join(',') ?? 'default'} → ${chosen}`, () => {
			const pair = new Pair({client: {suites: offered}, server: allowed ? {suites: allowed} : {}}).handshake();
			expect(pair.server.suite?.id).toBe(chosen);
			expect(pair.client.suite?.id).toBe(chosen);
			expect(pair.client.state).toBe('open');
			expect(pair.server.state).toBe('open');
		});
	}

	it('no common suite: server fails no_common_suite, sends handshake_failure naming the suites; both closed', () => {
		const pair = new Pair({client: {suites: [X25519_CHACHA, X25519_AES]}, server: {suites: [RSA]}}).handshake();
		expect(pair.server.state).toBe('closed');
		expect(pair.client.state).toBe('closed');
		expect(pair.server.error?.code).toBe('no_common_suite');
		expect(pair.errorCodes('server')).toEqual(['no_common_suite']);
		expect(pair.alerts('server', 'sent').map((alert) => alert.code)).toEqual([AlertCode.handshakeFailure]);
		const [received] = pair.alerts('client', 'received');
		expect(received?.description).toBe('handshake_failure');
		expect(received?.reason).toContain('X25519_ED25519_CHACHA20_POLY1305_SHA256');
		expect(received?.reason).toContain('X25519_ED25519_AES_256_GCM_SHA256');
		expect(received?.reason).toContain('RSA_3072_PSS_AES_256_GCM_SHA256');
		expect(pair.client.error?.code).toBe('alert_received');
		expect(pair.client.error?.message).toMatch(/handshake_failure: no common suite/);
		expect(framesOf(pair.wire, FrameType.serverHello)).toEqual([]);
		expect(pair.completed('client') || pair.completed('server')).toBe(false);
	});
});

describe('reordered and duplicated flights', () => {
	it('ServerHello twice in one read: client fails unexpected_message before trust, stays closed', () => {
		const twice = onFrame('toClient', FrameType.serverHello, (frame) => [Buffer.concat([frame, frame])]);
		const pair = new Pair({client: {suites: [X25519_CHACHA]}}, twice).handshake();
		tryApplicationData(pair);
		expect(pair.client.error?.code).toBe('unexpected_message');
		expect(pair.client.error?.message).toMatch(/got ServerHello/);
		expect(pair.alerts('client', 'sent').map((alert) => alert.description)).toEqual(['unexpected_message']);
		// The Pair answers trust-needed with decideTrust(true): a closed client must not resurrect.
		expect(pair.client.state).toBe('closed');
		expect(pair.completed('client')).toBe(false);
		expect(framesOf(pair.wire, FrameType.clientFinished)).toEqual([]);
		expect(pair.server.state).toBe('closed');
		expect(pair.server.error?.code).toBe('alert_received');
		expect(pair.completed('server')).toBe(false);
		expectNoApplicationData(pair);
	});

	it('ServerHello again after the handshake: client fails unexpected_message, server receives the alert', () => {
		const twice = onFrame('toClient', FrameType.serverHello, (frame) => [frame, frame]);
		const pair = new Pair({client: {suites: [X25519_AES]}}, twice).handshake();
		tryApplicationData(pair);
		expect(pair.client.state).toBe('closed');
		expect(pair.client.error?.code).toBe('unexpected_message');
		expect(pair.server.state).toBe('closed');
		expect(pair.server.error?.code).toBe('alert_received');
		expectNoApplicationData(pair);
	});

	for (const id of [X25519_CHACHA, RSA]) {
		it(`ClientHello twice (${suiteById(id)!.name}): server fails unexpected_message, never completes`, () => {
			const twice = onFrame('toServer', FrameType.clientHello, (frame) => [frame, frame]);
			const pair = new Pair({client: {suites: [id]}}, twice).handshake();
			tryApplicationData(pair);
			expect(pair.server.state).toBe('closed');
			expect(pair.server.error?.code).toBe('unexpected_message');
			expect(pair.server.error?.message).toMatch(/expected ClientFinished, got ClientHello/);
			expect(pair.alerts('server', 'sent').map((alert) => alert.description)).toEqual(['unexpected_message']);
			expect(pair.completed('server')).toBe(false);
			expect(pair.client.state).toBe('closed');
			expectNoApplicationData(pair);
		});
	}

	it('ClientFinished before any ClientHello: a fresh server rejects it (expected ClientHello)', () => {
		const earlier = new Pair({client: {suites: [X25519_CHACHA]}}).handshake();
		const [clientFinished] = framesOf(earlier.wire, FrameType.clientFinished);
		const server = new ServerConnection({hostKeys: [localHostKey(keys.ed25519), localHostKey(keys.rsa)]});
		const output = server.receive(clientFinished!);
		expect(server.state).toBe('closed');
		expect(server.error?.code).toBe('unexpected_message');
		expect(server.error?.message).toMatch(/expected ClientHello, got ClientFinished/);
		expect(output.events).toContainEqual(expect.objectContaining({type: 'alert', direction: 'sent', code: AlertCode.unexpectedMessage}));
		expect(output.events.some((event) => event.type === 'handshake-complete')).toBe(false);
	});

	it('ServerFinished before ServerHello: the client rejects it (expected ServerHello)', () => {
		const client = new ClientConnection({suites: [RSA]});
		client.start();
		const output = client.receive(encodeFrame(FrameType.serverFinished, Buffer.concat([Buffer.of(32), Buffer.alloc(32)])));
		expect(client.state).toBe('closed');
		expect(client.error?.code).toBe('unexpected_message');
		expect(client.error?.message).toMatch(/expected ServerHello, got ServerFinished/);
		expect(output.events).toContainEqual(expect.objectContaining({type: 'alert', direction: 'sent', description: 'unexpected_message'}));
	});

	it('ServerFinished in an X25519 suite (where none exists): client closes with unexpected_message', () => {
		const extra: Interceptor = (direction, bytes) =>
			direction === 'toClient' && bytes[0] === FrameType.serverHello
				? [bytes, encodeFrame(FrameType.serverFinished, Buffer.concat([Buffer.of(32), Buffer.alloc(32)]))]
				: [bytes];
		const pair = new Pair({client: {suites: [X25519_CHACHA]}}, extra).handshake();
		expect(pair.client.state).toBe('closed');
		expect(pair.client.error?.code).toBe('unexpected_message');
		expect(pair.server.error?.code).toBe('alert_received');
	});
});

describe('truncated flights', () => {
	for (const type of [FrameType.clientHello, FrameType.serverHello, FrameType.clientFinished]) {
		for (const keep of [1, 3, 20]) {
			it(`frame type ${type} cut to ${keep} bytes, then the connection ends: no completion, no data`, () => {
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
		it(`frame type ${type} with a shortened length field (and body): ${victimRole} fails decode_error`, () => {
			const direction = victimRole === 'server' ? 'toServer' : 'toClient';
			const shorten = onFrame(direction, type, (frame) => [encodeFrame(type, bodyOf(frame).subarray(0, -1))]);
			const pair = new Pair({client: {suites: [X25519_CHACHA]}}, shorten).handshake();
			tryApplicationData(pair);
			const victim = victimRole === 'server' ? pair.server : pair.client;
			expect(victim.state).toBe('closed');
			expect(victim.error?.code).toBe('decode_error');
			expect(pair.alerts(victimRole, 'sent').map((alert) => alert.description)).toEqual(['decode_error']);
			expect(pair.completed(victimRole)).toBe(false);
			expectNoApplicationData(pair);
		});
	}
});

describe('replayed flights from an earlier session', () => {
	for (const id of [X25519_CHACHA, RSA]) {
		const name = suiteById(id)!.name;
		it(`${name}: session 1's client flights to a fresh server fail at ClientFinished (server random differs)`, () => {
			const session1 = new Pair({client: {suites: [id]}}).handshake().sendApplicationData('client', 'withdraw 100');
			const clientBytes = session1.wire.filter(({direction}) => direction === 'toServer').map(({bytes}) => bytes);
			expect(session1.received('server')).toEqual(['withdraw 100']);

			const server = new ServerConnection({hostKeys: [localHostKey(keys.ed25519), localHostKey(keys.rsa)]});
			const events = clientBytes.flatMap((bytes) => server.receive(bytes).events);
			expect(server.state).toBe('closed');
			expect(server.error?.stage).toBe('ClientFinished');
			// X25519: the Finished MAC is keyed from a new DH secret. RSA: the OAEP label binds the old transcript.
			expect(server.error?.code).toBe(id === RSA ? 'decrypt_error' : 'bad_finished');
			expect(events).toContainEqual(expect.objectContaining({type: 'alert', direction: 'sent', description: 'decrypt_error'}));
			expect(events.some((event) => event.type === 'handshake-complete' || event.type === 'application-data')).toBe(false);
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
			expect(events).toContainEqual(expect.objectContaining({type: 'alert', direction: 'sent', description: 'decrypt_error'}));
			expect(trustNeeded(events)).toEqual([]);
			expect(events.some((event) => event.type === 'handshake-complete')).toBe(false);
		});
	}
});

describe('an on-path attacker', () => {
	const strips: Array<[label: string, strip: number[], chosen: number]> = [
		['strips the preferred suite', [X25519_CHACHA], X25519_AES],
		['strips both X25519 suites (downgrade to no forward secrecy)', [X25519_CHACHA, X25519_AES], RSA],
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
			expect(pair.alerts('client', 'sent').map((alert) => alert.description)).toEqual(['decrypt_error']);
			expect(trustNeeded(pair.clientEvents)).toEqual([]);
			expect(pair.server.state).toBe('closed');
			expect(pair.server.error?.code).toBe('alert_received');
			expect(pair.completed('client') || pair.completed('server')).toBe(false);
			expectNoApplicationData(pair);
		});
	}

	const attacker = {ed25519: generateHostKey('ed25519'), rsa: generateHostKey('rsa-3072')};

	it('terminates the connection with its own server (own key): trust-needed shows the attacker\'s fingerprint', () => {
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
		victim.clientOutput(victim.client.decideTrust(seen?.fingerprint === keys.ed25519.fingerprint, 'host key changed'));
		victim.run();
		expect(victim.client.error?.code).toBe('host_key_rejected');
		expect(victim.server.error?.code).toBe('alert_received');
		expect(victim.completed('client') || victim.completed('server')).toBe(false);
	});

	it('RSA suite, ServerHello re-signed in flight with the attacker\'s RSA key: trust-needed shows that key', () => {
		let clientHelloBody: Buffer | undefined;
		const resign: Interceptor = (direction, bytes) => {
			if (direction === 'toServer' && bytes[0] === FrameType.clientHello) clientHelloBody = bodyOf(bytes);
			if (direction !== 'toClient' || bytes[0] !== FrameType.serverHello) return [bytes];
			return [
				serverHelloWithHostKey(bytes, attacker.rsa.publicKeyBytes, {
					clientHelloBody: clientHelloBody!,
					sign: (transcript) => rsaPssSign(attacker.rsa.privateKey, signingInput(sha256(transcript))),
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

	it('X25519 suite, ServerHello re-signed with the attacker\'s key but the DH untouched: bad_finished, no trust prompt', () => {
		let clientHelloBody: Buffer | undefined;
		const resign: Interceptor = (direction, bytes) => {
			if (direction === 'toServer' && bytes[0] === FrameType.clientHello) clientHelloBody = bodyOf(bytes);
			if (direction !== 'toClient' || bytes[0] !== FrameType.serverHello) return [bytes];
			return [
				serverHelloWithHostKey(bytes, attacker.ed25519.publicKeyBytes, {
					clientHelloBody: clientHelloBody!,
					sign: (transcript) => ed25519Sign(attacker.ed25519.privateKey, signingInput(sha256(transcript))),
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
			const replacement = id === RSA ? attacker.rsa.publicKeyBytes : attacker.ed25519.publicKeyBytes;
			const swap = onFrame('toClient', FrameType.serverHello, (frame) => [serverHelloWithHostKey(frame, replacement)]);
			const pair = new Pair({client: {suites: [id]}}, swap).handshake();
			tryApplicationData(pair);
			expect(pair.client.state).toBe('closed');
			expect(pair.client.error?.code).toBe('bad_signature');
			expect(pair.alerts('client', 'sent').map((alert) => alert.description)).toEqual(['decrypt_error']);
			expect(trustNeeded(pair.clientEvents)).toEqual([]);
			expect(pair.server.error?.code).toBe('alert_received');
			expect(pair.completed('client') || pair.completed('server')).toBe(false);
			expectNoApplicationData(pair);
		});
	}
});

describe('the trust decision', () => {
	for (const id of [X25519_CHACHA, RSA]) {
		it(`${suiteById(id)!.name}: client refuses → host_key_rejected sent, server closes alert_received`, () => {
			const pair = new Pair({client: {suites: [id]}, autoTrust: false}).handshake();
			expect(pair.client.awaitingTrust).toBe(true);
			expect(trustNeeded(pair.clientEvents)[0]?.fingerprint).toBe(expectedHostKey(suiteById(id)!).fingerprint);
			pair.clientOutput(pair.client.decideTrust(false, 'fingerprint does not match known_hosts'));
			pair.run();
			tryApplicationData(pair);
			expect(pair.client.state).toBe('closed');
			expect(pair.client.error?.code).toBe('host_key_rejected');
			expect(pair.alerts('client', 'sent')).toEqual([
				expect.objectContaining({code: AlertCode.hostKeyRejected, reason: 'fingerprint does not match known_hosts'}),
			]);
			expect(pair.server.state).toBe('closed');
			expect(pair.server.error?.code).toBe('alert_received');
			expect(pair.alerts('server', 'received').map((alert) => alert.description)).toEqual(['host_key_rejected']);
			expect(framesOf(pair.wire, FrameType.clientFinished)).toEqual([]);
			expect(pair.completed('client') || pair.completed('server')).toBe(false);
			expectNoApplicationData(pair);
		});
	}

	it('a client closed while the trust prompt is open does not send ClientFinished when trust arrives late', () => {
		for (const stop of [
			(client: ClientConnection) => client.close('user quit'),
			(client: ClientConnection) => client.abort(new TimeoutError('trust', 'no answer in 30 s')),
		]) {
			const pair = new Pair({client: {suites: [X25519_CHACHA]}, autoTrust: false}).handshake();
			pair.clientOutput(stop(pair.client));
			const late = pair.client.decideTrust(true);
			expect(late.send).toEqual([]);
			expect(pair.client.state).toBe('closed');
			expect(late.events.some((event) => event.type === 'handshake-complete')).toBe(false);
		}
	});

	it('a client closed before start() sends no ClientHello', () => {
		const client = new ClientConnection();
		client.close('changed my mind');
		const output = client.start();
		expect(output.send).toEqual([]);
		expect(client.state).toBe('closed');
	});
});

// The teaching suite registers itself when its module is imported; it may not exist in every
// checkout, so it is loaded by a computed path (not resolved at compile time) and skipped if absent.
const teachingModule = '../../source/protocol/teaching-suite.js';
try {
	await import(teachingModule);
} catch (error) {
	if ((error as {code?: string}).code !== 'ERR_MODULE_NOT_FOUND') throw error;
}

describe('insecure teaching suites', () => {
	const teaching = allSuites().filter((suite) => suite.insecure);

	it.skipIf(teaching.length === 0)('a registered teaching suite cannot be offered or allowed without allowInsecure', () => {
		for (const suite of teaching) {
			expect(() => new ClientConnection({suites: [suite.id]})).toThrow(RangeError);
			expect(() => new ServerConnection({hostKeys: [], suites: [suite.id]})).toThrow(RangeError);
		}
	});

	it('an insecure suite (stand-in row registered by this test) needs allowInsecure on both ends', () => {
		const standIn: Suite = {...rsaSuite, id: 0x7f_fe, name: 'TEST_STAND_IN_INSECURE', insecure: true};
		registerSuite(standIn);
		expect(() => new ClientConnection({suites: [standIn.id]})).toThrow(RangeError);
		expect(() => new ClientConnection({suites: [X25519_CHACHA, standIn.id]})).toThrow(/INSECURE/);
		expect(() => new ServerConnection({hostKeys: [localHostKey(keys.rsa)], suites: [standIn.id]})).toThrow(RangeError);
		expect(() => new ClientConnection({suites: [standIn.id], allowInsecure: true})).not.toThrow();

		// Offered first by an opted-in client, it is skipped by a server that does not allow it.
		const pair = new Pair({client: {suites: [standIn.id, X25519_CHACHA], allowInsecure: true}}).handshake();
		expect(pair.server.suite?.id).toBe(X25519_CHACHA);
		expect(pair.client.state).toBe('open');
	});
});

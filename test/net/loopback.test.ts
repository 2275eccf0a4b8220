/**
 * The network layer over real loopback sockets (127.0.0.1, port 0): several clients at once,
 * known_hosts trust (new, known, changed, pinned, another key type), limits and bad peers.
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {connect as netConnect, type Socket} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {generateHostKey} from '../../source/crypto/host-keys.js';
import {
	SUITE_RSA_3072_PSS_AES_256_GCM_SHA256,
	SUITE_X25519_ED25519_CHACHA20_POLY1305_SHA256,
} from '../../source/crypto/suites.js';
import {connect, ConnectError, preferKnownKeyTypes} from '../../source/net/client.js';
import {SecureServer, type ServerHooks} from '../../source/net/server.js';
import type {ProtocolEvent} from '../../source/protocol/events.js';
import {testHostKeys} from '../helpers/pair.js';

const directory = mkdtempSync(join(tmpdir(), 'securebank-net-'));
let counter = 0;
const freshKnownHosts = () => join(directory, `known_hosts_${++counter}`);

function echoServer(
	extra: Partial<ConstructorParameters<typeof SecureServer>[0]> = {},
	hooks: ServerHooks = {},
) {
	const keys = testHostKeys();
	return new SecureServer(
		{host: '127.0.0.1', port: 0, hostKeys: [keys.ed25519, keys.rsa], ...extra},
		{
			...hooks,
			onSession(session) {
				session.onData((data) => session.send(Buffer.concat([Buffer.from('echo:'), data])));
				hooks.onSession?.(session);
			},
		},
	);
}

async function roundTrip(
	session: Awaited<ReturnType<typeof connect>>,
	text: string,
): Promise<string> {
	const reply = new Promise<string>((resolve) =>
		session.onData((data) => resolve(Buffer.from(data).toString())),
	);
	session.send(Buffer.from(text));
	return reply;
}

let server: SecureServer;
let port: number;

beforeAll(async () => {
	server = echoServer();
	({port} = await server.listen());
});

afterAll(async () => {
	await server.close();
	rmSync(directory, {recursive: true, force: true});
});

describe('several clients at once', () => {
	it('serves 20 concurrent clients, each getting its own answer', async () => {
		const knownHosts = freshKnownHosts();
		const sessions = await Promise.all(
			Array.from({length: 20}, async () =>
				connect({
					host: '127.0.0.1',
					port,
					knownHostsFile: knownHosts,
					fingerprint: testHostKeys().ed25519.fingerprint,
				}),
			),
		);
		const replies = await Promise.all(
			sessions.map(async (session, index) => roundTrip(session, `client ${index}`)),
		);
		expect(replies).toEqual(sessions.map((_session, index) => `echo:client ${index}`));
		for (const session of sessions) session.close();
		await Promise.all(sessions.map(async (session) => session.closed));
	});
});

describe('known_hosts', () => {
	it('a new key is refused without --accept-new (exit code 3) and nothing is written', async () => {
		const knownHosts = freshKnownHosts();
		const events: ProtocolEvent[] = [];
		const error = await connect({
			host: '127.0.0.1',
			port,
			knownHostsFile: knownHosts,
			onEvent: (event) => events.push(event),
		}).catch((error: unknown) => error);
		expect(error).toBeInstanceOf(ConnectError);
		expect((error as ConnectError).exitCode).toBe(3);
		expect((error as ConnectError).message).toMatch(/--accept-new/);
		expect(events.some((event) => event.type === 'trust' && event.status === 'rejected')).toBe(
			true,
		);
		expect(() => readFileSync(knownHosts)).toThrow();
	});

	it('accept-new remembers the key as [host]:port, then it is known', async () => {
		const knownHosts = freshKnownHosts();
		const first = await connect({
			host: '127.0.0.1',
			port,
			knownHostsFile: knownHosts,
			acceptNew: true,
		});
		expect(first.info.trust).toBe('new');
		first.close();
		const line = readFileSync(knownHosts, 'utf8').trim();
		expect(line).toMatch(new RegExp(String.raw`^\[127\.0\.0\.1\]:${port} ssh-ed25519 AAAA`));
		const events: ProtocolEvent[] = [];
		const second = await connect({
			host: '127.0.0.1',
			port,
			knownHostsFile: knownHosts,
			onEvent: (event) => events.push(event),
		});
		expect(second.info.trust).toBe('known');
		expect(events).toContainEqual(
			expect.objectContaining({type: 'trust', status: 'known', knownHostsLine: 1}),
		);
		expect(await roundTrip(second, 'hi')).toBe('echo:hi');
		second.close();
	});

	it('the decideUnknownHost callback is asked; yes remembers, no refuses', async () => {
		const knownHosts = freshKnownHosts();
		const asked: string[] = [];
		const refused = await connect({
			host: '127.0.0.1',
			port,
			knownHostsFile: knownHosts,
			async decideUnknownHost(key) {
				asked.push(key.fingerprint);
				return false;
			},
		}).catch((error: unknown) => error);
		expect((refused as ConnectError).exitCode).toBe(3);
		const accepted = await connect({
			host: '127.0.0.1',
			port,
			knownHostsFile: knownHosts,
			async decideUnknownHost(key) {
				asked.push(key.fingerprint);
				return true;
			},
		});
		expect(asked).toEqual([testHostKeys().ed25519.fingerprint, testHostKeys().ed25519.fingerprint]);
		expect(readFileSync(knownHosts, 'utf8')).toContain('ssh-ed25519');
		accepted.close();
	});

	it('a changed key is a hard failure naming both fingerprints and the file line', async () => {
		const knownHosts = freshKnownHosts();
		const impostor = generateHostKey('ed25519');
		const blob = Buffer.concat([
			Buffer.from([0, 0, 0, 11]),
			Buffer.from('ssh-ed25519'),
			Buffer.from([0, 0, 0, 32]),
			impostor.publicKeyBytes,
		]);
		writeFileSync(
			knownHosts,
			`# comment\n[127.0.0.1]:${port} ssh-ed25519 ${blob.toString('base64')}\n`,
		);
		const events: ProtocolEvent[] = [];
		const error = (await connect({
			host: '127.0.0.1',
			port,
			knownHostsFile: knownHosts,
			acceptNew: true,
			onEvent: (event) => events.push(event),
		}).catch((error: unknown) => error)) as ConnectError;
		expect(error.exitCode).toBe(3);
		const trust = events.find((event) => event.type === 'trust');
		expect(trust).toMatchObject({
			status: 'changed',
			fingerprint: testHostKeys().ed25519.fingerprint,
			knownFingerprint: impostor.fingerprint,
			knownHostsLine: 2,
		});
		expect(trust && 'detail' in trust ? trust.detail : '').toMatch(/HAS CHANGED/);
		expect(error.message).toMatch(/HAS CHANGED/);
	});

	it('a pinned fingerprint accepts the right key and refuses another', async () => {
		const ok = await connect({
			host: '127.0.0.1',
			port,
			knownHostsFile: freshKnownHosts(),
			fingerprint: testHostKeys().ed25519.fingerprint,
		});
		expect(ok.info.trust).toBe('pinned');
		ok.close();
		const wrong = (await connect({
			host: '127.0.0.1',
			port,
			knownHostsFile: freshKnownHosts(),
			fingerprint: generateHostKey('ed25519').fingerprint,
		}).catch((error: unknown) => error)) as ConnectError;
		expect(wrong.exitCode).toBe(3);
		expect(wrong.message).toMatch(/pinned/);
	});

	it('a key of a new type for a host known by another type is not accepted silently', async () => {
		const knownHosts = freshKnownHosts();
		(await connect({host: '127.0.0.1', port, knownHostsFile: knownHosts, acceptNew: true})).close();
		const error = (await connect({
			host: '127.0.0.1',
			port,
			knownHostsFile: knownHosts,
			acceptNew: true,
			suites: [SUITE_RSA_3072_PSS_AES_256_GCM_SHA256],
		}).catch((error: unknown) => error)) as ConnectError;
		expect(error.exitCode).toBe(3);
		expect(error.message).toMatch(/only other key types are known/);
		expect(
			preferKnownKeyTypes(
				[SUITE_RSA_3072_PSS_AES_256_GCM_SHA256, SUITE_X25519_ED25519_CHACHA20_POLY1305_SHA256],
				knownHosts,
				`[127.0.0.1]:${port}`,
			),
		).toEqual([
			SUITE_X25519_ED25519_CHACHA20_POLY1305_SHA256,
			SUITE_RSA_3072_PSS_AES_256_GCM_SHA256,
		]);
	});
});

async function rawSocket(targetPort: number): Promise<Socket> {
	return new Promise((resolve, reject) => {
		const socket = netConnect({host: '127.0.0.1', port: targetPort}, () => resolve(socket));
		socket.once('error', reject);
	});
}

async function readAll(socket: Socket): Promise<Buffer> {
	return new Promise((resolve) => {
		const chunks: Buffer[] = [];
		socket.on('data', (chunk: Buffer) => chunks.push(chunk));
		socket.on('close', () => resolve(Buffer.concat(chunks)));
		socket.on('error', () => resolve(Buffer.concat(chunks)));
	});
}

describe('bad peers and limits', () => {
	it('garbage sent to the port gets an alert and a close, and the server keeps serving', async () => {
		const socket = await rawSocket(port);
		const received = readAll(socket);
		socket.write('GET / HTTP/1.1\r\nHost: bank\r\n\r\n');
		const bytes = await received;
		expect(bytes[0]).toBe(0x15);
		expect(bytes.subarray(5).toString()).toMatch(/unexpected message/);
		const session = await connect({
			host: '127.0.0.1',
			port,
			knownHostsFile: freshKnownHosts(),
			acceptNew: true,
		});
		expect(await roundTrip(session, 'still here')).toBe('echo:still here');
		session.close();
	});

	it('a frame announcing more than its limit is refused on its header', async () => {
		const socket = await rawSocket(port);
		const received = readAll(socket);
		socket.write(Buffer.from([0x01, 0xff, 0xff]));
		const bytes = await received;
		expect(bytes[0]).toBe(0x15);
		expect(bytes.subarray(5).toString()).toMatch(/limit/);
	});

	it('a handshake that stalls hits the deadline', async () => {
		const slow = echoServer({handshakeTimeoutMs: 200});
		const {port: slowPort} = await slow.listen();
		const socket = await rawSocket(slowPort);
		const received = readAll(socket);
		socket.write(Buffer.from([0x01, 0x00]));
		const started = Date.now();
		const bytes = await received;
		expect(Date.now() - started).toBeLessThan(3000);
		expect(bytes.subarray(5).toString()).toMatch(/did not complete within 200 ms/);
		await slow.close();
	});

	it('past the cap on handshakes in progress, a new connection is refused with an alert', async () => {
		const events: ProtocolEvent[] = [];
		const capped = echoServer(
			{maxHandshakes: 2},
			{onEvent: (_id, _peer, event) => events.push(event)},
		);
		const {port: cappedPort} = await capped.listen();
		const idle = [await rawSocket(cappedPort), await rawSocket(cappedPort)];
		await new Promise((resolve) => setTimeout(resolve, 50));
		const third = await rawSocket(cappedPort);
		const bytes = await readAll(third);
		expect(bytes.subarray(5).toString()).toMatch(/server busy: 2 handshakes in progress/);
		expect(events.some((event) => event.type === 'connection' && event.state === 'refused')).toBe(
			true,
		);
		for (const socket of idle) socket.destroy();
		await capped.close();
	});

	it('a server that goes away surfaces as a closed session, not a crash', async () => {
		const doomed = echoServer();
		const {port: doomedPort} = await doomed.listen();
		const events: ProtocolEvent[] = [];
		const session = await connect({
			host: '127.0.0.1',
			port: doomedPort,
			knownHostsFile: freshKnownHosts(),
			acceptNew: true,
			onEvent: (event) => events.push(event),
		});
		await doomed.close();
		const reason = await session.closed;
		expect(reason).toMatch(/closed|shutting down/);
		expect(
			events.some(
				(event) =>
					event.type === 'alert' &&
					event.direction === 'received' &&
					event.description === 'close_notify',
			),
		).toBe(true);
	});

	it('nobody listening is a connection failure (exit code 5)', async () => {
		const probe = echoServer();
		const {port: freePort} = await probe.listen();
		await probe.close();
		const error = (await connect({
			host: '127.0.0.1',
			port: freePort,
			knownHostsFile: freshKnownHosts(),
			acceptNew: true,
		}).catch((error: unknown) => error)) as ConnectError;
		expect(error).toBeInstanceOf(ConnectError);
		expect(error.exitCode).toBe(5);
		expect(error.message).toMatch(/ECONNREFUSED/);
	});
});

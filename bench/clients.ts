/**
 * The client side of the channel measurements, one shape per peer:
 * - a Dialer connects, completes a full handshake, closes, and waits for the TCP close (so that at
 *   most one connection per client is in flight); it returns the handshake latency;
 * - a Pinger keeps one channel open and does sequential 128-byte round trips.
 */
import {once} from 'node:events';
import {connect as tcpConnect, type Socket} from 'node:net';
import {connect as tlsConnect, type ConnectionOptions, type TLSSocket} from 'node:tls';
import path from 'node:path';
import {connect, type ClientSession} from '../source/net/client.js';
import {naiveRecords} from './naive-records.js';
import type {BenchCertificate} from './tls-certificate.js';

/** Connect, handshake, close; resolves with milliseconds from connect to handshake complete. */
export type Dialer = () => Promise<number>;

export type Pinger = {
	/** Sends the payload and resolves when as many bytes came back. */
	roundTrip(): Promise<void>;
	close(): Promise<void>;
};

export const RTT_PAYLOAD_BYTES = 128;

async function closedSocket(socket: Socket): Promise<void> {
	if (socket.closed) return;
	await once(socket, 'close');
}

/**
 * securebank: the host key pinned by fingerprint (like `connect --fingerprint`), so the client reads
 * no known_hosts entry; the known_hosts file named does not exist.
 */
export function securebankDialer(
	port: number,
	fingerprint: string,
	scratchDirectory: string,
): Dialer {
	const knownHostsFile = path.join(scratchDirectory, 'known_hosts-absent');
	return async () => {
		const started = performance.now();
		const session = await connect({host: '127.0.0.1', port, knownHostsFile, fingerprint});
		const latency = performance.now() - started;
		const {socket} = session.channel;
		socket.on('error', () => {
			// A reset after our close_notify changes nothing here.
		});
		session.close('bench done');
		await closedSocket(socket);
		return latency;
	};
}

/** The node:tls peer as every client here dials it: TLS 1.3, ChaCha20-Poly1305, X25519, verified. */
function tlsClientOptions(port: number, certificate: BenchCertificate): ConnectionOptions {
	return {
		host: '127.0.0.1',
		port,
		servername: certificate.serverName,
		ca: certificate.certPem,
		minVersion: 'TLSv1.3',
		maxVersion: 'TLSv1.3',
		ciphers: 'TLS_CHACHA20_POLY1305_SHA256',
		ecdhCurve: 'X25519',
	};
}

/** node:tls, TLS 1.3 only, X25519, TLS_CHACHA20_POLY1305_SHA256, no session reuse. */
export function tlsDialer(port: number, certificate: BenchCertificate): Dialer {
	return async () => {
		const started = performance.now();
		const socket = tlsConnect(tlsClientOptions(port, certificate));
		socket.setNoDelay(true);
		socket.on('error', () => {
			// Reported through the 'secureConnect' race below, or a reset after close.
		});
		await new Promise<void>((resolve, reject) => {
			socket.once('secureConnect', resolve);
			socket.once('close', () => {
				reject(new Error('TLS connection closed before the handshake completed'));
			});
		});
		const latency = performance.now() - started;
		socket.end();
		await closedSocket(socket);
		return latency;
	};
}

/** Plain TCP: connect, close; the floor any server built on node:net pays per connection. */
export function tcpDialer(port: number): Dialer {
	return async () => {
		const started = performance.now();
		const socket = tcpConnect({host: '127.0.0.1', port, noDelay: true});
		socket.on('error', () => {
			// A reset after our FIN changes nothing here.
		});
		await once(socket, 'connect');
		const latency = performance.now() - started;
		socket.end();
		await closedSocket(socket);
		return latency;
	};
}

/** Resolves each round trip once RTT_PAYLOAD_BYTES came back, however the stream split them. */
function streamPinger(socket: Socket | TLSSocket): Pinger {
	const payload = Buffer.alloc(RTT_PAYLOAD_BYTES, 0x5a);
	let received = 0;
	let done: (() => void) | undefined;
	socket.on('data', (chunk: Buffer) => {
		received += chunk.length;
		if (received >= RTT_PAYLOAD_BYTES && done) {
			received -= RTT_PAYLOAD_BYTES;
			const resolve = done;
			done = undefined;
			resolve();
		}
	});
	return {
		async roundTrip() {
			return new Promise<void>((resolve) => {
				done = resolve;
				socket.write(payload);
			});
		},
		async close() {
			socket.end();
			await closedSocket(socket);
		},
	};
}

export async function tcpPinger(port: number): Promise<Pinger> {
	const socket = tcpConnect({host: '127.0.0.1', port, noDelay: true});
	await once(socket, 'connect');
	return streamPinger(socket);
}

export async function tlsPinger(port: number, certificate: BenchCertificate): Promise<Pinger> {
	const socket = tlsConnect(tlsClientOptions(port, certificate));
	socket.setNoDelay(true);
	await once(socket, 'secureConnect');
	return streamPinger(socket);
}

/** The minimal JavaScript record layer (naive-records.ts): one record out, one back. */
export async function naivePinger(port: number): Promise<Pinger> {
	const socket = tcpConnect({host: '127.0.0.1', port, noDelay: true});
	await once(socket, 'connect');
	const payload = Buffer.alloc(RTT_PAYLOAD_BYTES, 0x5a);
	let done: (() => void) | undefined;
	const send = naiveRecords(socket, () => {
		const resolve = done;
		done = undefined;
		resolve?.();
	});
	return {
		async roundTrip() {
			return new Promise<void>((resolve) => {
				done = resolve;
				send(payload);
			});
		},
		async close() {
			socket.end();
			await closedSocket(socket);
		},
	};
}

/** securebank: one 128-byte record out, the server's one 128-byte record back. */
export async function securebankPinger(
	port: number,
	fingerprint: string,
	scratchDirectory: string,
): Promise<Pinger> {
	const session: ClientSession = await connect({
		host: '127.0.0.1',
		port,
		knownHostsFile: path.join(scratchDirectory, 'known_hosts-absent'),
		fingerprint,
	});
	const payload = Buffer.alloc(RTT_PAYLOAD_BYTES, 0x5a);
	let received = 0;
	let done: (() => void) | undefined;
	session.onData((data) => {
		received += data.length;
		if (received >= RTT_PAYLOAD_BYTES && done) {
			received -= RTT_PAYLOAD_BYTES;
			const resolve = done;
			done = undefined;
			resolve();
		}
	});
	return {
		async roundTrip() {
			return new Promise<void>((resolve) => {
				done = resolve;
				session.send(payload);
			});
		},
		async close() {
			const {socket} = session.channel;
			session.close('bench done');
			await closedSocket(socket);
		},
	};
}

/**
 * Checks once that the peers negotiate what the comparison claims: TLS 1.3, ChaCha20-Poly1305,
 * X25519, no resumption; and our default suite. Returns a one-line description of each.
 */
export async function describePeers(
	securebankPort: number,
	fingerprint: string,
	scratchDirectory: string,
	tlsPort: number,
	certificate: BenchCertificate,
): Promise<string[]> {
	const session = await connect({
		host: '127.0.0.1',
		port: securebankPort,
		knownHostsFile: path.join(scratchDirectory, 'known_hosts-absent'),
		fingerprint,
	});
	const ours = `securebank ${session.info.suite.name}, host key ${session.info.hostKeyType}`;
	session.close('bench check');
	await closedSocket(session.channel.socket);

	const socket = tlsConnect(tlsClientOptions(tlsPort, certificate));
	let tickets = 0;
	socket.on('session', () => {
		tickets++;
	});
	await once(socket, 'secureConnect');
	const cipher = socket.getCipher();
	const key = socket.getEphemeralKeyInfo();
	const certificateKey = socket.getPeerX509Certificate()?.publicKey.asymmetricKeyType;
	const reused = socket.isSessionReused();
	const protocol = socket.getProtocol();
	// Give the server's NewSessionTicket messages (if any) time to arrive.
	await new Promise((resolve) => {
		setTimeout(resolve, 50);
	});
	socket.end();
	await closedSocket(socket);
	const keyName = key && 'name' in key ? String(key.name) : 'unknown';
	if (
		protocol !== 'TLSv1.3' ||
		cipher.name !== 'TLS_CHACHA20_POLY1305_SHA256' ||
		keyName !== 'X25519' ||
		certificateKey !== 'ed25519' ||
		reused
	) {
		throw new Error(
			`node:tls peer negotiated ${protocol ?? '?'} ${cipher.name} ${keyName} ${certificateKey ?? '?'} reused=${reused}`,
		);
	}

	return [
		ours,
		`node:tls ${protocol} ${cipher.name}, ${keyName}, ${certificateKey} certificate, verified with ca + servername, resumed: no, session tickets sent by the server: ${tickets}`,
	];
}

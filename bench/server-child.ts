/**
 * A server child process for the benchmark (forked by ./child.ts): hosts one server, so that its
 * CPU time can be read with process.cpuUsage() apart from the clients', which run in the parent.
 *
 * The same placement for every server measured: securebank, node:tls and plain TCP each in a child
 * of its own, the clients in the parent.
 */
import {createServer as createTcpServer, type AddressInfo, type Server} from 'node:net';
import {createServer as createTlsServer} from 'node:tls';
import {constants} from 'node:crypto';
import {generateHostKey} from '../source/crypto/host-keys.js';
import {
	SUITE_X25519_ED25519_AES_256_GCM_SHA256,
	SUITE_X25519_ED25519_CHACHA20_POLY1305_SHA256,
} from '../source/crypto/suites.js';
import {startBankServer, type BankServer} from '../source/net/bank-server.js';
import {SecureServer} from '../source/net/server.js';
import {naiveRecords} from './naive-records.js';
import type {
	ChildCommand,
	ChildReply,
	ChildReplyMessage,
	ChildRequestMessage,
} from './child-protocol.js';

/** The suites an Ed25519-only server can serve; the client's first offer (ChaCha20) wins. */
const ED25519_SUITES = [
	SUITE_X25519_ED25519_CHACHA20_POLY1305_SHA256,
	SUITE_X25519_ED25519_AES_256_GCM_SHA256,
];

let stopCurrent: (() => Promise<void>) | undefined;
let bank: BankServer | undefined;

async function listen(server: Server): Promise<number> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			resolve((server.address() as AddressInfo).port);
		});
	});
}

function closer(server: Server): () => Promise<void> {
	return async () =>
		new Promise((resolve) => {
			server.close(() => {
				resolve();
			});
		});
}

async function run(command: ChildCommand): Promise<ChildReply> {
	switch (command.type) {
		case 'listen-securebank': {
			const hostKey = generateHostKey('ed25519');
			const server = new SecureServer(
				{host: '127.0.0.1', port: 0, hostKeys: [hostKey], suites: ED25519_SUITES},
				{
					onSession(session) {
						session.onData((data) => {
							session.send(data);
						});
					},
				},
			);
			const {port} = await server.listen();
			stopCurrent = async () => server.close();
			return {type: 'listening', port, fingerprint: hostKey.fingerprint};
		}

		case 'listen-tls': {
			const server = createTlsServer(
				{
					key: command.keyPem,
					cert: command.certPem,
					minVersion: 'TLSv1.3',
					maxVersion: 'TLSv1.3',
					ciphers: 'TLS_CHACHA20_POLY1305_SHA256',
					ecdhCurve: 'X25519',
					// No resumption: no ticket keys handed out and no session cache.
					sessionTimeout: 0,
					secureOptions: constants.SSL_OP_NO_TICKET,
				},
				(socket) => {
					socket.setNoDelay(true);
					socket.on('data', (chunk: Buffer) => socket.write(chunk));
					socket.on('error', () => {
						// A client that went away; nothing to do.
					});
				},
			);
			server.on('tlsClientError', () => {
				// A client that closed mid-handshake; nothing to do.
			});
			const port = await listen(server);
			stopCurrent = closer(server);
			return {type: 'listening', port};
		}

		case 'listen-tcp': {
			const server = createTcpServer({noDelay: true}, (socket) => {
				socket.on('data', (chunk: Buffer) => socket.write(chunk));
				socket.on('error', () => {
					// A client that went away; nothing to do.
				});
			});
			const port = await listen(server);
			stopCurrent = closer(server);
			return {type: 'listening', port};
		}

		case 'listen-naive': {
			const server = createTcpServer({noDelay: true}, (socket) => {
				const send = naiveRecords(socket, (plaintext) => {
					send(plaintext);
				});
				socket.on('error', () => {
					// A client that went away; nothing to do.
				});
			});
			const port = await listen(server);
			stopCurrent = closer(server);
			return {type: 'listening', port};
		}

		case 'listen-bank': {
			bank = await startBankServer({
				host: '127.0.0.1',
				port: 0,
				dataDirectory: command.dataDirectory,
				suites: ED25519_SUITES,
				scryptCost: command.scryptCost,
				allowSignup: false,
			});
			const started = bank;
			stopCurrent = async () => started.stop();
			return {type: 'listening', port: bank.port, fingerprint: bank.hostKeys[0]?.fingerprint};
		}

		case 'cpu-usage': {
			const usage = process.cpuUsage();
			return {type: 'cpu-usage', userMicros: usage.user, systemMicros: usage.system};
		}

		case 'commit-stats': {
			if (!bank) throw new Error('no bank server in this child');
			return {type: 'commit-stats', stats: bank.service.ledger.commitStats()};
		}

		case 'stop': {
			await stopCurrent?.();
			return {type: 'stopped'};
		}
	}
}

function reply(message: ChildReplyMessage, then?: () => void): void {
	process.send!(message, undefined, {}, () => then?.());
}

process.on('message', (message: ChildRequestMessage) => {
	run(message.command).then(
		(answer) => {
			// After 'stop', exit normally so that --cpu-prof writes its profile.
			reply(
				{sequence: message.sequence, reply: answer},
				answer.type === 'stopped' ? () => process.exit(0) : undefined,
			);
		},
		(error: unknown) => {
			reply({
				sequence: message.sequence,
				reply: {
					type: 'error',
					message: error instanceof Error ? (error.stack ?? error.message) : String(error),
				},
			});
		},
	);
});

// The parent gone means the benchmark ended (or crashed): do not linger.
process.on('disconnect', () => {
	process.exit(0);
});

/**
 * A client and a server machine joined in memory, after h11's ConnectionPair: no sockets. Bytes
 * travel through an optional interceptor that may tamper, drop, reorder or record them.
 */
import {generateHostKey, type HostKey} from '../../source/crypto/host-keys.js';
import {ClientConnection, type ClientOptions} from '../../source/protocol/client-handshake.js';
import type {Output} from '../../source/protocol/connection.js';
import type {ErrorCode} from '../../source/protocol/errors.js';
import type {EventOf, ProtocolEvent, Role} from '../../source/protocol/events.js';
import {localHostKey} from '../../source/protocol/host-key-algorithms.js';
import {ServerConnection, type ServerOptions} from '../../source/protocol/server-handshake.js';

let cachedKeys: {ed25519: HostKey; rsa: HostKey} | undefined;

/** One Ed25519 and one RSA-3072 host key for the whole test file (RSA keygen takes a second). */
export function testHostKeys(): {ed25519: HostKey; rsa: HostKey} {
	cachedKeys ??= {ed25519: generateHostKey('ed25519'), rsa: generateHostKey('rsa-3072')};
	return cachedKeys;
}

export type Direction = 'toServer' | 'toClient';

/** Returns the bytes to deliver instead (an empty array drops them). */
export type Interceptor = (direction: Direction, bytes: Buffer) => Buffer[];

export class Pair {
	readonly client: ClientConnection;
	readonly server: ServerConnection;
	readonly clientEvents: ProtocolEvent[] = [];
	readonly serverEvents: ProtocolEvent[] = [];
	readonly wire: Array<{direction: Direction; bytes: Buffer}> = [];
	private toServer: Buffer[] = [];
	private toClient: Buffer[] = [];

	constructor(
		options: {client?: ClientOptions; server?: Partial<ServerOptions>; autoTrust?: boolean} = {},
		private readonly interceptor: Interceptor = (_direction, bytes) => [bytes],
	) {
		const keys = testHostKeys();
		this.client = new ClientConnection(options.client);
		this.server = new ServerConnection({
			hostKeys: [localHostKey(keys.ed25519), localHostKey(keys.rsa)],
			...options.server,
		});
		this.autoTrust = options.autoTrust ?? true;
	}

	private readonly autoTrust: boolean;

	clientOutput(output: Output): void {
		this.clientEvents.push(...output.events);
		for (const bytes of output.send) {
			this.wire.push({direction: 'toServer', bytes});
			this.toServer.push(...this.interceptor('toServer', bytes));
		}

		if (this.autoTrust && output.events.some((event) => event.type === 'trust-needed')) {
			this.clientOutput(this.client.decideTrust(true));
		}
	}

	serverOutput(output: Output): void {
		this.serverEvents.push(...output.events);
		for (const bytes of output.send) {
			this.wire.push({direction: 'toClient', bytes});
			this.toClient.push(...this.interceptor('toClient', bytes));
		}
	}

	/** Delivers bytes back and forth until nothing moves. */
	run(): this {
		for (let rounds = 0; rounds < 100; rounds++) {
			if (this.toServer.length === 0 && this.toClient.length === 0) return this;
			const forServer = this.toServer;
			this.toServer = [];
			for (const bytes of forServer) this.serverOutput(this.server.receive(bytes));
			const forClient = this.toClient;
			this.toClient = [];
			for (const bytes of forClient) this.clientOutput(this.client.receive(bytes));
		}

		throw new Error('pair did not settle');
	}

	handshake(): this {
		this.clientOutput(this.client.start());
		return this.run();
	}

	events(role: 'client' | 'server', type: ProtocolEvent['type']): ProtocolEvent[] {
		return (role === 'client' ? this.clientEvents : this.serverEvents).filter(
			(event) => event.type === type,
		);
	}

	/** Seals application data from one side and delivers everything until nothing moves. */
	sendApplicationData(role: Role, data: string | Uint8Array): this {
		const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
		if (role === 'client') this.clientOutput(this.client.send(bytes));
		else this.serverOutput(this.server.send(bytes));
		return this.run();
	}

	/** Whether a side emitted handshake-complete. */
	completed(role: Role): boolean {
		return this.events(role, 'handshake-complete').length > 0;
	}

	/** The alerts a side sent or received, in order. */
	alerts(role: Role, direction: 'sent' | 'received'): Array<EventOf<'alert'>> {
		return (role === 'client' ? this.clientEvents : this.serverEvents).flatMap((event) =>
			event.type === 'alert' && event.direction === direction ? [event] : [],
		);
	}

	/** The codes of the error events a side emitted, in order. */
	errorCodes(role: Role): ErrorCode[] {
		return (role === 'client' ? this.clientEvents : this.serverEvents).flatMap((event) =>
			event.type === 'error' ? [event.code] : [],
		);
	}

	/** Application data each side received, as strings. */
	received(role: 'client' | 'server'): string[] {
		return (role === 'client' ? this.clientEvents : this.serverEvents).flatMap((event) =>
			event.type === 'application-data' ? [Buffer.from(event.data).toString('utf8')] : [],
		);
	}
}

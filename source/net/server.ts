/**
 * The server side of the network: accept TCP connections, run one ServerConnection machine per
 * connection, and hand each completed handshake on as a session.
 *
 * Limits: a handshake deadline, an idle timeout, a cap on handshakes in progress (past it a new
 * connection gets a plaintext alert and is closed), a cap on open connections.
 */
import {createServer, type AddressInfo, type Server, type Socket} from 'node:net';
import type {HostKey} from '../crypto/host-keys.js';
import {encodeAlert, encodeFrame, FrameType} from '../protocol/codec.js';
import {AlertCode} from '../protocol/errors.js';
import type {ProtocolEvent} from '../protocol/events.js';
import {localHostKey, type LocalHostKey} from '../protocol/host-key-algorithms.js';
import {ServerConnection} from '../protocol/server-handshake.js';
import {DEFAULT_IDLE_TIMEOUT_MS} from './client.js';
import {SocketChannel} from './socket-channel.js';

export type ServerConfig = {
	readonly host: string;
	readonly port: number;
	readonly hostKeys: ReadonlyArray<HostKey | LocalHostKey>;
	readonly suites?: readonly number[];
	readonly allowInsecure?: boolean;
	readonly showSecrets?: boolean;
	readonly handshakeTimeoutMs?: number;
	readonly idleTimeoutMs?: number;
	readonly maxHandshakes?: number;
	readonly maxConnections?: number;
};

export type ServerSession = {
	readonly id: number;
	readonly peer: string;
	readonly channel: SocketChannel;
	send(data: Uint8Array): void;
	onData(listener: (data: Uint8Array) => void): void;
	close(reason?: string): void;
	readonly closed: Promise<string>;
};

export type ServerHooks = {
	/** Every event of every connection, tagged with its id and peer. */
	readonly onEvent?: (connectionId: number, peer: string, event: ProtocolEvent) => void;
	/**
	 * Whether onEvent wants the step-by-step handshake events of a new connection (checks, keys,
	 * message descriptions); asked once per connection. Default: whenever onEvent is set.
	 */
	readonly wantsDetail?: () => boolean;
	/** A connection whose handshake completed. */
	readonly onSession?: (session: ServerSession) => void;
};

export const DEFAULT_MAX_HANDSHAKES = 128;
/** Like sshd's LoginGraceTime: long enough for a person to read a fingerprint and answer. */
export const DEFAULT_SERVER_HANDSHAKE_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_CONNECTIONS = 4096;

export class SecureServer {
	private readonly server: Server;
	private readonly channels = new Set<SocketChannel>();
	private handshaking = 0;
	private nextId = 1;
	private readonly localKeys: LocalHostKey[];

	constructor(
		readonly config: ServerConfig,
		private readonly hooks: ServerHooks = {},
	) {
		this.localKeys = config.hostKeys.map((key) => ('privateKey' in key ? localHostKey(key) : key));
		// Built once so that a bad configuration fails at start, not at the first client.
		this.newMachine();
		this.server = createServer({noDelay: true}, (socket) => {
			this.accept(socket);
		});
	}

	get hostKeys(): readonly LocalHostKey[] {
		return this.localKeys;
	}

	get connectionCount(): number {
		return this.channels.size;
	}

	async listen(): Promise<AddressInfo> {
		return new Promise((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(this.config.port, this.config.host, () => {
				this.server.off('error', reject);
				resolve(this.server.address() as AddressInfo);
			});
		});
	}

	get address(): AddressInfo | undefined {
		return (this.server.address() as AddressInfo | null) ?? undefined;
	}

	/** Stops accepting; open sessions get close_notify once `drain` (if given) has finished. */
	async close(drain?: () => Promise<void>): Promise<void> {
		const closed = new Promise<void>((resolve) => {
			this.server.close(() => resolve());
		});
		await drain?.();
		for (const channel of this.channels) channel.close('server shutting down');
		await Promise.all([...this.channels].map(async (channel) => channel.whenClosed()));
		await closed;
	}

	private newMachine(): ServerConnection {
		const hooks = this.hooks;
		return new ServerConnection({
			observe: hooks.onEvent !== undefined && (hooks.wantsDetail?.() ?? true),
			hostKeys: this.localKeys,
			...(this.config.suites ? {suites: this.config.suites} : {}),
			allowInsecure: this.config.allowInsecure ?? false,
			showSecrets: this.config.showSecrets ?? false,
		});
	}

	private accept(socket: Socket): void {
		const id = this.nextId++;
		const peer = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
		const emit = (event: ProtocolEvent) => this.hooks.onEvent?.(id, peer, event);
		const maxHandshakes = this.config.maxHandshakes ?? DEFAULT_MAX_HANDSHAKES;
		const maxConnections = this.config.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
		if (this.handshaking >= maxHandshakes || this.channels.size >= maxConnections) {
			const reason =
				this.handshaking >= maxHandshakes
					? `server busy: ${maxHandshakes} handshakes in progress`
					: `server full: ${maxConnections} connections`;
			emit({type: 'connection', role: 'server', state: 'refused', peer, detail: reason});
			socket.on('error', () => {
				// The peer may already be gone; nothing more to tell it.
			});
			socket.end(
				encodeFrame(FrameType.alert, encodeAlert({code: AlertCode.handshakeFailure, reason})),
			);
			return;
		}

		emit({type: 'connection', role: 'server', state: 'connected', peer});
		this.handshaking++;
		let handshakeDone = false;
		const finishHandshake = () => {
			if (!handshakeDone) {
				handshakeDone = true;
				this.handshaking--;
			}
		};

		const started = performance.now();
		const machine = this.newMachine();
		const channel: SocketChannel = new SocketChannel(socket, machine, {
			handshakeTimeoutMs: this.config.handshakeTimeoutMs ?? DEFAULT_SERVER_HANDSHAKE_TIMEOUT_MS,
			idleTimeoutMs: this.config.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
			onEvent: (event) => {
				emit(event);
				if (event.type === 'handshake-complete') {
					finishHandshake();
					emit({
						type: 'timing',
						role: 'server',
						what: 'handshake',
						milliseconds: performance.now() - started,
					});
					this.hooks.onSession?.(session);
				}
			},
			onClose: (reason) => {
				finishHandshake();
				this.channels.delete(channel);
				emit({type: 'connection', role: 'server', state: 'closed', peer, detail: reason});
			},
		});
		this.channels.add(channel);
		const session: ServerSession = {
			id,
			peer,
			channel,
			send: (data) => channel.send(data),
			onData(listener) {
				channel.onData = listener;
			},
			close: (reason) => channel.close(reason),
			closed: channel.whenClosed(),
		};
	}
}

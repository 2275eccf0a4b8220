/**
 * The attacker's position: a TCP proxy on the path between customer and bank (127.0.0.1, port 0).
 * It cuts each direction's byte stream into securebank frames (PROTOCOL.md 2.1: u8 type, u16
 * length, body), records every frame it sees, and lets a handler read, drop, alter or inject them:
 * the handler returns the bytes to deliver instead (nothing returned: forward unchanged).
 *
 * The path can be pointed elsewhere at any time (`retarget`): the customer keeps dialling the same
 * address, and from then on reaches whatever the attacker put there.
 *
 * Used against the INSECURE teaching suite and the default suite alike; only the handlers differ.
 */
import {
	connect as netConnect,
	createServer,
	type AddressInfo,
	type Server,
	type Socket,
} from 'node:net';
import {FRAME_HEADER_LENGTH} from '../protocol/codec.js';
import {LOOPBACK, type LabWorkspace} from './workspace.js';

export type Direction = 'toServer' | 'toClient';

export type WireFrame = {
	readonly direction: Direction;
	readonly type: number;
	readonly body: Buffer;
	/** Header and body, as they travelled. */
	readonly bytes: Buffer;
};

/** Cuts a byte stream into frames; a partial frame waits for the rest. */
export class FrameSplitter {
	private buffered: Buffer = Buffer.alloc(0);

	constructor(private readonly direction: Direction) {}

	push(chunk: Buffer): WireFrame[] {
		this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
		const frames: WireFrame[] = [];
		while (this.buffered.length >= FRAME_HEADER_LENGTH) {
			const length = this.buffered.readUInt16BE(1);
			const total = FRAME_HEADER_LENGTH + length;
			if (this.buffered.length < total) break;
			const bytes = Buffer.from(this.buffered.subarray(0, total));
			frames.push({
				direction: this.direction,
				type: bytes[0]!,
				body: bytes.subarray(FRAME_HEADER_LENGTH),
				bytes,
			});
			this.buffered = this.buffered.subarray(total);
		}

		return frames;
	}
}

export type ProxiedConnection = {
	readonly id: number;
	/** Every frame as it arrived from its sender, before the attacker touched it. */
	readonly frames: WireFrame[];
	/** Inject bytes towards the bank or the customer. */
	toServer(bytes: Buffer): void;
	toClient(bytes: Buffer): void;
	close(): void;
	/** Resolves once both sockets of this connection have closed: the recording is complete. */
	readonly closed: Promise<void>;
	/** A handler that threw: the connection was cut and this is why. */
	error?: Error;
};

/** What to deliver in place of `frame`; undefined forwards it unchanged, [] drops it. */
export type FrameHandler = (
	frame: WireFrame,
	connection: ProxiedConnection,
) => readonly Buffer[] | undefined;

export type ProxyOptions = {
	/** Where the path leads at first. */
	readonly targetPort: number;
	/** Called for each new connection; returns its frame handler (none: a pure recorder). */
	readonly onConnection?: (connection: ProxiedConnection) => FrameHandler | undefined;
};

export class AttackerProxy {
	readonly connections: ProxiedConnection[] = [];
	private targetPort: number;
	private readonly server: Server;
	private readonly sockets = new Set<Socket>();

	constructor(private readonly options: ProxyOptions) {
		this.targetPort = options.targetPort;
		this.server = createServer((client) => {
			this.accept(client);
		});
	}

	get port(): number {
		return (this.server.address() as AddressInfo).port;
	}

	/** From now on, new connections on the path reach this port instead. */
	retarget(port: number): void {
		this.targetPort = port;
	}

	async listen(): Promise<void> {
		return new Promise((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(0, LOOPBACK, () => {
				this.server.off('error', reject);
				resolve();
			});
		});
	}

	async close(): Promise<void> {
		const closed = new Promise<void>((resolve) => {
			this.server.close(() => {
				resolve();
			});
		});
		for (const socket of this.sockets) socket.destroy();
		await closed;
	}

	private track(socket: Socket): void {
		this.sockets.add(socket);
		socket.on('close', () => {
			this.sockets.delete(socket);
		});
		socket.on('error', () => {
			// Reported by the peers' own machines; the proxy just stops relaying.
		});
	}

	private accept(client: Socket): void {
		const upstream = netConnect({host: LOOPBACK, port: this.targetPort});
		this.track(client);
		this.track(upstream);
		const write = (socket: Socket, bytes: Buffer) => {
			if (!socket.destroyed && socket.writable) socket.write(bytes);
		};

		const socketClosed = async (socket: Socket) =>
			new Promise<void>((resolve) => {
				socket.once('close', () => {
					resolve();
				});
			});
		const connection: ProxiedConnection = {
			id: this.connections.length + 1,
			frames: [],
			closed: Promise.all([socketClosed(client), socketClosed(upstream)]).then(() => undefined),
			toServer(bytes) {
				write(upstream, bytes);
			},
			toClient(bytes) {
				write(client, bytes);
			},
			close() {
				client.destroy();
				upstream.destroy();
			},
		};
		this.connections.push(connection);
		const handler = this.options.onConnection?.(connection);
		const relay = (from: Socket, to: Socket, direction: Direction) => {
			const splitter = new FrameSplitter(direction);
			from.on('data', (chunk: Buffer) => {
				for (const frame of splitter.push(chunk)) {
					connection.frames.push(frame);
					let deliver: readonly Buffer[] | undefined;
					try {
						deliver = handler?.(frame, connection);
					} catch (error) {
						connection.error = error instanceof Error ? error : new Error(String(error));
						connection.close();
						return;
					}

					for (const bytes of deliver ?? [frame.bytes]) write(to, bytes);
				}
			});
			from.on('end', () => {
				if (!to.destroyed) to.end();
			});
			from.on('close', () => {
				// A reset on one side ends the other after what was written has gone out.
				if (!to.destroyed) to.end();
			});
		};

		relay(client, upstream, 'toServer');
		relay(upstream, client, 'toClient');
	}
}

export async function startProxy(
	workspace: LabWorkspace,
	options: ProxyOptions,
): Promise<AttackerProxy> {
	const proxy = new AttackerProxy(options);
	await proxy.listen();
	workspace.defer(async () => proxy.close());
	return proxy;
}

/** The frames of one direction and type, in order. */
export function framesOf(
	connection: ProxiedConnection,
	direction: Direction,
	type: number,
): WireFrame[] {
	return connection.frames.filter((frame) => frame.direction === direction && frame.type === type);
}

/** The one frame of a direction and type (a ClientHello, say); a lab error when it is missing. */
export function onlyFrame(
	connection: ProxiedConnection,
	direction: Direction,
	type: number,
	name: string,
): WireFrame {
	const frame = framesOf(connection, direction, type)[0];
	if (!frame) throw new Error(`lab: the recording holds no ${name}`);
	return frame;
}

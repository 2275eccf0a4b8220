/**
 * Drives a sans-IO Connection over a TCP socket: the only glue between node:net and the protocol.
 *
 * It writes what the machine wants written (corked, so a flight is one segment), hands events on,
 * enforces the handshake deadline and the idle timeout, and honours backpressure: while the peer
 * does not read what we write, we stop reading what it sends.
 */
import type {Socket} from 'node:net';
import type {Connection, Output} from '../protocol/connection.js';
import {ClosedError, TimeoutError} from '../protocol/errors.js';
import type {ProtocolEvent} from '../protocol/events.js';

export type SocketChannelOptions = {
	readonly handshakeTimeoutMs: number;
	readonly idleTimeoutMs: number;
	readonly onEvent: (event: ProtocolEvent) => void;
	readonly onData?: (data: Uint8Array) => void;
	readonly onClose?: (reason: string) => void;
};

export class SocketChannel {
	private handshakeTimer: NodeJS.Timeout | undefined;
	private closedReason: string | undefined;
	private readonly closeWaiters: Array<(reason: string) => void> = [];
	onData: ((data: Uint8Array) => void) | undefined;

	constructor(
		readonly socket: Socket,
		readonly connection: Connection,
		private readonly options: SocketChannelOptions,
	) {
		this.onData = options.onData;
		socket.setNoDelay(true);
		socket.on('data', (chunk: Buffer) => {
			this.apply(this.connection.receive(chunk));
		});
		socket.on('drain', () => {
			if (!this.closedReason) socket.resume();
		});
		socket.on('error', (error: NodeJS.ErrnoException) => {
			this.lost(error.code ? `${error.code}: ${error.message}` : error.message);
		});
		socket.on('end', () => {
			this.lost('the peer closed the TCP connection');
		});
		socket.on('close', () => {
			this.lost('the TCP connection closed');
		});
		this.startHandshakeDeadline();
		if (options.idleTimeoutMs > 0) {
			socket.setTimeout(options.idleTimeoutMs, () => {
				this.apply(
					this.connection.abort(
						new TimeoutError('records', `idle for ${Math.round(options.idleTimeoutMs / 1000)} s`),
					),
				);
			});
		}
	}

	/** (Re)starts the handshake deadline: the whole budget from now. */
	startHandshakeDeadline(): void {
		this.clearHandshakeTimer();
		const budget = this.options.handshakeTimeoutMs;
		if (budget <= 0 || this.connection.state !== 'handshaking') return;
		this.handshakeTimer = setTimeout(() => {
			if (this.connection.state === 'handshaking') {
				this.apply(
					this.connection.abort(
						new TimeoutError(
							this.connection.currentStage,
							`handshake did not complete within ${budget} ms`,
						),
					),
				);
			}
		}, budget);
		this.handshakeTimer.unref();
	}

	/** Stops the deadline while a person decides (the trust prompt is not the network's time). */
	suspendHandshakeDeadline(): void {
		this.clearHandshakeTimer();
	}

	get closed(): boolean {
		return this.closedReason !== undefined;
	}

	/** Resolves once the channel has closed, with the reason. */
	async whenClosed(): Promise<string> {
		if (this.closedReason !== undefined) return this.closedReason;
		return new Promise((resolve) => this.closeWaiters.push(resolve));
	}

	/** Writes what the machine produced and dispatches its events. */
	apply(output: Output): void {
		if (output.send.length > 0 && !this.socket.destroyed && this.socket.writable) {
			let full = false;
			if (output.send.length === 1) {
				full = !this.socket.write(output.send[0]!);
			} else {
				this.socket.cork();
				for (const bytes of output.send) full = !this.socket.write(bytes) || full;
				this.socket.uncork();
			}

			if (full) this.socket.pause();
		}

		for (const event of output.events) {
			if (event.type === 'application-data') {
				this.onData?.(event.data);
				continue;
			}

			if (event.type === 'handshake-complete') this.clearHandshakeTimer();
			this.options.onEvent(event);
			if (event.type === 'closed') this.shutdown(event.reason);
		}

		// What was to be written is out: key the next records' ciphers while the peer works.
		this.connection.prepareNext();
	}

	send(data: Uint8Array): void {
		this.apply(this.connection.send(data));
	}

	close(reason?: string): void {
		this.apply(this.connection.close(reason));
	}

	private shutdown(reason: string): void {
		if (this.closedReason !== undefined) return;
		this.closedReason = reason;
		this.clearHandshakeTimer();
		this.socket.setTimeout(0);
		// Let the last alert reach the peer, then close; a peer that never reads is cut off.
		this.socket.end();
		const hardStop = setTimeout(() => this.socket.destroy(), 2000);
		hardStop.unref();
		for (const waiter of this.closeWaiters.splice(0)) waiter(reason);
		this.options.onClose?.(reason);
	}

	private lost(detail: string): void {
		if (this.closedReason !== undefined) return;
		if (this.connection.state !== 'closed') {
			this.options.onEvent({
				type: 'connection',
				role: this.connection.role,
				state: 'lost',
				peer: `${this.socket.remoteAddress ?? '?'}:${this.socket.remotePort ?? '?'}`,
				detail,
			});
			this.apply(
				this.connection.abort(
					new ClosedError(this.connection.currentStage, `connection lost: ${detail}`),
				),
			);
		}

		this.socket.destroy();
		this.shutdown(detail);
	}

	private clearHandshakeTimer(): void {
		if (this.handshakeTimer) clearTimeout(this.handshakeTimer);
		this.handshakeTimer = undefined;
	}
}

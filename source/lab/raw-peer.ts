/**
 * Attackers that speak raw frames instead of running a protocol machine: an impersonator that
 * answers a ClientHello with bytes it did not earn (a recorded or spliced ServerHello), and a
 * replayer that plays a recorded client's flights to a server. They hold no keys; the point is to
 * see what the real machines make of such bytes (INSECURE teaching suite and default suite alike).
 */
import {connect as netConnect, createServer, type AddressInfo, type Socket} from 'node:net';
import {decodeAlert, FrameType} from '../protocol/codec.js';
import {alertName} from '../protocol/errors.js';
import {FrameSplitter, type WireFrame} from './proxy.js';
import {LOOPBACK, type LabWorkspace} from './workspace.js';

export type Impersonator = {
	readonly port: number;
	/** Frames the impersonator received, per connection. */
	readonly received: WireFrame[][];
};

/**
 * A server without keys: each ClientHello gets `answer(clientHelloBody)` back (a whole frame).
 * It cannot go further, so when ClientFinished arrives it hangs up.
 */
export async function startImpersonator(
	workspace: LabWorkspace,
	answer: (clientHello: Buffer) => Buffer,
): Promise<Impersonator> {
	const received: WireFrame[][] = [];
	const sockets = new Set<Socket>();
	const server = createServer((socket) => {
		sockets.add(socket);
		socket.on('close', () => {
			sockets.delete(socket);
		});
		socket.on('error', () => {
			// The customer may reset first; nothing to do.
		});
		const frames: WireFrame[] = [];
		received.push(frames);
		const splitter = new FrameSplitter('toServer');
		socket.on('data', (chunk: Buffer) => {
			for (const frame of splitter.push(chunk)) {
				frames.push(frame);
				if (frame.type === FrameType.clientHello) socket.write(answer(frame.body));
				if (frame.type === FrameType.clientFinished) socket.end();
			}
		});
	});
	await new Promise<void>((resolve) => {
		server.listen(0, LOOPBACK, () => {
			resolve();
		});
	});
	workspace.defer(
		async () =>
			new Promise<void>((resolve) => {
				for (const socket of sockets) socket.destroy();
				server.close(() => {
					resolve();
				});
			}),
	);
	return {port: (server.address() as AddressInfo).port, received};
}

export type FlightReplay = {
	/** The server answered the replayed ClientHello with a (fresh) ServerHello. */
	readonly serverHello: Buffer | undefined;
	/** The alert the server sent, if any. */
	readonly alert:
		{readonly code: number; readonly name: string; readonly reason: string} | undefined;
	/** Encrypted records the server sent back: any would mean the replay was accepted. */
	readonly recordsFromServer: number;
};

/**
 * Plays a recorded client's frames to a server: ClientHello first, the rest once a ServerHello has
 * come back (as the real client would). Resolves when the server closes, or after `timeoutMs`.
 */
export async function replayClientFlights(
	port: number,
	clientFrames: readonly WireFrame[],
	timeoutMs = 5000,
): Promise<FlightReplay> {
	const [hello, ...rest] = clientFrames;
	if (hello?.type !== FrameType.clientHello)
		throw new Error('lab: a replay starts with a ClientHello');
	return new Promise((resolve) => {
		const socket = netConnect({host: LOOPBACK, port});
		const splitter = new FrameSplitter('toClient');
		let serverHello: Buffer | undefined;
		let alert: FlightReplay['alert'];
		let recordsFromServer = 0;
		const timer = setTimeout(() => {
			socket.destroy();
		}, timeoutMs);
		socket.on('connect', () => {
			socket.write(hello.bytes);
		});
		socket.on('data', (chunk: Buffer) => {
			for (const frame of splitter.push(chunk)) {
				if (frame.type === FrameType.serverHello && !serverHello) {
					serverHello = frame.body;
					socket.write(Buffer.concat(rest.map((next) => next.bytes)));
				} else if (frame.type === FrameType.alert) {
					const decoded = decodeAlert(frame.body, 'ClientFinished');
					alert = {code: decoded.code, name: alertName(decoded.code), reason: decoded.reason};
				} else if (frame.type === FrameType.record) {
					recordsFromServer++;
				}
			}
		});
		socket.on('error', () => {
			// A reset ends the replay like a close does.
		});
		socket.on('close', () => {
			clearTimeout(timer);
			resolve({serverHello, alert, recordsFromServer});
		});
	});
}

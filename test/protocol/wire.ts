/**
 * Byte surgery on securebank frames for the protocol tests (PROTOCOL.md sections 2 and 3): pick a
 * frame by type in one direction, flip a bit, cut it short, strip a suite from a ClientHello with
 * its lengths fixed, or swap a ServerHello's host key. Every function returns new buffers.
 */
import {
	ByteWriter,
	decodeServerHello,
	encodeFrame,
	encodeServerHelloSigned,
	FRAME_HEADER_LENGTH,
	FrameType,
	RANDOM_LENGTH,
} from '../../source/protocol/codec.js';
import type {Direction, Interceptor} from '../helpers/pair.js';

/** A copy of `bytes` with `mask` XORed into byte `index`. */
export function flipBit(bytes: Uint8Array, index: number, mask = 0x01): Buffer {
	const copy = Buffer.from(bytes);
	copy[index] = copy[index]! ^ mask;
	return copy;
}

/**
 * An interceptor that hands the `occurrence`-th frame of `type` travelling in `direction` to
 * `change` and delivers what it returns; everything else passes untouched. The Pair hands the
 * interceptor one frame per call (each machine writes one frame per buffer).
 */
export function onFrame(
	direction: Direction,
	type: FrameType,
	change: (frame: Buffer) => Buffer[],
	occurrence = 0,
): Interceptor {
	let seen = 0;
	return (travelling, bytes) => {
		if (travelling !== direction || bytes[0] !== type) return [bytes];
		return seen++ === occurrence ? change(bytes) : [bytes];
	};
}

/** Frames of one type that crossed the wire of a pair, in order. */
export function framesOf(
	wire: ReadonlyArray<{direction: Direction; bytes: Buffer}>,
	type: FrameType,
): Buffer[] {
	return wire.filter(({bytes}) => bytes[0] === type).map(({bytes}) => bytes);
}

/** The body of a whole frame. */
export function bodyOf(frame: Buffer): Buffer {
	return frame.subarray(FRAME_HEADER_LENGTH);
}

/**
 * A ClientHello frame without one offered suite, suite_count and the frame length fixed: what an
 * on-path attacker sends to steer the server to a weaker suite. Layout: version (2), client_random
 * (32), suite_count (1), suites (2 each), key share.
 */
export function clientHelloWithout(frame: Buffer, suite: number): Buffer {
	const body = bodyOf(frame);
	const countOffset = 2 + RANDOM_LENGTH;
	const count = body[countOffset]!;
	for (let index = 0; index < count; index++) {
		const at = countOffset + 1 + index * 2;
		if (body.readUInt16BE(at) !== suite) continue;
		const stripped = Buffer.concat([body.subarray(0, at), body.subarray(at + 2)]);
		stripped[countOffset] = count - 1;
		return encodeFrame(FrameType.clientHello, stripped);
	}

	throw new Error(`ClientHello does not offer suite ${suite}`);
}

/**
 * A ServerHello frame with its host key replaced and everything else (signature, Finished) kept;
 * with `resign`, the attacker also signs the altered transcript (ClientHello body and the signed
 * part of the new ServerHello) with its own key.
 */
export function serverHelloWithHostKey(
	frame: Buffer,
	hostKey: Buffer,
	resign?: {clientHelloBody: Buffer; sign: (transcript: Buffer) => Buffer},
): Buffer {
	const {hello} = decodeServerHello(bodyOf(frame));
	const signedPart = encodeServerHelloSigned({...hello, hostKey});
	const signature = resign
		? resign.sign(Buffer.concat([resign.clientHelloBody, signedPart]))
		: hello.signature;
	const body = new ByteWriter()
		.fixed(signedPart)
		.vector16(signature)
		.vector8(hello.finished)
		.finish();
	return encodeFrame(FrameType.serverHello, body);
}

/**
 * securebank wire codec: frames and handshake messages, strict, with limits.
 * PROTOCOL.md sections 2 and 3 describe every byte; the layouts are repeated above each function.
 *
 * Every length read from the wire is checked against a limit before anything is allocated, and a
 * message must be consumed exactly: trailing bytes are a decode error.
 */
import {
	DecodeError,
	RecordOverflowError,
	UnexpectedMessageError,
	type HandshakeStage,
} from './errors.js';

export const PROTOCOL_VERSION = 0x00_01;
export const RANDOM_LENGTH = 32;
export const X25519_SHARE_LENGTH = 32;
export const MAX_PLAINTEXT = 16_384;
/** Plaintext, one inner-type byte and at most 255 bytes of cipher overhead (tag, padding). */
export const MAX_RECORD_BODY = MAX_PLAINTEXT + 1 + 255;
export const MAX_OFFERED_SUITES = 16;

export const FrameType = {
	clientHello: 0x01,
	serverHello: 0x02,
	clientFinished: 0x03,
	serverFinished: 0x04,
	alert: 0x15,
	record: 0x17,
} as const;
export type FrameType = (typeof FrameType)[keyof typeof FrameType];

/** Largest body accepted per frame type: checked on the 3-byte header, before buffering. */
export const MAX_FRAME_BODY: Readonly<Record<FrameType, number>> = {
	[FrameType.clientHello]: 512,
	[FrameType.serverHello]: 4096,
	[FrameType.clientFinished]: 2048,
	[FrameType.serverFinished]: 64,
	[FrameType.alert]: 2 + 255,
	[FrameType.record]: MAX_RECORD_BODY,
};

export const FRAME_HEADER_LENGTH = 3;

export const frameTypeNames: Readonly<Record<FrameType, string>> = {
	[FrameType.clientHello]: 'ClientHello',
	[FrameType.serverHello]: 'ServerHello',
	[FrameType.clientFinished]: 'ClientFinished',
	[FrameType.serverFinished]: 'ServerFinished',
	[FrameType.alert]: 'Alert',
	[FrameType.record]: 'Record',
};

export function isFrameType(value: number): value is FrameType {
	return Object.hasOwn(MAX_FRAME_BODY, value);
}

export function describeFrameType(value: number): string {
	return isFrameType(value)
		? frameTypeNames[value]
		: `unknown type 0x${value.toString(16).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Frame
//
//   struct Frame {
//     u8  type;            // FrameType
//     u16 length;          // big-endian; at most MAX_FRAME_BODY[type]
//     u8  body[length];
//   }

export function encodeFrame(type: FrameType, body: Uint8Array): Buffer {
	if (body.length > MAX_FRAME_BODY[type]) {
		throw new RecordOverflowError(
			'records',
			`${frameTypeNames[type]} body of ${body.length} bytes exceeds ${MAX_FRAME_BODY[type]}`,
		);
	}

	const frame = Buffer.allocUnsafe(FRAME_HEADER_LENGTH + body.length);
	frame[0] = type;
	frame.writeUInt16BE(body.length, 1);
	frame.set(body, FRAME_HEADER_LENGTH);
	return frame;
}

export type Frame = {readonly type: FrameType; readonly header: Buffer; readonly body: Buffer};

/**
 * Splits a byte stream into frames. Holds at most one partial frame; its header is validated
 * (known type, length within that type's limit) before the body is waited for.
 */
export class FrameReader {
	private readonly chunks: Buffer[] = [];
	private buffered = 0;

	constructor(private readonly stage: () => HandshakeStage) {}

	get pendingBytes(): number {
		return this.buffered;
	}

	push(bytes: Uint8Array): void {
		if (bytes.length === 0) return;
		this.chunks.push(
			Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length),
		);
		this.buffered += bytes.length;
	}

	/** The next whole frame, or undefined if more bytes are needed. Throws on a bad header. */
	next(): Frame | undefined {
		if (this.buffered < FRAME_HEADER_LENGTH) return undefined;
		const head = this.peekHeader();
		const type = head[0]!;
		if (!isFrameType(type)) {
			throw new UnexpectedMessageError(this.stage(), 'a securebank frame', describeFrameType(type));
		}

		const length = head.readUInt16BE(1);
		const limit = MAX_FRAME_BODY[type];
		if (length > limit) {
			throw new RecordOverflowError(
				this.stage(),
				`${frameTypeNames[type]} announces ${length} bytes, the limit is ${limit}`,
			);
		}

		const total = FRAME_HEADER_LENGTH + length;
		if (this.buffered < total) return undefined;
		const frame = this.take(total);
		return {
			type,
			header: frame.subarray(0, FRAME_HEADER_LENGTH),
			body: frame.subarray(FRAME_HEADER_LENGTH),
		};
	}

	private peekHeader(): Buffer {
		const first = this.chunks[0]!;
		if (first.length >= FRAME_HEADER_LENGTH) return first;
		return Buffer.concat(this.chunks).subarray(0, FRAME_HEADER_LENGTH);
	}

	private take(length: number): Buffer {
		const first = this.chunks[0]!;
		let result: Buffer;
		if (first.length >= length) {
			result = first.subarray(0, length);
			if (first.length === length) this.chunks.shift();
			else this.chunks[0] = first.subarray(length);
		} else {
			result = Buffer.allocUnsafe(length);
			let offset = 0;
			while (offset < length) {
				const chunk = this.chunks[0]!;
				const wanted = Math.min(chunk.length, length - offset);
				chunk.copy(result, offset, 0, wanted);
				offset += wanted;
				if (wanted === chunk.length) this.chunks.shift();
				else this.chunks[0] = chunk.subarray(wanted);
			}
		}

		this.buffered -= length;
		return result;
	}
}

// ---------------------------------------------------------------------------------------------
// Byte reader and writer used by the message codecs

export class ByteReader {
	private offset = 0;

	constructor(
		private readonly bytes: Buffer,
		private readonly stage: HandshakeStage,
		private readonly message: string,
	) {}

	private need(count: number, field: string): void {
		if (this.offset + count > this.bytes.length) {
			throw new DecodeError(
				this.stage,
				`${this.message}.${field}: needs ${count} bytes, only ${this.bytes.length - this.offset} left`,
			);
		}
	}

	u8(field: string): number {
		this.need(1, field);
		return this.bytes[this.offset++]!;
	}

	u16(field: string): number {
		this.need(2, field);
		const value = this.bytes.readUInt16BE(this.offset);
		this.offset += 2;
		return value;
	}

	fixed(length: number, field: string): Buffer {
		this.need(length, field);
		const value = this.bytes.subarray(this.offset, this.offset + length);
		this.offset += length;
		return value;
	}

	/** u8-length-prefixed bytes, the length checked against [min, max] before the read. */
	vector8(field: string, min: number, max: number): Buffer {
		return this.vector(this.u8(field), field, min, max);
	}

	/** u16-length-prefixed bytes, the length checked against [min, max] before the read. */
	vector16(field: string, min: number, max: number): Buffer {
		return this.vector(this.u16(field), field, min, max);
	}

	get position(): number {
		return this.offset;
	}

	end(): void {
		if (this.offset !== this.bytes.length) {
			throw new DecodeError(
				this.stage,
				`${this.message}: ${this.bytes.length - this.offset} trailing bytes`,
			);
		}
	}

	private vector(length: number, field: string, min: number, max: number): Buffer {
		if (length < min || length > max) {
			throw new DecodeError(
				this.stage,
				`${this.message}.${field}: length ${length} outside ${min}..${max}`,
			);
		}

		return this.fixed(length, field);
	}
}

export class ByteWriter {
	private readonly parts: Uint8Array[] = [];

	u8(value: number): this {
		this.parts.push(Uint8Array.of(value));
		return this;
	}

	u16(value: number): this {
		const bytes = Buffer.allocUnsafe(2);
		bytes.writeUInt16BE(value);
		this.parts.push(bytes);
		return this;
	}

	fixed(bytes: Uint8Array): this {
		this.parts.push(bytes);
		return this;
	}

	vector8(bytes: Uint8Array): this {
		if (bytes.length > 0xff) throw new RangeError(`vector8 of ${bytes.length} bytes`);
		return this.u8(bytes.length).fixed(bytes);
	}

	vector16(bytes: Uint8Array): this {
		if (bytes.length > 0xff_ff) throw new RangeError(`vector16 of ${bytes.length} bytes`);
		return this.u16(bytes.length).fixed(bytes);
	}

	finish(): Buffer {
		return Buffer.concat(this.parts);
	}
}

// ---------------------------------------------------------------------------------------------
// ClientHello: "hello" + "prove it"
//
//   struct ClientHello {
//     u16 version;                     // 0x0001
//     u8  client_random[32];           // the fresh challenge ("prove it")
//     u8  suite_count;                 // 1..16
//     u16 suites[suite_count];         // preference order
//     u8  key_share_length;            // 0 or 32
//     u8  key_share[key_share_length]; // X25519 public key when an X25519 suite is offered
//   }

export type ClientHello = {
	readonly version: number;
	readonly clientRandom: Buffer;
	readonly suites: readonly number[];
	readonly keyShare: Buffer;
};

export function encodeClientHello(hello: ClientHello): Buffer {
	const writer = new ByteWriter()
		.u16(hello.version)
		.fixed(hello.clientRandom)
		.u8(hello.suites.length);
	for (const suite of hello.suites) writer.u16(suite);
	return writer.vector8(hello.keyShare).finish();
}

export function decodeClientHello(body: Buffer): ClientHello {
	const reader = new ByteReader(body, 'ClientHello', 'ClientHello');
	const version = reader.u16('version');
	const clientRandom = reader.fixed(RANDOM_LENGTH, 'client_random');
	const count = reader.u8('suite_count');
	if (count < 1 || count > MAX_OFFERED_SUITES) {
		throw new DecodeError(
			'ClientHello',
			`ClientHello.suite_count: ${count} outside 1..${MAX_OFFERED_SUITES}`,
		);
	}

	const suites: number[] = [];
	for (let index = 0; index < count; index++) suites.push(reader.u16('suites'));
	if (new Set(suites).size !== suites.length) {
		throw new DecodeError('ClientHello', 'ClientHello.suites: a suite is offered twice');
	}

	const keyShare = reader.vector8('key_share', 0, X25519_SHARE_LENGTH);
	if (keyShare.length > 0 && keyShare.length !== X25519_SHARE_LENGTH) {
		throw new DecodeError(
			'ClientHello',
			`ClientHello.key_share: ${keyShare.length} bytes, expected 0 or 32`,
		);
	}

	reader.end();
	return {version, clientRandom, suites, keyShare};
}

// ---------------------------------------------------------------------------------------------
// ServerHello: "Hi, I'm Bob" + Bob's public key + "Alice, this is Bob" + signature
//
//   struct ServerHello {
//     u16 version;
//     u8  server_random[32];
//     u16 suite;                       // one of the client's offers
//     u8  key_share_length;            // 32 in X25519 suites, 0 otherwise
//     u8  key_share[key_share_length];
//     u8  host_key_type;               // 1 Ed25519, 2 RSA-3072, 0x7f textbook RSA (teaching)
//     u16 host_key_length;             // Ed25519: 32 raw bytes; RSA: SPKI DER
//     u8  host_key[host_key_length];
//     -- signed part ends here: signature over transcript hash of ClientHello || the above
//     u16 signature_length;
//     u8  signature[signature_length];
//     u8  finished_length;             // 32 in X25519 suites, 0 in key-transport suites
//     u8  finished[finished_length];   // HMAC of the transcript through the signature
//   }

export const HostKeyCode = {ed25519: 0x01, 'rsa-3072': 0x02, 'textbook-rsa': 0x7f} as const;
export type HostKeyCode = (typeof HostKeyCode)[keyof typeof HostKeyCode];

export type ServerHello = {
	readonly version: number;
	readonly serverRandom: Buffer;
	readonly suite: number;
	readonly keyShare: Buffer;
	readonly hostKeyType: number;
	readonly hostKey: Buffer;
	readonly signature: Buffer;
	readonly finished: Buffer;
};

/** The part of ServerHello that the host key signs (everything up to the signature). */
export function encodeServerHelloSigned(
	hello: Omit<ServerHello, 'signature' | 'finished'>,
): Buffer {
	return new ByteWriter()
		.u16(hello.version)
		.fixed(hello.serverRandom)
		.u16(hello.suite)
		.vector8(hello.keyShare)
		.u8(hello.hostKeyType)
		.vector16(hello.hostKey)
		.finish();
}

export type ServerHelloParts = {
	readonly hello: ServerHello;
	/** Offsets into the body: end of the signed part, end of the signature. */
	readonly signedEnd: number;
	readonly signatureEnd: number;
};

export function decodeServerHello(body: Buffer): ServerHelloParts {
	const reader = new ByteReader(body, 'ServerHello', 'ServerHello');
	const version = reader.u16('version');
	const serverRandom = reader.fixed(RANDOM_LENGTH, 'server_random');
	const suite = reader.u16('suite');
	const keyShare = reader.vector8('key_share', 0, X25519_SHARE_LENGTH);
	const hostKeyType = reader.u8('host_key_type');
	const hostKey = reader.vector16('host_key', 1, 2048);
	const signedEnd = reader.position;
	const signature = reader.vector16('signature', 1, 1024);
	const signatureEnd = reader.position;
	const finished = reader.vector8('finished', 0, 64);
	reader.end();
	return {
		hello: {version, serverRandom, suite, keyShare, hostKeyType, hostKey, signature, finished},
		signedEnd,
		signatureEnd,
	};
}

// ---------------------------------------------------------------------------------------------
// ClientFinished: "ok Bob, here is a secret"
//
//   struct ClientFinished {
//     u16 encrypted_secret_length;     // 0 in X25519 suites (the secret is the DH output)
//     u8  encrypted_secret[...];       // RSA suite: the 32-byte secret under RSA-OAEP-SHA256
//     u8  finished_length;             // 32
//     u8  finished[finished_length];   // HMAC proving the client holds the secret
//   }

export type ClientFinished = {readonly encryptedSecret: Buffer; readonly finished: Buffer};

export function encodeClientFinished(message: ClientFinished): Buffer {
	return new ByteWriter().vector16(message.encryptedSecret).vector8(message.finished).finish();
}

export function decodeClientFinished(body: Buffer): ClientFinished & {readonly secretEnd: number} {
	const reader = new ByteReader(body, 'ClientFinished', 'ClientFinished');
	const encryptedSecret = reader.vector16('encrypted_secret', 0, 1024);
	const secretEnd = reader.position;
	const finished = reader.vector8('finished', 32, 32);
	reader.end();
	return {encryptedSecret, finished, secretEnd};
}

// ---------------------------------------------------------------------------------------------
// ServerFinished (key-transport suites only: see CLARIFICATIONS.md 1)
//
//   struct ServerFinished {
//     u8 finished_length;              // 32
//     u8 finished[finished_length];
//   }

export function encodeServerFinished(finished: Uint8Array): Buffer {
	return new ByteWriter().vector8(finished).finish();
}

export function decodeServerFinished(body: Buffer): Buffer {
	const reader = new ByteReader(body, 'ServerFinished', 'ServerFinished');
	const finished = reader.vector8('finished', 32, 32);
	reader.end();
	return finished;
}

// ---------------------------------------------------------------------------------------------
// Alert (plaintext before keys exist, else inside a record)
//
//   struct Alert {
//     u8 code;                         // AlertCode
//     u8 reason_length;
//     u8 reason[reason_length];        // UTF-8, for people
//   }

export type AlertBody = {readonly code: number; readonly reason: string};

export function encodeAlert(alert: AlertBody): Buffer {
	let reason = Buffer.from(alert.reason, 'utf8');
	if (reason.length > 0xff) {
		// Cut on a character boundary: never split a UTF-8 sequence (continuation bytes are 10xxxxxx).
		let end = 0xff;
		while (end > 0 && (reason[end]! & 0xc0) === 0x80) end--;
		reason = reason.subarray(0, end);
	}

	return new ByteWriter().u8(alert.code).vector8(reason).finish();
}

export function decodeAlert(body: Buffer, stage: HandshakeStage): AlertBody {
	const reader = new ByteReader(body, stage, 'Alert');
	const code = reader.u8('code');
	const reason = reader.vector8('reason', 0, 0xff).toString('utf8');
	reader.end();
	return {code, reason};
}

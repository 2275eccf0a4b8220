/**
 * The wire codec (source/protocol/codec.ts, PROTOCOL.md sections 2 and 3): every message survives
 * an encode/decode round trip, and decoding is strict: lengths are checked against their limits,
 * nothing may trail a message, and the error names the message and the field.
 */
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {
	decodeAlert,
	decodeClientFinished,
	decodeClientHello,
	decodeServerFinished,
	decodeServerHello,
	encodeAlert,
	encodeClientFinished,
	encodeClientHello,
	encodeFrame,
	encodeServerFinished,
	encodeServerHelloSigned,
	ByteWriter,
	FrameReader,
	FrameType,
	MAX_FRAME_BODY,
	MAX_OFFERED_SUITES,
	PROTOCOL_VERSION,
	type ServerHello,
} from '../../source/protocol/codec.js';
import {
	DecodeError,
	RecordOverflowError,
	UnexpectedMessageError,
} from '../../source/protocol/errors.js';

const bytes = (length: number, fill = 0xab) => Buffer.alloc(length, fill);

/** A ClientHello body written field by field, so that invalid values can be written too. */
function rawClientHello(fields: {
	count?: number;
	suites?: number[];
	keyShare?: Buffer;
	trailing?: Buffer;
}): Buffer {
	const suites = fields.suites ?? [0x00_01];
	const writer = new ByteWriter()
		.u16(PROTOCOL_VERSION)
		.fixed(bytes(32))
		.u8(fields.count ?? suites.length);
	for (const suite of suites) writer.u16(suite);
	writer.vector8(fields.keyShare ?? Buffer.alloc(0));
	return Buffer.concat([writer.finish(), fields.trailing ?? Buffer.alloc(0)]);
}

function serverHelloBody(hello: ServerHello): Buffer {
	return new ByteWriter()
		.fixed(encodeServerHelloSigned(hello))
		.vector16(hello.signature)
		.vector8(hello.finished)
		.finish();
}

const validServerHello: ServerHello = {
	version: PROTOCOL_VERSION,
	serverRandom: bytes(32, 3),
	suite: 0x00_01,
	keyShare: bytes(32, 4),
	hostKeyType: 0x01,
	hostKey: bytes(32, 5),
	signature: bytes(64, 6),
	finished: bytes(32, 7),
};

const buffer = (min: number, max: number) =>
	fc.uint8Array({minLength: min, maxLength: max}).map((array) => Buffer.from(array));

describe('round trips', () => {
	it('ClientHello: any valid hello decodes to itself', () => {
		fc.assert(
			fc.property(
				fc.uniqueArray(fc.integer({min: 0, max: 0xff_ff}), {
					minLength: 1,
					maxLength: MAX_OFFERED_SUITES,
				}),
				buffer(32, 32),
				fc.constantFrom(0, 32),
				(suites, clientRandom, shareLength) => {
					const hello = {
						version: PROTOCOL_VERSION,
						clientRandom,
						suites,
						keyShare: bytes(shareLength, 9),
					};
					expect(decodeClientHello(encodeClientHello(hello))).toEqual(hello);
				},
			),
			{numRuns: 200},
		);
	});

	it('ServerHello: fields and the signed/signature offsets come back', () => {
		fc.assert(
			fc.property(
				buffer(0, 32),
				buffer(1, 600),
				buffer(1, 500),
				buffer(0, 64),
				(keyShare, hostKey, signature, finished) => {
					const hello = {...validServerHello, keyShare, hostKey, signature, finished};
					const body = serverHelloBody(hello);
					const {hello: decoded, signedEnd, signatureEnd} = decodeServerHello(body);
					expect(decoded).toEqual(hello);
					expect(body.subarray(0, signedEnd).equals(encodeServerHelloSigned(hello))).toBe(true);
					expect(signatureEnd).toBe(signedEnd + 2 + signature.length);
				},
			),
			{numRuns: 200},
		);
	});

	it('ClientFinished, ServerFinished and Alert', () => {
		const message = {encryptedSecret: bytes(384, 8), finished: bytes(32, 9)};
		const decoded = decodeClientFinished(encodeClientFinished(message));
		expect(decoded).toMatchObject(message);
		expect(decoded.secretEnd).toBe(2 + 384);
		expect(
			decodeClientFinished(
				encodeClientFinished({encryptedSecret: Buffer.alloc(0), finished: bytes(32)}),
			).secretEnd,
		).toBe(2);
		expect(decodeServerFinished(encodeServerFinished(bytes(32, 10)))).toEqual(bytes(32, 10));
		expect(
			decodeAlert(encodeAlert({code: 40, reason: 'no common suite: Łódź ✓'}), 'ClientHello'),
		).toEqual({
			code: 40,
			reason: 'no common suite: Łódź ✓',
		});
		expect(decodeAlert(encodeAlert({code: 0, reason: ''}), 'records')).toEqual({
			code: 0,
			reason: '',
		});
	});

	it('frames: any split of a stream of frames reads back the same frames, in order', () => {
		fc.assert(
			fc.property(
				fc.array(fc.tuple(fc.constantFrom(...Object.values(FrameType)), buffer(0, 64)), {
					minLength: 1,
					maxLength: 6,
				}),
				fc.array(fc.integer({min: 1, max: 40}), {minLength: 1, maxLength: 20}),
				(frames, cuts) => {
					const stream = Buffer.concat(frames.map(([type, body]) => encodeFrame(type, body)));
					const reader = new FrameReader(() => 'records');
					const read: Array<[number, Buffer]> = [];
					let offset = 0;
					for (let index = 0; offset < stream.length; index++) {
						const size = cuts[index % cuts.length]!;
						reader.push(stream.subarray(offset, offset + size));
						offset += size;
						for (let frame = reader.next(); frame; frame = reader.next())
							read.push([frame.type, Buffer.from(frame.body)]);
					}

					expect(read).toEqual(frames);
					expect(reader.pendingBytes).toBe(0);
				},
			),
			{numRuns: 200},
		);
	});
});

describe('strict decoding: each error names the message and the field', () => {
	const cases: Array<[name: string, decode: () => unknown, message: RegExp]> = [
		[
			'ClientHello trailing byte',
			() => decodeClientHello(rawClientHello({trailing: Buffer.of(0)})),
			/ClientHello: 1 trailing bytes/,
		],
		[
			'ClientHello suite_count 0',
			() => decodeClientHello(rawClientHello({count: 0, suites: []})),
			/ClientHello\.suite_count: 0 outside 1\.\.16/,
		],
		[
			'ClientHello suite_count 17',
			() =>
				decodeClientHello(
					rawClientHello({suites: Array.from({length: 17}, (_, index) => index + 1)}),
				),
			/ClientHello\.suite_count: 17 outside 1\.\.16/,
		],
		[
			'ClientHello duplicate suites',
			() => decodeClientHello(rawClientHello({suites: [1, 2, 1]})),
			/ClientHello\.suites: a suite is offered twice/,
		],
		[
			'ClientHello suite_count larger than the list',
			() => decodeClientHello(rawClientHello({count: 3, suites: [1]})),
			/ClientHello\.(suites|key_share): needs/,
		],
		[
			'ClientHello key share of 31 bytes',
			() => decodeClientHello(rawClientHello({keyShare: bytes(31)})),
			/ClientHello\.key_share: 31 bytes, expected 0 or 32/,
		],
		[
			'ClientHello key share of 33 bytes',
			() => decodeClientHello(rawClientHello({keyShare: bytes(33)})),
			/ClientHello\.key_share: length 33 outside 0\.\.32/,
		],
		[
			'ClientHello cut inside client_random',
			() => decodeClientHello(Buffer.of(0, 1, 2, 3)),
			/ClientHello\.client_random: needs 32 bytes, only 2 left/,
		],
		[
			'ClientHello empty',
			() => decodeClientHello(Buffer.alloc(0)),
			/ClientHello\.version: needs 2 bytes, only 0 left/,
		],
		[
			'ServerHello trailing byte',
			() => decodeServerHello(Buffer.concat([serverHelloBody(validServerHello), Buffer.of(0)])),
			/ServerHello: 1 trailing bytes/,
		],
		[
			'ServerHello key share of 33 bytes',
			() => decodeServerHello(serverHelloBody({...validServerHello, keyShare: bytes(33)})),
			/ServerHello\.key_share: length 33 outside 0\.\.32/,
		],
		[
			'ServerHello empty host key',
			() => decodeServerHello(serverHelloBody({...validServerHello, hostKey: Buffer.alloc(0)})),
			/ServerHello\.host_key: length 0 outside 1\.\.2048/,
		],
		[
			'ServerHello empty signature',
			() => decodeServerHello(serverHelloBody({...validServerHello, signature: Buffer.alloc(0)})),
			/ServerHello\.signature: length 0 outside 1\.\.1024/,
		],
		[
			'ServerHello finished of 65 bytes',
			() => decodeServerHello(serverHelloBody({...validServerHello, finished: bytes(65)})),
			/ServerHello\.finished: length 65 outside 0\.\.64/,
		],
		[
			'ClientFinished finished of 31 bytes',
			() =>
				decodeClientFinished(
					encodeClientFinished({encryptedSecret: Buffer.alloc(0), finished: bytes(31)}),
				),
			/ClientFinished\.finished: length 31 outside 32\.\.32/,
		],
		[
			'ClientFinished finished of 33 bytes',
			() =>
				decodeClientFinished(
					encodeClientFinished({encryptedSecret: Buffer.alloc(0), finished: bytes(33)}),
				),
			/ClientFinished\.finished: length 33 outside 32\.\.32/,
		],
		[
			'ClientFinished encrypted secret over 1024 bytes',
			() =>
				decodeClientFinished(
					encodeClientFinished({encryptedSecret: bytes(1025), finished: bytes(32)}),
				),
			/ClientFinished\.encrypted_secret: length 1025 outside 0\.\.1024/,
		],
		[
			'ClientFinished trailing byte',
			() =>
				decodeClientFinished(
					Buffer.concat([
						encodeClientFinished({encryptedSecret: Buffer.alloc(0), finished: bytes(32)}),
						Buffer.of(1),
					]),
				),
			/ClientFinished: 1 trailing bytes/,
		],
		[
			'ServerFinished finished of 31 bytes',
			() => decodeServerFinished(encodeServerFinished(bytes(31))),
			/ServerFinished\.finished: length 31 outside 32\.\.32/,
		],
		[
			'ServerFinished trailing byte',
			() => decodeServerFinished(Buffer.concat([encodeServerFinished(bytes(32)), Buffer.of(0)])),
			/ServerFinished: 1 trailing bytes/,
		],
		[
			'Alert reason longer than the body',
			() => decodeAlert(Buffer.of(40, 10, 0x61), 'ClientHello'),
			/Alert\.reason: needs 10 bytes, only 1 left/,
		],
		[
			'Alert trailing byte',
			() =>
				decodeAlert(Buffer.concat([encodeAlert({code: 0, reason: 'x'}), Buffer.of(0)]), 'records'),
			/Alert: 1 trailing bytes/,
		],
		[
			'Alert without a reason length',
			() => decodeAlert(Buffer.of(40), 'records'),
			/Alert\.reason: needs 1 bytes, only 0 left/,
		],
	];
	for (const [name, decode, message] of cases) {
		it(name, () => {
			expect(decode).toThrow(DecodeError);
			expect(decode).toThrow(message);
		});
	}

	it('a decode error carries the stage and maps to the decode_error alert (50)', () => {
		try {
			decodeClientHello(rawClientHello({keyShare: bytes(31)}));
			expect.unreachable();
		} catch (error) {
			expect(error).toBeInstanceOf(DecodeError);
			expect(error).toMatchObject({code: 'decode_error', alert: 50, stage: 'ClientHello'});
			expect((error as Error).message).toMatch(/^handshake stage 1 \(ClientHello\): /);
		}
	});
});

describe('alert reasons', () => {
	it('a reason over 255 bytes is cut to 255 on encoding (the field is one length byte)', () => {
		const encoded = encodeAlert({code: 40, reason: 'x'.repeat(300)});
		expect(encoded.length).toBe(2 + 255);
		expect(decodeAlert(encoded, 'records').reason).toBe('x'.repeat(255));
	});

	it('a long reason is cut on a character boundary: the alert stays valid UTF-8', () => {
		const reason = 'é'.repeat(200);
		const encoded = encodeAlert({code: 40, reason});
		expect(encoded.length).toBeLessThanOrEqual(2 + 255);
		const decoded = new TextDecoder('utf-8', {fatal: true}).decode(encoded.subarray(2));
		expect(decoded).toBe('é'.repeat(127));
		expect(decodeAlert(encoded, 'records').reason).toBe(decoded);
	});

	it('invalid UTF-8 in a reason decodes with replacement characters instead of failing', () => {
		expect(decodeAlert(Buffer.of(40, 2, 0xc3, 0x28), 'records').reason).toBe('\uFFFD(');
	});
});

describe('frames', () => {
	it("encodeFrame refuses a body over the type's limit", () => {
		for (const type of Object.values(FrameType)) {
			expect(() => encodeFrame(type, Buffer.alloc(MAX_FRAME_BODY[type] + 1))).toThrow(
				RecordOverflowError,
			);
			expect(encodeFrame(type, Buffer.alloc(MAX_FRAME_BODY[type])).readUInt16BE(1)).toBe(
				MAX_FRAME_BODY[type],
			);
		}
	});

	it('an unknown frame type is unexpected_message once the 3 header bytes are in', () => {
		const reader = new FrameReader(() => 'ClientHello');
		reader.push(Buffer.of(0x16, 0x03));
		expect(reader.next()).toBeUndefined();
		reader.push(Buffer.of(0x01));
		expect(() => reader.next()).toThrow(UnexpectedMessageError);
		expect(() => reader.next()).toThrow(/expected a securebank frame, got unknown type 0x16/);
	});

	it("each type's limit is checked on the header, before any of the body arrives", () => {
		for (const type of Object.values(FrameType)) {
			const over = MAX_FRAME_BODY[type] + 1;
			const reader = new FrameReader(() => 'records');
			reader.push(Buffer.of(type, over >> 8, over & 0xff));
			expect(() => reader.next()).toThrow(RecordOverflowError);
			expect(reader.pendingBytes).toBe(3);

			const atLimit = new FrameReader(() => 'records');
			atLimit.push(Buffer.of(type, MAX_FRAME_BODY[type] >> 8, MAX_FRAME_BODY[type] & 0xff));
			expect(atLimit.next()).toBeUndefined();
		}
	});
});

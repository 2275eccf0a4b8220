/**
 * One direction of the record layer (source/protocol/records.ts, after RFC 8446 section 5;
 * PROTOCOL.md section 8), no connection: a tampered, replayed, reordered or truncated record fails
 * bad_record_mac and leaves the receiver's sequence number where it was; sequence limits and key
 * updates (7.2) hold on both ends; the nonce is iv XOR the sequence number (5.3).
 */
import {describe, expect, it} from 'vitest';
import {aeadSeal, type AeadAlgorithm} from '../../source/crypto/primitives.js';
import {
	encodeFrame,
	FRAME_HEADER_LENGTH,
	FrameType,
	MAX_PLAINTEXT,
	MAX_RECORD_BODY,
} from '../../source/protocol/codec.js';
import {
	BadRecordMacError,
	RecordOverflowError,
	SequenceExhaustedError,
} from '../../source/protocol/errors.js';
import {trafficKeys} from '../../source/protocol/key-schedule.js';
import {
	InnerType,
	recordCipher,
	RecordReceiver,
	RecordSender,
	type RecordCipher,
	type RecordLimits,
} from '../../source/protocol/records.js';
import {bodyOf, flipBit} from './wire.js';

const secret = Buffer.from('8f'.repeat(32), 'hex');

/** A sender and a receiver of one direction. Each gets its own copy: update() wipes the old secret. */
function direction(cipher: AeadAlgorithm = 'chacha20-poly1305', limits?: RecordLimits) {
	return {
		sender: new RecordSender(recordCipher(cipher), Buffer.from(secret), limits),
		receiver: new RecordReceiver(recordCipher(cipher), Buffer.from(secret), limits),
	};
}

function parts(frame: Buffer): [header: Buffer, body: Buffer] {
	return [frame.subarray(0, FRAME_HEADER_LENGTH), frame.subarray(FRAME_HEADER_LENGTH)];
}

function seal(sender: RecordSender, text: string): Buffer {
	return sender.seal(InnerType.applicationData, Buffer.from(text)).frame;
}

describe('RecordSender / RecordReceiver', () => {
	for (const cipher of ['chacha20-poly1305', 'aes-256-gcm'] as const) {
		it(`${cipher}: a tampered record fails bad_record_mac, the sequence does not move, the genuine one opens`, () => {
			const {sender, receiver} = direction(cipher);
			const frame = seal(sender, 'pay 10 to bob');
			// Header (additional data), ciphertext, content type and tag: every region is covered.
			for (const index of [
				1,
				2,
				FRAME_HEADER_LENGTH,
				FRAME_HEADER_LENGTH + 5,
				frame.length - 17,
				frame.length - 1,
			]) {
				expect(() => receiver.open(...parts(flipBit(frame, index)))).toThrow(BadRecordMacError);
				expect(receiver.sequence).toBe(0n);
			}

			const opened = receiver.open(...parts(frame));
			expect(opened).toMatchObject({contentType: InnerType.applicationData, sequence: 0n});
			expect(opened.content.toString()).toBe('pay 10 to bob');
			expect(receiver.sequence).toBe(1n);
		});
	}

	it('a replayed record fails: the receiver expects the next sequence number', () => {
		const {sender, receiver} = direction();
		const first = seal(sender, 'first');
		const second = seal(sender, 'second');
		receiver.open(...parts(first));
		expect(() => receiver.open(...parts(first))).toThrow(BadRecordMacError);
		expect(receiver.sequence).toBe(1n);
		expect(receiver.open(...parts(second)).content.toString()).toBe('second');
	});

	it('reordered records fail: 2 before 1 does not open, then 1 and 2 in order do', () => {
		const {sender, receiver} = direction();
		const first = seal(sender, 'first');
		const second = seal(sender, 'second');
		expect(() => receiver.open(...parts(second))).toThrow(/record 0 failed authentication/);
		expect(receiver.open(...parts(first)).sequence).toBe(0n);
		expect(receiver.open(...parts(second)).sequence).toBe(1n);
	});

	it('a record cut short (length field and body shortened together) fails bad_record_mac', () => {
		const {sender, receiver} = direction();
		const frame = seal(sender, 'withdraw everything');
		const cut = encodeFrame(FrameType.record, bodyOf(frame).subarray(0, -1));
		expect(() => receiver.open(...parts(cut))).toThrow(BadRecordMacError);
		const tooShortForATag = encodeFrame(FrameType.record, bodyOf(frame).subarray(0, 15));
		expect(() => receiver.open(...parts(tooShortForATag))).toThrow(BadRecordMacError);
		expect(receiver.sequence).toBe(0n);
	});

	it('sequence number at its limit (maxSequence 2): the 4th seal and the 4th open throw SequenceExhaustedError', () => {
		const limits = {maxSequence: 2n, keyUpdateAfterRecords: 1_000_000};
		const limited = direction('chacha20-poly1305', limits);
		for (let index = 0; index < 3; index++) seal(limited.sender, `record ${index}`);
		expect(() => seal(limited.sender, 'record 3')).toThrow(SequenceExhaustedError);
		expect(limited.sender.sequence).toBe(3n);
		// A key update starts the count again (RFC 8446 5.5, 7.2).
		limited.sender.updateKeys();
		expect(limited.sender.sequence).toBe(0n);
		expect(() => seal(limited.sender, 'after update')).not.toThrow();

		const unlimited = direction();
		const frames = [0, 1, 2, 3].map((index) => seal(unlimited.sender, `record ${index}`));
		for (const frame of frames.slice(0, 3)) limited.receiver.open(...parts(frame));
		expect(() => limited.receiver.open(...parts(frames[3]!))).toThrow(SequenceExhaustedError);
		expect(limited.receiver.sequence).toBe(3n);
	});

	it('a key update on one side only: records no longer open until the receiver updates too', () => {
		const {sender, receiver} = direction('aes-256-gcm');
		sender.updateKeys();
		expect(sender.generation).toBe(1);
		const frame = seal(sender, 'new keys');
		expect(() => receiver.open(...parts(frame))).toThrow(BadRecordMacError);
		receiver.updateKeys();
		expect(receiver.open(...parts(frame)).content.toString()).toBe('new keys');
		expect(receiver.generation).toBe(1);
	});

	it('content over 16 KiB is refused on sealing; a body over MAX_RECORD_BODY on opening', () => {
		const {sender, receiver} = direction();
		expect(() => sender.seal(InnerType.applicationData, Buffer.alloc(MAX_PLAINTEXT + 1))).toThrow(
			RecordOverflowError,
		);
		expect(() => sender.seal(InnerType.applicationData, Buffer.alloc(MAX_PLAINTEXT))).not.toThrow();
		const header = Buffer.of(FrameType.record, 0, 0);
		expect(() => receiver.open(header, Buffer.alloc(MAX_RECORD_BODY + 1))).toThrow(
			RecordOverflowError,
		);
	});

	it('RFC 8446 5.3: nonce = iv XOR the 64-bit sequence number, left-padded to the iv length', () => {
		const nonces: Buffer[] = [];
		const real = recordCipher('chacha20-poly1305');
		const spy: RecordCipher = {
			...real,
			seal(key, nonce, inner, additionalData) {
				nonces.push(Buffer.from(nonce));
				return real.seal(key, nonce, inner, additionalData);
			},
		};
		const sender = new RecordSender(spy, Buffer.from(secret));
		const {key, iv} = trafficKeys(secret, 32, 12);
		sender.seal(InnerType.applicationData, Buffer.from('zero'));
		sender.seal(InnerType.applicationData, Buffer.from('one'));
		expect(nonces[0]!.toString('hex')).toBe(iv.toString('hex'));
		const one = Buffer.from(iv);
		one[11] = one[11]! ^ 1;
		expect(nonces[1]!.toString('hex')).toBe(one.toString('hex'));

		// Jump to sequence 0x0102030405060708 (private state: there is no public setter, on purpose).
		const sequence = 0x01_02_03_04_05_06_07_08n;
		(sender as unknown as {keys: {sequence: bigint}}).keys.sequence = sequence;
		const {frame} = sender.seal(InnerType.applicationData, Buffer.from('far'));
		const padded = Buffer.from('000000000102030405060708', 'hex');
		const expected = Buffer.from(iv.map((byte, index) => byte ^ padded[index]!));
		expect(nonces[2]!.toString('hex')).toBe(expected.toString('hex'));
		// And the record on the wire is exactly the AEAD under that nonce, the header as additional data.
		const inner = Buffer.concat([Buffer.from('far'), Buffer.of(InnerType.applicationData)]);
		const [header, body] = parts(frame);
		expect(body.toString('hex')).toBe(
			aeadSeal('chacha20-poly1305', key, expected, inner, header).toString('hex'),
		);
	});
});

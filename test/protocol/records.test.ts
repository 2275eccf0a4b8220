/**
 * Records over an open pair, as a peer sees them (PROTOCOL.md section 8, after RFC 8446 section 5):
 * a tampered, replayed, reordered, reflected or truncated record is fatal (bad_record_mac, the alert
 * sent encrypted, both ends closed, nothing delivered); an oversized length is refused on the
 * header; sequence limits, key updates (7.2, on demand and after a record count), keepalives,
 * fragmentation of large messages, empty messages, close_notify and plaintext alerts behave as
 * specified. One direction without a connection: record-layer.test.ts.
 */
import {describe, expect, it} from 'vitest';
import {
	DEFAULT_SUITE_IDS,
	SUITE_RSA_3072_PSS_AES_256_GCM_SHA256 as RSA,
	SUITE_X25519_ED25519_CHACHA20_POLY1305_SHA256 as X25519_CHACHA,
	suiteById,
} from '../../source/crypto/suites.js';
import type {ClientOptions} from '../../source/protocol/client-handshake.js';
import {
	encodeAlert,
	encodeFrame,
	FRAME_HEADER_LENGTH,
	FrameType,
	MAX_PLAINTEXT,
	MAX_RECORD_BODY,
} from '../../source/protocol/codec.js';
import {AlertCode, ClosedError, SequenceExhaustedError} from '../../source/protocol/errors.js';
import {
	InnerType,
	recordCipher,
	RecordReceiver,
	RecordSender,
	type RecordLimits,
} from '../../source/protocol/records.js';
import {Pair, type Interceptor} from '../helpers/pair.js';
import {flipBit, framesOf} from './wire.js';

/** An open pair whose wire can be tapped after the handshake by setting `tap.intercept`. */
function openPair(
	id = X25519_CHACHA,
	client: ClientOptions = {},
	serverLimits?: Partial<RecordLimits>,
) {
	const tap: {intercept?: Interceptor} = {};
	const pair = new Pair(
		{client: {suites: [id], ...client}, server: serverLimits ? {limits: serverLimits} : {}},
		(direction, bytes) => (tap.intercept ? tap.intercept(direction, bytes) : [bytes]),
	).handshake();
	expect(pair.client.state).toBe('open');
	expect(pair.server.state).toBe('open');
	return {pair, tap};
}

/** Only records travelling toward the server pass through `change`. */
function recordsToServer(change: (frame: Buffer) => Buffer[]): Interceptor {
	return (direction, bytes) =>
		direction === 'toServer' && bytes[0] === FrameType.record ? change(bytes) : [bytes];
}

function expectFatal(pair: Pair, victim: 'client' | 'server', code: string, alert: string): void {
	const peer = victim === 'server' ? 'client' : 'server';
	const machine = victim === 'server' ? pair.server : pair.client;
	expect(machine.state).toBe('closed');
	expect(machine.error?.code).toBe(code);
	expect(pair.alerts(victim, 'sent').map((event) => event.description)).toEqual([alert]);
	expect(pair.alerts(peer, 'received').map((event) => event.description)).toEqual([alert]);
	expect((victim === 'server' ? pair.client : pair.server).state).toBe('closed');
}

describe('records over an open pair', () => {
	for (const id of DEFAULT_SUITE_IDS) {
		it(`${suiteById(id)!.name}: a flipped byte in a record → bad_record_mac alert, closed, nothing delivered`, () => {
			const {pair, tap} = openPair(id);
			tap.intercept = recordsToServer((frame) => [flipBit(frame, frame.length - 20)]);
			pair.sendApplicationData('client', 'transfer 10');
			expectFatal(pair, 'server', 'bad_record_mac', 'bad_record_mac');
			expect(pair.received('server')).toEqual([]);
			// The alert itself travelled encrypted: a plaintext alert would be refused by the client.
			expect(
				framesOf(
					pair.wire.filter(({direction}) => direction === 'toClient'),
					FrameType.alert,
				),
			).toEqual([]);
		});
	}

	it('a replayed record: delivered once, the copy is bad_record_mac', () => {
		const {pair, tap} = openPair();
		tap.intercept = recordsToServer((frame) => [frame, frame]);
		pair.sendApplicationData('client', 'transfer 10');
		expect(pair.received('server')).toEqual(['transfer 10']);
		expectFatal(pair, 'server', 'bad_record_mac', 'bad_record_mac');
	});

	it('reordered records (2 then 1): bad_record_mac on the first to arrive, nothing delivered', () => {
		const {pair, tap} = openPair();
		let held: Buffer | undefined;
		tap.intercept = recordsToServer((frame) => {
			if (!held) {
				held = frame;
				return [];
			}

			return [frame, held];
		});
		pair.sendApplicationData('client', 'one');
		pair.sendApplicationData('client', 'two');
		expectFatal(pair, 'server', 'bad_record_mac', 'bad_record_mac');
		expect(pair.received('server')).toEqual([]);
	});

	it('a record reflected back to its sender fails bad_record_mac (each direction has its own keys)', () => {
		const {pair, tap} = openPair();
		let copy: Buffer | undefined;
		tap.intercept = recordsToServer((frame) => {
			copy ??= frame;
			return [frame];
		});
		pair.sendApplicationData('client', 'to the server');
		expect(pair.received('server')).toEqual(['to the server']);
		tap.intercept = undefined;
		pair.clientOutput(pair.client.receive(copy!));
		pair.run();
		expectFatal(pair, 'client', 'bad_record_mac', 'bad_record_mac');
		expect(pair.received('client')).toEqual([]);
	});

	it('a record cut short, then the connection ends: nothing delivered, no error until the end', () => {
		const {pair, tap} = openPair();
		tap.intercept = recordsToServer((frame) => [frame.subarray(0, -1)]);
		pair.sendApplicationData('client', 'transfer 10');
		expect(pair.server.state).toBe('open');
		expect(pair.received('server')).toEqual([]);
		pair.serverOutput(pair.server.abort(new ClosedError('records', 'connection lost')));
		expect(pair.server.state).toBe('closed');
		expect(pair.received('server')).toEqual([]);
	});

	it('a record whose length field announces more than MAX_RECORD_BODY: record_overflow on the 3 header bytes', () => {
		const {pair} = openPair();
		const length = MAX_RECORD_BODY + 1;
		const output = pair.server.receive(Buffer.of(FrameType.record, length >> 8, length & 0xff));
		pair.serverOutput(output);
		pair.run();
		expectFatal(pair, 'server', 'record_overflow', 'record_overflow');
		expect(output.events).toContainEqual(
			expect.objectContaining({type: 'error', code: 'record_overflow'}),
		);
	});

	it('sequence numbers run out (maxSequence 2, no automatic key update): the 4th send is fatal', () => {
		const limits = {maxSequence: 2n, keyUpdateAfterRecords: 1_000_000};
		const {pair} = openPair(X25519_CHACHA, {limits}, limits);
		for (const text of ['a', 'b', 'c', 'd']) pair.sendApplicationData('client', text);
		expect(pair.received('server')).toEqual(['a', 'b', 'c']);
		expect(pair.client.state).toBe('closed');
		expect(pair.client.error).toBeInstanceOf(SequenceExhaustedError);
		expect(pair.errorCodes('client')).toEqual(['sequence_exhausted']);
	});

	it('with keyUpdateAfterRecords within maxSequence the keys roll over instead of running out', () => {
		const limits = {maxSequence: 3n, keyUpdateAfterRecords: 3};
		const {pair} = openPair(X25519_CHACHA, {limits}, limits);
		const texts = Array.from({length: 10}, (_, index) => `request ${index}`);
		for (const text of texts) pair.sendApplicationData('client', text);
		expect(pair.received('server')).toEqual(texts);
		expect(pair.client.state).toBe('open');
		expect(pair.events('server', 'key-update').length).toBe(3);
	});

	for (const id of DEFAULT_SUITE_IDS) {
		it(`${suiteById(id)!.name}: updateKeys() on demand, both directions: generation 1 on both sides, data still flows`, () => {
			const {pair} = openPair(id);
			pair.clientOutput(pair.client.updateKeys());
			pair.serverOutput(pair.server.updateKeys());
			pair.run();
			for (const [role, peer] of [
				['client', 'server'],
				['server', 'client'],
			] as const) {
				const sent = pair
					.events(role, 'key-update')
					.find((event) => event.type === 'key-update' && event.direction === 'send');
				const received = pair
					.events(peer, 'key-update')
					.find((event) => event.type === 'key-update' && event.direction === 'receive');
				expect(sent).toMatchObject({generation: 1, reason: 'requested'});
				expect(received).toMatchObject({generation: 1, reason: 'peer'});
				expect(sent?.type === 'key-update' && sent.fingerprint).toBe(
					received?.type === 'key-update' && received.fingerprint,
				);
			}

			pair.sendApplicationData('client', 'after update');
			pair.sendApplicationData('server', 'still here');
			expect(pair.received('server')).toEqual(['after update']);
			expect(pair.received('client')).toEqual(['still here']);
		});
	}

	it('keyUpdateAfterRecords 3: after 3 records the 4th goes out behind an automatic key update', () => {
		const {pair} = openPair(X25519_CHACHA, {
			limits: {keyUpdateAfterRecords: 3},
			traceRecords: true,
		});
		for (const text of ['1', '2', '3']) pair.sendApplicationData('client', text);
		expect(pair.events('client', 'key-update')).toEqual([]);
		pair.sendApplicationData('client', '4');
		expect(pair.events('client', 'key-update')).toEqual([
			expect.objectContaining({direction: 'send', generation: 1, reason: 'record-limit'}),
		]);
		expect(pair.events('server', 'key-update')).toEqual([
			expect.objectContaining({direction: 'receive', generation: 1, reason: 'peer'}),
		]);
		const sent = pair
			.events('client', 'record')
			.map((event) => (event.type === 'record' ? `${event.sequence} ${event.contentType}` : ''));
		expect(sent).toEqual([
			'0 application data',
			'1 application data',
			'2 application data',
			'3 key update',
			'0 application data',
		]);
		expect(pair.received('server')).toEqual(['1', '2', '3', '4']);
	});

	it('keepalive: the peer sees a keepalive event and no application data', () => {
		const {pair} = openPair();
		pair.clientOutput(pair.client.keepalive());
		pair.serverOutput(pair.server.keepalive());
		pair.run();
		for (const role of ['client', 'server'] as const) {
			expect(pair.events(role, 'keepalive')).toEqual([
				expect.objectContaining({direction: 'sent'}),
				expect.objectContaining({direction: 'received'}),
			]);
		}

		expect(pair.received('server')).toEqual([]);
		expect(pair.received('client')).toEqual([]);
	});

	it('traceRecords: every record on the wire has a sent record event, key updates and alerts included', () => {
		const {pair} = openPair(X25519_CHACHA, {
			limits: {keyUpdateAfterRecords: 2},
			traceRecords: true,
		});
		const before = pair.wire.length;
		for (const text of ['1', '2', '3']) pair.sendApplicationData('client', text);
		pair.clientOutput(pair.client.updateKeys());
		pair.clientOutput(pair.client.keepalive());
		pair.clientOutput(pair.client.close('done'));
		pair.run();
		const frames = pair.wire.slice(before).filter(({direction}) => direction === 'toServer');
		const traced = pair.events('client', 'record');
		expect(traced.map((event) => (event.type === 'record' ? event.contentType : ''))).toEqual([
			'application data',
			'application data',
			'key update',
			'application data',
			'key update',
			'keepalive',
			'alert',
		]);
		expect(traced.map((event) => (event.type === 'record' ? event.size : 0))).toEqual(
			frames.map(({bytes}) => bytes.length - FRAME_HEADER_LENGTH),
		);
		expect(pair.received('server')).toEqual(['1', '2', '3']);
		expect(pair.server.error?.code).toBe('closed');
	});

	it('plaintext over 16 KiB is split into records of at most 16 KiB and reassembled in order', () => {
		const {pair} = openPair();
		const message = Buffer.from(Array.from({length: 40_000}, (_, index) => (index * 7) % 251));
		const before = pair.wire.length;
		pair.sendApplicationData('client', message);
		const records = pair.wire.slice(before).filter(({direction}) => direction === 'toServer');
		expect(records.map(({bytes}) => bytes.length - FRAME_HEADER_LENGTH)).toEqual([
			16_384 + 17,
			16_384 + 17,
			7232 + 17,
		]);
		const pieces = pair
			.events('server', 'application-data')
			.map((event) => (event.type === 'application-data' ? event.data : new Uint8Array()));
		expect(pieces.map((piece) => piece.length)).toEqual([16_384, 16_384, 7232]);
		expect(Buffer.concat(pieces).equals(message)).toBe(true);

		pair.sendApplicationData('server', Buffer.alloc(MAX_PLAINTEXT, 1));
		expect(pair.events('client', 'application-data')).toHaveLength(1);
	});

	it('an empty application message is one record and arrives as empty data', () => {
		const {pair} = openPair();
		const before = pair.wire.length;
		pair.sendApplicationData('client', Buffer.alloc(0));
		expect(pair.wire.slice(before)).toHaveLength(1);
		const [event, ...more] = pair.events('server', 'application-data');
		expect(more).toEqual([]);
		expect(event?.type).toBe('application-data');
		expect(event?.type === 'application-data' ? event.data.length : -1).toBe(0);
	});

	it('data sent before the handshake waits in order behind it', () => {
		const pair = new Pair({client: {suites: [X25519_CHACHA]}});
		pair.clientOutput(pair.client.send(Buffer.from('early 1')));
		pair.clientOutput(pair.client.send(Buffer.from('early 2')));
		pair.handshake();
		pair.sendApplicationData('client', 'late');
		expect(pair.received('server')).toEqual(['early 1', 'early 2', 'late']);
	});

	it("RSA suite: the client's first request rides right behind ClientFinished", () => {
		const pair = new Pair({client: {suites: [RSA]}});
		pair.clientOutput(pair.client.send(Buffer.from('balance?')));
		pair.handshake();
		expect(pair.received('server')).toEqual(['balance?']);
		expect(pair.client.state).toBe('open');
	});

	it('close(): the peer gets close_notify, answers with its own and closes; later sends are refused with a closed error', () => {
		const {pair} = openPair();
		pair.clientOutput(pair.client.close('bye'));
		pair.run();
		expect(pair.client.state).toBe('closed');
		expect(pair.server.state).toBe('closed');
		expect(pair.alerts('client', 'sent')).toEqual([
			expect.objectContaining({code: AlertCode.closeNotify, reason: 'bye'}),
		]);
		expect(pair.alerts('server', 'received')).toEqual([
			expect.objectContaining({description: 'close_notify', reason: 'bye'}),
		]);
		// The server answers with its own close_notify before closing its write side.
		expect(pair.alerts('server', 'sent')).toEqual([
			expect.objectContaining({code: AlertCode.closeNotify, reason: 'closing in turn'}),
		]);
		expect(pair.server.error?.code).toBe('closed');
		expect(pair.events('server', 'closed')).toHaveLength(1);
		const late = pair.client.send(Buffer.from('too late'));
		expect(late.send).toEqual([]);
		expect(late.events).toEqual([expect.objectContaining({type: 'error', code: 'closed'})]);
	});

	it('a plaintext alert once the peer protects its records (a forged close_notify) is unexpected_message', () => {
		const {pair} = openPair();
		pair.sendApplicationData('client', 'first request');
		const forged = encodeFrame(
			FrameType.alert,
			encodeAlert({code: AlertCode.closeNotify, reason: 'forged'}),
		);
		pair.serverOutput(pair.server.receive(forged));
		pair.run();
		expectFatal(pair, 'server', 'unexpected_message', 'unexpected_message');
		expect(pair.server.error?.message).toMatch(
			/expected an encrypted record, got a plaintext Alert/,
		);
		expect(pair.alerts('server', 'received')).toEqual([]);
		expect(pair.received('server')).toEqual(['first request']);
	});

	it("a plaintext alert before the peer's first protected record still closes, and delivers nothing", () => {
		// Accepted on purpose (connection.ts): a server that rejects the client's Finished has no keys
		// yet, so its alert is plaintext. An on-path attacker can use the same window only to close.
		const {pair} = openPair();
		const forged = encodeFrame(
			FrameType.alert,
			encodeAlert({code: AlertCode.handshakeFailure, reason: 'forged'}),
		);
		pair.clientOutput(pair.client.receive(forged));
		pair.run();
		expect(pair.client.state).toBe('closed');
		expect(pair.client.error?.code).toBe('alert_received');
		pair.sendApplicationData('server', 'balance 5');
		expect(pair.received('client')).toEqual([]);
	});

	it('records with an unknown content type, or a non-empty keepalive / key update, are fatal', () => {
		const cases: Array<[type: number, content: Buffer, code: string, alert: string]> = [
			[0x42, Buffer.alloc(0), 'unexpected_message', 'unexpected_message'],
			[InnerType.keepalive, Buffer.from('x'), 'decode_error', 'decode_error'],
			[InnerType.keyUpdate, Buffer.from('x'), 'decode_error', 'decode_error'],
		];
		for (const [type, content, code, alert] of cases) {
			// With showSecrets the client's key events carry the traffic secret: forge as the client.
			const {pair} = openPair(X25519_CHACHA, {showSecrets: true});
			const keyEvent = pair
				.events('client', 'key')
				.find(
					(event) => event.type === 'key' && event.name === 'client application traffic secret',
				);
			const clientSecret = Buffer.from(
				keyEvent?.type === 'key' ? (keyEvent.secret ?? '') : '',
				'hex',
			);
			const forger = new RecordSender(recordCipher('chacha20-poly1305'), clientSecret);
			pair.serverOutput(pair.server.receive(forger.seal(type as InnerType, content).frame));
			pair.run();
			expectFatal(pair, 'server', code, alert);
			expect(pair.received('server')).toEqual([]);
		}
	});
});

describe('cipher contexts keyed ahead (prepareNext)', () => {
	for (const name of ['chacha20-poly1305', 'aes-256-gcm'] as const) {
		it(`${name}: the same bytes on the wire, across a key update, and a tampered record still fails`, () => {
			const secret = Buffer.alloc(32, 7);
			const limits = {keyUpdateAfterRecords: 1 << 24, maxSequence: 2n ** 64n - 1n};
			const plain = new RecordSender(recordCipher(name), Buffer.from(secret), limits);
			const ahead = new RecordSender(recordCipher(name), Buffer.from(secret), limits);
			const receiver = new RecordReceiver(recordCipher(name), Buffer.from(secret), limits);
			const frames: Buffer[] = [];
			for (let index = 0; index < 6; index++) {
				if (index === 3) {
					plain.updateKeys();
					ahead.updateKeys();
				}

				const content = Buffer.from(`record ${index}`);
				const expected = plain.seal(InnerType.applicationData, content).frame;
				const frame = ahead.seal(InnerType.applicationData, content).frame;
				ahead.prepareNext();
				expect(frame.equals(expected)).toBe(true);
				frames.push(frame);
			}

			for (const [index, frame] of frames.entries()) {
				if (index === 3) receiver.updateKeys();
				const opened = receiver.open(
					frame.subarray(0, FRAME_HEADER_LENGTH),
					frame.subarray(FRAME_HEADER_LENGTH),
				);
				receiver.prepareNext();
				expect(opened.content.toString()).toBe(`record ${index}`);
			}

			// The context prepared for the next record refuses a forged one, and the sequence stays.
			const next = ahead.seal(InnerType.applicationData, Buffer.from('last')).frame;
			const forged = flipBit(next, next.length - 1);
			expect(() =>
				receiver.open(
					forged.subarray(0, FRAME_HEADER_LENGTH),
					forged.subarray(FRAME_HEADER_LENGTH),
				),
			).toThrow(/failed authentication/u);
			expect(receiver.sequence).toBe(3n);
			expect(
				receiver
					.open(next.subarray(0, FRAME_HEADER_LENGTH), next.subarray(FRAME_HEADER_LENGTH))
					.content.toString(),
			).toBe('last');
		});
	}
});

/**
 * Property tests (fast-check) for the sans-IO machines: whatever bytes arrive, in whatever chunks,
 * at whatever point of the connection, `receive` never throws, garbage never opens a connection
 * or completes a handshake, never delivers application data, and only ever fails with a protocol
 * error (never internal_error). Frame headers are judged on their 3 bytes, before any body.
 */
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {
	SUITE_RSA_3072_PSS_AES_256_GCM_SHA256 as RSA,
	SUITE_X25519_ED25519_CHACHA20_POLY1305_SHA256 as X25519_CHACHA,
} from '../../source/crypto/suites.js';
import {ClientConnection} from '../../source/protocol/client-handshake.js';
import {FrameReader, FrameType, MAX_FRAME_BODY} from '../../source/protocol/codec.js';
import type {Connection} from '../../source/protocol/connection.js';
import type {ErrorCode} from '../../source/protocol/errors.js';
import type {ProtocolEvent} from '../../source/protocol/events.js';
import {localHostKey} from '../../source/protocol/host-key-algorithms.js';
import {ServerConnection} from '../../source/protocol/server-handshake.js';
import {Pair, testHostKeys, type Interceptor} from '../helpers/pair.js';
import {framesOf} from './wire.js';

const keys = testHostKeys();
const hostKeys = [localHostKey(keys.ed25519), localHostKey(keys.rsa)];

/** What garbage may legitimately cause: protocol errors, or the peer's alert / close. */
const garbageOutcomes = new Set<ErrorCode>([
	'unexpected_message',
	'decode_error',
	'record_overflow',
	'protocol_version',
	'no_common_suite',
	'illegal_parameter',
	'bad_signature',
	'bad_finished',
	'decrypt_error',
	'bad_record_mac',
	'alert_received',
	'closed',
]);

// ---------------------------------------------------------------------------------------------
// Arbitraries

const frameTypes = Object.values(FrameType);

/** A frame header with a length that matches its random body, of a known or any type. */
const framed = fc
	.tuple(
		fc.oneof(fc.constantFrom(...frameTypes), fc.integer({min: 0, max: 0xff})),
		fc.uint8Array({maxLength: 300}),
	)
	.map(([type, body]) =>
		Buffer.concat([Buffer.of(type, body.length >> 8, body.length & 0xff), body]),
	);

const raw = fc.uint8Array({maxLength: 600}).map((bytes) => Buffer.from(bytes));

/** Random bytes, sequences of well-framed random bodies, or a mix of both. */
const garbage = fc.oneof(
	raw,
	fc.array(framed, {minLength: 1, maxLength: 4}).map((frames) => Buffer.concat(frames)),
	fc
		.array(
			fc.oneof(
				framed,
				fc.uint8Array({maxLength: 16}).map((bytes) => Buffer.from(bytes)),
			),
			{maxLength: 5},
		)
		.map((parts) => Buffer.concat(parts)),
);

/** Chunk sizes to split a byte string into (cycled). */
const chunking = fc.array(fc.integer({min: 1, max: 80}), {minLength: 1, maxLength: 12});

function chunks(bytes: Buffer, sizes: readonly number[]): Buffer[] {
	const pieces: Buffer[] = [];
	for (let offset = 0, index = 0; offset < bytes.length; index++) {
		const size = sizes[index % sizes.length]!;
		pieces.push(bytes.subarray(offset, offset + size));
		offset += size;
	}

	return pieces;
}

/** Feeds chunks one receive() at a time; a throw fails the property. */
function feed(machine: Connection, pieces: readonly Buffer[]): ProtocolEvent[] {
	return pieces.flatMap((piece) => machine.receive(piece).events);
}

function expectHarmless(machine: Connection, events: readonly ProtocolEvent[]): void {
	expect(machine.state).not.toBe('open');
	const forbidden = events.filter((event) =>
		['handshake-complete', 'application-data', 'trust-needed'].includes(event.type),
	);
	expect(forbidden).toEqual([]);
	if (machine.error)
		expect(garbageOutcomes.has(machine.error.code), machine.error.message).toBe(true);
}

// A deterministic client: with one RSA suite offered (no ephemeral X25519 key) its ClientHello
// is the same every time, so one recorded ServerHello brings any number of clients to the point
// where they wait for ServerFinished without a fresh RSA signature each time.
const deterministic = (length: number) => Buffer.alloc(length, 0x5a);
const recorded = new Pair({client: {suites: [RSA], randomBytes: deterministic}}).handshake();
const recordedServerHello = framesOf(recorded.wire, FrameType.serverHello)[0]!;

function clientAwaitingServerFinished(): ClientConnection {
	const client = new ClientConnection({suites: [RSA], randomBytes: deterministic});
	client.start();
	client.receive(recordedServerHello);
	client.decideTrust(true);
	return client;
}

// ---------------------------------------------------------------------------------------------

describe('garbage into a machine in each handshake state', () => {
	it('a fresh server: never throws, never opens, never completes, no data, only protocol errors', () => {
		fc.assert(
			fc.property(garbage, chunking, (bytes, sizes) => {
				const server = new ServerConnection({hostKeys});
				expectHarmless(server, feed(server, chunks(bytes, sizes)));
			}),
			{numRuns: 300},
		);
	});

	it('a client after start(): never throws, never reaches trust-needed, never opens', () => {
		fc.assert(
			fc.property(garbage, chunking, (bytes, sizes) => {
				const client = new ClientConnection();
				client.start();
				expectHarmless(client, feed(client, chunks(bytes, sizes)));
			}),
			{numRuns: 300},
		);
	});

	it('an RSA client awaiting ServerFinished: never throws, never completes', () => {
		expect(clientAwaitingServerFinished().state).toBe('handshaking');
		expect(clientAwaitingServerFinished().awaitingTrust).toBe(false);
		fc.assert(
			fc.property(garbage, chunking, (bytes, sizes) => {
				const client = clientAwaitingServerFinished();
				expectHarmless(client, feed(client, chunks(bytes, sizes)));
			}),
			{numRuns: 100},
		);
	});

	it('a ServerFinished-shaped frame with a random MAC is bad_finished', () => {
		fc.assert(
			fc.property(fc.uint8Array({minLength: 32, maxLength: 32}), (mac) => {
				const client = clientAwaitingServerFinished();
				const events = feed(client, [
					Buffer.concat([Buffer.of(FrameType.serverFinished, 0, 33, 32), mac]),
				]);
				expectHarmless(client, events);
				expect(client.error?.code).toBe('bad_finished');
			}),
			{numRuns: 50},
		);
	});
});

describe('garbage into a live connection, at any point', () => {
	it('injected after any frame, either way, whole or chunked: only genuine data is ever delivered', () => {
		fc.assert(
			fc.property(
				fc.integer({min: 0, max: 6}),
				fc.constantFrom('toServer' as const, 'toClient' as const),
				garbage,
				chunking,
				(after, direction, bytes, sizes) => {
					let frames = 0;
					const inject: Interceptor = (travelling, frame) =>
						travelling === direction && frames++ === after
							? [frame, ...chunks(bytes, sizes)]
							: [frame];
					const pair = new Pair({client: {suites: [X25519_CHACHA]}}, inject).handshake();
					const genuine = ['a', 'b', 'c'];
					for (const text of genuine) {
						pair.sendApplicationData('client', `to server ${text}`);
						pair.sendApplicationData('server', `to client ${text}`);
					}

					for (const [role, prefix] of [
						['server', 'to server'],
						['client', 'to client'],
					] as const) {
						const delivered = pair.received(role);
						expect(delivered).toEqual(
							genuine.slice(0, delivered.length).map((text) => `${prefix} ${text}`),
						);
						const machine = role === 'server' ? pair.server : pair.client;
						if (machine.error)
							expect(garbageOutcomes.has(machine.error.code), machine.error.message).toBe(true);
					}
				},
			),
			{numRuns: 150},
		);
	});

	it('an open connection fed garbage between genuine records: never throws, never delivers garbage', () => {
		fc.assert(
			fc.property(fc.integer({min: 0, max: 3}), garbage, chunking, (before, bytes, sizes) => {
				const pair = new Pair({client: {suites: [X25519_CHACHA]}}).handshake();
				const sent = Array.from({length: before}, (_, index) => `request ${index}`);
				for (const text of sent) pair.sendApplicationData('client', text);
				const events = feed(pair.server, chunks(bytes, sizes));
				expect(events.filter((event) => event.type === 'application-data')).toEqual([]);
				expect(pair.received('server')).toEqual(sent);
				if (pair.server.error) expect(garbageOutcomes.has(pair.server.error.code)).toBe(true);
				// Still open only while waiting for the rest of a frame: then nothing happened at all.
				if (pair.server.state === 'open') expect(events).toEqual([]);
			}),
			{numRuns: 200},
		);
	});
});

describe('a frame header announcing too much is refused on its 3 bytes', () => {
	it('0x17 0xFF 0xFF to an open connection: record_overflow as the 3rd byte arrives, no body needed', () => {
		const pair = new Pair({client: {suites: [X25519_CHACHA]}}).handshake();
		expect(pair.server.receive(Buffer.of(0x17)).events).toEqual([]);
		expect(pair.server.receive(Buffer.of(0xff)).events).toEqual([]);
		const {events, send} = pair.server.receive(Buffer.of(0xff));
		expect(events).toContainEqual(
			expect.objectContaining({type: 'error', code: 'record_overflow'}),
		);
		expect(events).toContainEqual(
			expect.objectContaining({type: 'alert', direction: 'sent', description: 'record_overflow'}),
		);
		expect(send).toHaveLength(1);
		expect(pair.server.state).toBe('closed');
	});

	it('any type, any length over its limit: FrameReader throws on the header with only 3 bytes buffered', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(...frameTypes),
				fc.integer({min: 1, max: 0xff_ff}),
				(type, length) => {
					const reader = new FrameReader(() => 'records');
					reader.push(Buffer.of(type, length >> 8, length & 0xff));
					if (length > MAX_FRAME_BODY[type]) expect(() => reader.next()).toThrow(/announces/);
					else expect(reader.next()).toBeUndefined();
					expect(reader.pendingBytes).toBe(3);
				},
			),
			{numRuns: 300},
		);
	});

	it('a fresh server given an oversized ClientHello header errs before any body byte', () => {
		fc.assert(
			fc.property(
				fc.integer({min: MAX_FRAME_BODY[FrameType.clientHello] + 1, max: 0xff_ff}),
				(length) => {
					const server = new ServerConnection({hostKeys});
					const {events} = server.receive(
						Buffer.of(FrameType.clientHello, length >> 8, length & 0xff),
					);
					expect(events).toContainEqual(
						expect.objectContaining({type: 'error', code: 'record_overflow'}),
					);
					expect(server.state).toBe('closed');
				},
			),
			{numRuns: 100},
		);
	});
});

describe('a genuine ClientHello, mutated', () => {
	it('valid prefix + random suffix: never throws, never opens', () => {
		const hello = framesOf(new Pair().handshake().wire, FrameType.clientHello)[0]!;
		fc.assert(
			fc.property(fc.integer({min: 0, max: hello.length}), raw, chunking, (cut, suffix, sizes) => {
				const server = new ServerConnection({hostKeys});
				const bytes = Buffer.concat([hello.subarray(0, cut), suffix]);
				expectHarmless(server, feed(server, chunks(bytes, sizes)));
			}),
			{numRuns: 300},
		);
	});

	it('bytes overwritten in flight: the server may answer, but the real client then fails bad_signature', () => {
		fc.assert(
			fc.property(
				fc.array(fc.tuple(fc.nat(), fc.integer({min: 0, max: 0xff})), {minLength: 1, maxLength: 4}),
				(writes) => {
					const client = new ClientConnection();
					const [hello] = client.start().send;
					const mutated = Buffer.from(hello!);
					for (const [position, value] of writes) mutated[position % mutated.length] = value;
					fc.pre(!mutated.equals(hello!));

					const server = new ServerConnection({hostKeys});
					const answer = server.receive(mutated);
					expectHarmless(server, answer.events);
					const events = answer.send.flatMap((bytes) => client.receive(bytes).events);
					expectHarmless(client, events);
					if (answer.send.some((bytes) => bytes[0] === FrameType.serverHello)) {
						expect(['bad_signature', 'decode_error']).toContain(client.error?.code);
					}
				},
			),
			{numRuns: 200},
		);
	});
});

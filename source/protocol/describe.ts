/**
 * Turns handshake messages into `message` events: the original design's step names, what the step
 * is for, and every public field in short and full form. Only public values are described here.
 */
import {formatSuiteId, suiteById, type Suite} from '../crypto/suites.js';
import type {ClientFinished, ClientHello, ServerHello} from './codec.js';
import {fullHex, shortHex, type EventOf, type MessageField, type Role} from './events.js';

type MessageEvent = EventOf<'message'>;

function field(name: string, bytes: Uint8Array, note?: string): MessageField {
	return {
		name,
		short: bytes.length === 0 ? '(empty)' : `${shortHex(bytes, 6)} (${bytes.length} B)`,
		full: bytes.length === 0 ? '(empty)' : fullHex(bytes),
		...(note ? {note} : {}),
	};
}

function text(name: string, value: string, note?: string): MessageField {
	return {name, short: value, full: value, ...(note ? {note} : {})};
}

function suiteName(id: number): string {
	return suiteById(id)?.name ?? `unknown ${formatSuiteId(id)}`;
}

export function describeClientHello(
	role: Role,
	direction: 'sent' | 'received',
	hello: ClientHello,
	size: number,
	insecure: boolean,
): MessageEvent {
	return {
		type: 'message',
		role,
		direction,
		flow: 'A→B',
		message: 'ClientHello',
		steps: ['hello', 'prove it'],
		purpose: 'Alice greets Bob, offers suites, and sends a fresh random challenge Bob must sign',
		size,
		insecure,
		fields: [
			text('version', `0x${hello.version.toString(16).padStart(4, '0')}`, 'protocol version'),
			field(
				'client_random',
				hello.clientRandom,
				'the fresh challenge ("prove it"): makes every signature unique',
			),
			text(
				'suites',
				hello.suites.map((id) => suiteName(id)).join(', '),
				'offered suites, most preferred first',
			),
			field(
				'key_share',
				hello.keyShare,
				"Alice's ephemeral X25519 public key (empty if no X25519 suite offered)",
			),
		],
	};
}

export function describeServerHello(
	role: Role,
	direction: 'sent' | 'received',
	hello: ServerHello,
	size: number,
	suite: Suite | undefined,
): MessageEvent {
	return {
		type: 'message',
		role,
		direction,
		flow: 'B→A',
		message: 'ServerHello',
		steps: ["Hi, I'm Bob", 'Alice, this is Bob'],
		purpose:
			'Bob picks a suite, shows his host key and signs the transcript, proving he holds the key now',
		size,
		insecure: suite?.insecure ?? false,
		fields: [
			text('version', `0x${hello.version.toString(16).padStart(4, '0')}`, 'protocol version'),
			field(
				'server_random',
				hello.serverRandom,
				"Bob's fresh random: keys differ in every session",
			),
			text('suite', suiteName(hello.suite), "the first of Alice's offers that Bob allows"),
			field(
				'key_share',
				hello.keyShare,
				"Bob's ephemeral X25519 public key (empty in key-transport suites)",
			),
			field(
				'host_key',
				hello.hostKey,
				'Bob\'s long-term public key ("Hi, I\'m Bob"): check its fingerprint',
			),
			field(
				'signature',
				hello.signature,
				'"Alice, this is Bob": host-key signature over the transcript hash',
			),
			field(
				'finished',
				hello.finished,
				'HMAC proving Bob derived the same handshake keys (X25519 suites)',
			),
		],
	};
}

export function describeClientFinished(
	role: Role,
	direction: 'sent' | 'received',
	message: ClientFinished,
	size: number,
	suite: Suite,
): MessageEvent {
	return {
		type: 'message',
		role,
		direction,
		flow: 'A→B',
		message: 'ClientFinished',
		steps: ['here is a secret'],
		purpose:
			suite.keyExchange === 'x25519'
				? 'Alice proves she holds the Diffie-Hellman secret; the secret itself never crosses the wire'
				: "Alice sends a fresh secret encrypted to Bob's host key, and proves she holds it",
		size,
		insecure: suite.insecure,
		fields: [
			field(
				'encrypted_secret',
				message.encryptedSecret,
				"the secret under Bob's public key (key-transport suites only)",
			),
			field('finished', message.finished, "HMAC of the transcript under Alice's Finished key"),
		],
	};
}

export function describeServerFinished(
	role: Role,
	direction: 'sent' | 'received',
	finished: Uint8Array,
	size: number,
	suite: Suite,
): MessageEvent {
	return {
		type: 'message',
		role,
		direction,
		flow: 'B→A',
		message: 'ServerFinished',
		steps: ['ok Bob'],
		purpose: "Bob proves he could decrypt Alice's secret: only the host key's holder can",
		size,
		insecure: suite.insecure,
		fields: [field('finished', finished, "HMAC of the transcript under Bob's Finished key")],
	};
}

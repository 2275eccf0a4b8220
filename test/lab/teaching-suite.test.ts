/**
 * The INSECURE teaching suite 0x7f01 (source/protocol/teaching-suite.ts) completes a handshake only
 * when both ends opt in (PROTOCOL.md 4.2): a client with allowInsecure offering it and a server with
 * allowInsecure and a textbook RSA host key. A server that does not allow it finds no common suite;
 * a client without allowInsecure cannot even offer it.
 */
import {describe, expect, it} from 'vitest';
import {SUITE_X25519_ED25519_CHACHA20_POLY1305_SHA256} from '../../source/crypto/suites.js';
import {textbookRsa} from '../../source/crypto/teaching/index.js';
import {ClientConnection} from '../../source/protocol/client-handshake.js';
import {ServerConnection} from '../../source/protocol/server-handshake.js';
import {
	SUITE_TEACHING_TEXTBOOK_RSA_SHA1_SDES as TEACHING,
	TEACHING_MODULUS_BITS,
	teachingLocalHostKey,
} from '../../source/protocol/teaching-suite.js';
import {Pair} from '../helpers/pair.js';

const teachingKey = teachingLocalHostKey(textbookRsa.generateKeyPair(TEACHING_MODULUS_BITS));

function teachingPair(): Pair {
	return new Pair({
		client: {suites: [TEACHING], allowInsecure: true},
		server: {hostKeys: [teachingKey], suites: [TEACHING], allowInsecure: true},
	}).handshake();
}

describe('teaching suite 0x7f01: both sides must opt in', () => {
	it('opens when the client and the server both allow it, and carries data', () => {
		const pair = teachingPair();
		expect(pair.completed('client')).toBe(true);
		expect(pair.completed('server')).toBe(true);
		expect(pair.client.state).toBe('open');
		expect(pair.client.suite?.id).toBe(TEACHING);
		const complete = pair.events('client', 'handshake-complete')[0];
		expect(complete).toMatchObject({insecure: true, forwardSecrecy: false});
		pair.sendApplicationData('client', 'hello over S-DES');
		expect(pair.received('server')).toEqual(['hello over S-DES']);
	});

	it('every client event of the session says insecure: true', () => {
		const pair = teachingPair();
		expect(pair.clientEvents.length).toBeGreaterThan(10);
		expect(pair.clientEvents.filter((event) => event.insecure !== true)).toEqual([]);
	});

	it('an empty record (no IV byte) is bad_record_mac, not an internal error', () => {
		const pair = teachingPair();
		pair.serverOutput(pair.server.receive(Buffer.from([0x17, 0x00, 0x00])));
		expect(pair.errorCodes('server')).toEqual(['bad_record_mac']);
	});

	it('a server that does not allow it finds no common suite', () => {
		const pair = new Pair({client: {suites: [TEACHING], allowInsecure: true}}).handshake();
		expect(pair.completed('client')).toBe(false);
		expect(pair.completed('server')).toBe(false);
		expect(pair.errorCodes('server')).toEqual(['no_common_suite']);
		expect(pair.alerts('client', 'received')[0]).toMatchObject({description: 'handshake_failure'});
	});

	it('a client without allowInsecure cannot offer it (RangeError)', () => {
		expect(() => new ClientConnection({suites: [TEACHING]})).toThrow(RangeError);
		expect(
			() =>
				new ClientConnection({suites: [SUITE_X25519_ED25519_CHACHA20_POLY1305_SHA256, TEACHING]}),
		).toThrow(/INSECURE/);
	});

	it('a server without allowInsecure cannot allow it (RangeError)', () => {
		expect(() => new ServerConnection({hostKeys: [teachingKey], suites: [TEACHING]})).toThrow(
			RangeError,
		);
	});
});

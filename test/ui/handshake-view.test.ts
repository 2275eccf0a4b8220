import {describe, expect, it} from 'vitest';
import {DEFAULT_SUITE_IDS, suiteById} from '../../source/crypto/suites.js';
import type {ProtocolEvent} from '../../source/protocol/events.js';
import {
	handshakeViewReducer,
	initialHandshakeView,
	MAX_LOG_ENTRIES,
	reduceHandshakeEvents,
} from '../../source/ui/handshake-view.js';
import {clientScreen, initialClientSession} from '../../source/ui/client-session.js';
import {realEvents} from './helpers.js';

describe('handshakeViewReducer over real handshakes', () => {
	for (const id of DEFAULT_SUITE_IDS) {
		const suite = suiteById(id)!;
		it(`client side, ${suite.name}`, () => {
			const {client} = realEvents(id);
			const view = reduceHandshakeEvents(client, 1_700_000_000_000);
			expect(view.state).toBe('secure');
			expect(view.complete).toBe(true);
			expect(view.role).toBe('client');
			expect(view.suite?.name).toBe(suite.name);
			expect(view.suite?.forwardSecrecy).toBe(suite.forwardSecrecy);
			expect(view.hostKey?.fingerprint).toMatch(/^SHA256:/u);
			expect(view.checks.failed).toBe(0);
			expect(view.checks.passed).toBeGreaterThan(2);
			expect(view.failure).toBeUndefined();
			expect(view.transcripts.length).toBeGreaterThan(0);
			expect(view.keys.map((key) => key.name)).toContain('client application traffic secret');
			// Every event the log lists has an entry, stamped with the time it was reduced.
			expect(view.entries.length).toBe(
				client.filter((event) => event.type !== 'application-data').length,
			);
			expect(view.entries.every((entry) => entry.at === 1_700_000_000_000)).toBe(true);
			const messages = view.entries
				.filter((entry) => entry.event.type === 'message')
				.map((entry) => entry.text);
			expect(messages[0]).toContain('A→B “hello” + “prove it” ClientHello');
			expect(messages[1]).toContain("B→A “Hi, I'm Bob” + “Alice, this is Bob” ServerHello");
			if (suite.keyExchange === 'x25519') {
				expect(view.ephemeralKeys.client).toMatch(/^[\da-f]{64}$/u);
				expect(view.ephemeralKeys.server).toMatch(/^[\da-f]{64}$/u);
			} else {
				expect(view.ephemeralKeys).toEqual({});
				expect(messages.at(-1)).toContain('“ok Bob” ServerFinished');
			}
		});

		it(`server side, ${suite.name}`, () => {
			const {server} = realEvents(id);
			const view = reduceHandshakeEvents(server);
			expect(view.role).toBe('server');
			expect(view.state).toBe('secure');
			expect(view.suite?.name).toBe(suite.name);
			expect(view.entries[0]?.text).toContain('A→B');
			expect(view.entries[0]?.at).toBeUndefined();
		});
	}

	it('keeps secrets only when the events carry them', () => {
		const shown = reduceHandshakeEvents(realEvents(1, true).client);
		const hidden = reduceHandshakeEvents(realEvents(1, false).client);
		expect(shown.keys.every((key) => /^[\da-f]+$/u.test(key.secret ?? ''))).toBe(true);
		expect(hidden.keys.some((key) => key.secret !== undefined)).toBe(false);
	});
});

describe('handshakeViewReducer states and failures', () => {
	const error: ProtocolEvent = {
		type: 'error',
		role: 'client',
		code: 'bad_signature',
		stage: 'ServerHello',
		message: 'handshake stage 2 (ServerHello): bad signature',
	};

	it('an error closes the connection and is the failure shown', () => {
		const view = reduceHandshakeEvents([
			{type: 'connection', role: 'client', state: 'connecting', peer: '127.0.0.1:6001'},
			{type: 'connection', role: 'client', state: 'connected', peer: '127.0.0.1:6001'},
			error,
			{type: 'closed', role: 'client', reason: 'bad signature'},
		]);
		expect(view.peer).toBe('127.0.0.1:6001');
		expect(view.state).toBe('closed');
		expect(view.failure).toEqual({kind: 'error', message: error.message, code: 'bad_signature'});
		expect(clientScreen(view, initialClientSession)).toEqual({
			kind: 'failed',
			message: error.message,
			exitCode: 5,
		});
	});

	it('trust-needed waits, a changed key refuses with exit code 3', () => {
		const waiting = reduceHandshakeEvents([
			{type: 'trust-needed', role: 'client', keyType: 'ed25519', fingerprint: 'SHA256:x'},
		]);
		expect(waiting.state).toBe('awaiting trust');
		const changed = handshakeViewReducer(waiting, {
			type: 'trust',
			role: 'client',
			host: '127.0.0.1:6001',
			status: 'changed',
			keyType: 'ed25519',
			fingerprint: 'SHA256:new',
			knownFingerprint: 'SHA256:old',
			knownHostsFile: '/home/a/known_hosts',
			knownHostsLine: 3,
			detail: 'differs from the remembered key',
		});
		expect(changed.state).toBe('closed');
		expect(changed.trust?.knownHostsLine).toBe(3);
		expect(clientScreen(changed, initialClientSession)).toEqual({kind: 'changed-key'});
	});

	it('a close_notify alert is not a failure, another alert is', () => {
		const quiet = reduceHandshakeEvents([
			{
				type: 'alert',
				role: 'client',
				direction: 'received',
				code: 0,
				description: 'close_notify',
				reason: 'bye',
			},
		]);
		expect(quiet.failure).toBeUndefined();
		const loud = reduceHandshakeEvents([
			{
				type: 'alert',
				role: 'client',
				direction: 'received',
				code: 51,
				description: 'decrypt_error',
				reason: 'bad mac',
			},
		]);
		expect(loud.failure?.message).toBe('the peer sent alert decrypt_error: bad mac');
	});

	it('application data is never listed (it carries passwords), records are', () => {
		const view = reduceHandshakeEvents([
			{
				type: 'application-data',
				role: 'client',
				data: new TextEncoder().encode('{"password":"hunter2"}'),
			},
			{
				type: 'record',
				role: 'client',
				direction: 'sent',
				sequence: 7n,
				contentType: 'application_data',
				size: 57,
			},
		]);
		expect(view.entries.map((entry) => entry.text)).toEqual(['→ record #7 application_data 57 B']);
	});

	it('keeps at most MAX_LOG_ENTRIES entries', () => {
		let view = initialHandshakeView;
		for (let index = 0; index < MAX_LOG_ENTRIES + 5; index++) {
			view = handshakeViewReducer(view, {type: 'keepalive', role: 'client', direction: 'sent'});
		}

		expect(view.entries.length).toBe(MAX_LOG_ENTRIES);
		expect(view.entries[0]?.id).toBe(5);
	});
});

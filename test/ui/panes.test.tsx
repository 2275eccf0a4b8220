import {render, cleanup} from 'ink-testing-library';
import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {DEFAULT_SUITE_IDS, suiteById} from '../../source/crypto/suites.js';
import {ConnectionHeader} from '../../source/ui/connection-header.js';
import {HandshakeLog} from '../../source/ui/handshake-log.js';
import {reduceHandshakeEvents} from '../../source/ui/handshake-view.js';
import {KeyDetails} from '../../source/ui/key-details.js';
import {initialLogCursor} from '../../source/ui/log-cursor.js';
import {ChangedKeyWarning} from '../../source/ui/changed-key-warning.js';
import {plain, realEvents} from './helpers.js';

afterEach(() => {
	cleanup();
});

function widest(frame: string): number {
	return Math.max(...frame.split('\n').map((line) => [...line].length));
}

describe('every pane renders from events alone', () => {
	for (const id of DEFAULT_SUITE_IDS) {
		const suite = suiteById(id)!;
		const view = reduceHandshakeEvents(realEvents(id).client, Date.UTC(2025, 0, 1, 12, 0, 0, 123));

		it(`header, ${suite.name}`, () => {
			const frame = plain(
				render(<ConnectionHeader target="bank.example:6001" view={view} width={100} />),
			);
			expect(frame).toContain('bank.example:6001');
			expect(frame).toContain('secure');
			expect(frame).toContain(`suite ${suite.name}`);
			expect(frame).toContain(`forward secrecy ${suite.forwardSecrecy ? 'yes' : 'no'}`);
			expect(frame).not.toContain('INSECURE');
		});

		it(`handshake log, ${suite.name}`, () => {
			const frame = plain(
				render(
					<HandshakeLog
						isFocused
						title="Handshake log"
						entries={view.entries}
						cursor={{...initialLogCursor, selected: 0}}
						width={100}
						height={40}
						showSecrets={false}
					/>,
				),
			);
			expect(frame).toMatch(
				/\d\d:\d\d:\d\d\.\d{3} A→B “hello” \+ “prove it” ClientHello \d+ B · version=0x0001/u,
			);
			expect(frame).toContain("B→A “Hi, I'm Bob” + “Alice, this is Bob” ServerHello");
			expect(frame).toContain('“here is a secret” ClientFinished');
			expect(frame).toContain('✓ host key signature over transcript');
			expect(frame).toContain(`✓ secure channel: ${suite.name}`);
			if (id === 3) expect(frame).toContain('“ok Bob” ServerFinished');
			expect(frame).not.toContain('✗');
			expect(widest(frame)).toBeLessThanOrEqual(100);
		});

		it(`key details, ${suite.name}`, () => {
			const frame = plain(
				render(
					<KeyDetails
						view={view}
						width={100}
						height={60}
						top={0}
						isFocused={false}
						showSecrets={false}
					/>,
				),
			);
			expect(frame).toContain(`Suite ${suite.name}`);
			expect(frame).toContain(`key exchange: ${suite.parts.keyExchange.slice(0, 40)}`);
			expect(frame).toContain(`Host key ${suite.hostKey}`);
			expect(frame).toContain(view.hostKey!.fingerprint);
			expect(frame).toContain(`Transcript hash [${view.transcripts[0]!.label}]`);
			expect(frame).toContain(view.transcripts[0]!.hash);
			expect(frame).toContain('Derived keys (fingerprints)');
			expect(frame).toContain(view.keys[0]!.fingerprint);
			expect(frame).not.toMatch(/secret [\da-f]{64}/u);
			if (suite.keyExchange === 'x25519') {
				expect(frame).toContain(`client ${view.ephemeralKeys.client!}`);
			} else {
				expect(frame).not.toContain('Ephemeral public keys');
			}
		});
	}

	it('key details show raw secrets only with --show-secrets and only when the events carry them', () => {
		const view = reduceHandshakeEvents(realEvents(1, true).client);
		const secret = view.keys.find((key) => key.name === 'handshake secret')!.secret!;
		const shown = plain(
			render(
				<KeyDetails showSecrets view={view} width={100} height={60} top={0} isFocused={false} />,
			),
		);
		expect(shown).toContain(`secret ${secret}`);
		const hidden = plain(
			render(
				<KeyDetails
					view={view}
					width={100}
					height={60}
					top={0}
					isFocused={false}
					showSecrets={false}
				/>,
			),
		);
		expect(hidden).not.toContain(secret);
	});

	it('key details show the trust status from trust events', () => {
		const view = reduceHandshakeEvents([
			...realEvents(1).client,
			{
				type: 'trust',
				role: 'client',
				host: 'h:1',
				status: 'pinned',
				keyType: 'ed25519',
				fingerprint: 'SHA256:x',
				detail: 'matches --fingerprint',
			},
		]);
		const frame = plain(
			render(
				<KeyDetails
					view={view}
					width={100}
					height={60}
					top={0}
					isFocused={false}
					showSecrets={false}
				/>,
			),
		);
		expect(frame).toContain('trust: pinned · matches --fingerprint');
	});

	it('an insecure suite is badged in the header', () => {
		const base = reduceHandshakeEvents(realEvents(1).client);
		const view = {
			...base,
			suite: {
				...base.suite!,
				name: 'TEACHING_TEXTBOOK_RSA_SHA1_SDES',
				insecure: true,
				forwardSecrecy: false,
			},
		};
		const frame = plain(render(<ConnectionHeader target="h:1" view={view} width={100} />));
		expect(frame).toContain('forward secrecy no INSECURE');
	});

	it('the changed-key warning names both fingerprints and the known_hosts line', () => {
		const frame = plain(
			render(
				<ChangedKeyWarning
					trust={{
						host: '127.0.0.1:6001',
						status: 'changed',
						keyType: 'ed25519',
						fingerprint: 'SHA256:NEWNEWNEW',
						knownFingerprint: 'SHA256:OLDOLDOLD',
						knownHostsFile: '/home/alice/.local/share/securebank/known_hosts',
						knownHostsLine: 7,
						detail: 'differs',
					}}
					width={100}
					height={28}
				/>,
			),
		);
		expect(frame).toContain('WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!');
		expect(frame).toContain('SHA256:NEWNEWNEW');
		expect(frame).toContain('SHA256:OLDOLDOLD');
		expect(frame).toContain('Offending key in /home/alice/.local/share/securebank/known_hosts:7');
	});
});

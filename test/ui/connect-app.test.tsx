import {cleanup, render} from 'ink-testing-library';
import React from 'react';
import {afterEach, describe, expect, it, vi} from 'vitest';
import type {ProtocolEvent} from '../../source/protocol/events.js';
import {ConnectApp} from '../../source/ui/index.js';
import {
	FakeBank,
	fakeHandle,
	keys,
	plain,
	press,
	realEvents,
	scriptedStart,
	type,
	waitFor,
	type StartScript,
} from './helpers.js';

afterEach(() => {
	cleanup();
});

function renderConnect(script: StartScript, showSecrets = false) {
	const recorder = scriptedStart(script);
	const onExit = vi.fn<(code: number) => void>();
	const app = render(
		<ConnectApp
			target="127.0.0.1:6001"
			start={recorder.start}
			showSecrets={showSecrets}
			onExit={onExit}
		/>,
	);
	return {app, onExit, recorder};
}

describe('ConnectApp: the handshake log', () => {
	it('calls start once and logs every event as it happens', async () => {
		const events = realEvents(1).client;
		const {app, recorder} = renderConnect({events, result: 'pending'});
		const frame = await waitFor(app, '✓ secure channel');
		expect(recorder.calls).toBe(1);
		expect(frame).toContain('Handshake log · 23/23');
		expect(frame).toContain('securebank → 127.0.0.1:6001 · secure');
	});

	it('arrows select an entry, Enter expands it in full, Escape collapses it', async () => {
		const events = realEvents(1).client;
		const hello = events.find(
			(event): event is Extract<ProtocolEvent, {type: 'message'}> => event.type === 'message',
		)!;
		const random = hello.fields.find((field) => field.name === 'client_random')!;
		expect(random.full).toMatch(/^[\da-f]{64}$/u);
		const {app} = renderConnect({events, result: 'pending'});
		await waitFor(app, '✓ secure channel');
		expect(plain(app)).not.toContain(random.full);
		// The ClientHello is the second entry (after Alice's ephemeral key).
		await press(app, keys.home, keys.down);
		expect(plain(app)).toMatch(/›\d\d:\d\d:\d\d\.\d{3} A→B “hello” \+ “prove it” ClientHello/u);
		await press(app, keys.enter);
		const expanded = await waitFor(app, 'entry 2/23 (expanded)');
		expect(expanded).toContain(random.full);
		expect(expanded).toContain(`purpose: ${hello.purpose}`);
		expect(expanded).toContain('client_random — the fresh challenge');
		await press(app, keys.escape);
		const collapsed = await waitFor(app, 'Handshake log · 2/23');
		expect(collapsed).not.toContain(random.full);
		// Enter toggles too.
		await press(app, keys.enter);
		await waitFor(app, '(expanded)');
		await press(app, keys.enter);
		await waitFor(app, 'Handshake log · 2/23');
	});

	it('a long log scrolls to keep the selection visible', async () => {
		const records: ProtocolEvent[] = Array.from({length: 80}, (_, index) => ({
			type: 'record',
			role: 'client',
			direction: index % 2 === 0 ? 'sent' : 'received',
			sequence: BigInt(index),
			contentType: 'application_data',
			size: 100 + index,
		}));
		const {app} = renderConnect({events: records, result: 'pending'});
		const following = await waitFor(app, 'Handshake log · 80/80');
		expect(following).toContain('record #79 ');
		expect(following).not.toContain('record #0 ');
		await press(app, keys.home);
		const top = await waitFor(app, 'Handshake log · 1/80');
		expect(top).toContain('›');
		expect(top).toMatch(/›\S+ → record #0 /u);
		expect(top).not.toContain('record #79 ');
		for (let step = 0; step < 40; step++) {
			await press(app, keys.down);
		}

		const middle = await waitFor(app, 'Handshake log · 41/80');
		expect(middle).toMatch(/›\S+ → record #40 /u);
		await press(app, keys.end);
		await waitFor(app, 'Handshake log · 80/80');
	});
});

describe('ConnectApp: first contact', () => {
	const unknownHost = {
		host: '127.0.0.1:6001',
		keyType: 'ed25519',
		fingerprint: 'SHA256:BO4zbx51NLlmR+bH8obOSiT9E20pqq/xpUZRJ11pC5o',
		knownHostsFile: '/home/alice/.local/share/securebank/known_hosts',
	};

	it('asks as OpenSSH does; yes resolves true and the bank opens', async () => {
		const bank = new FakeBank();
		const {app, recorder} = renderConnect({unknownHost, result: fakeHandle(bank)});
		const frame = await waitFor(app, 'Trust this host and remember it? (yes/no)');
		expect(frame).toContain("The authenticity of host '127.0.0.1:6001' can't be established.");
		expect(frame).toContain(`ED25519 key fingerprint is ${unknownHost.fingerprint}.`);
		await type(app, 'yes');
		await press(app, keys.enter);
		await waitFor(app, 'Log in to 127.0.0.1:6001');
		expect(recorder.decisions).toEqual([true]);
	});

	it('no resolves false: the refusal is shown and q exits with 3', async () => {
		const {app, recorder, onExit} = renderConnect({
			unknownHost,
			result: fakeHandle(new FakeBank()),
		});
		await waitFor(app, '(yes/no)');
		await type(app, 'no');
		await press(app, keys.enter);
		const frame = await waitFor(app, 'Connection failed');
		expect(recorder.decisions).toEqual([false]);
		expect(frame).toContain('host key for 127.0.0.1:6001 was not accepted');
		expect(frame).toContain('Press q to quit (exit code 3)');
		await press(app, 'q');
		expect(onExit).toHaveBeenCalledWith(3);
	});

	it('y and n answer too; anything else asks again', async () => {
		const {app, recorder} = renderConnect({unknownHost, result: fakeHandle(new FakeBank())});
		await waitFor(app, '(yes/no)');
		await type(app, 'maybe');
		await press(app, keys.enter);
		await waitFor(app, "Please type 'yes' or 'no'.");
		expect(recorder.decisions).toEqual([]);
		await type(app, 'n');
		await press(app, keys.enter);
		await waitFor(app, 'Connection failed');
		expect(recorder.decisions).toEqual([false]);
	});

	it('a pasted "yes⏎" (one read, as tmux may send it) answers too', async () => {
		const {app, recorder} = renderConnect({unknownHost, result: fakeHandle(new FakeBank())});
		await waitFor(app, '(yes/no)');
		app.stdin.write('yes\r');
		await waitFor(app, 'Log in to');
		expect(recorder.decisions).toEqual([true]);
	});

	it('y trusts', async () => {
		const {app, recorder} = renderConnect({unknownHost, result: fakeHandle(new FakeBank())});
		await waitFor(app, '(yes/no)');
		await type(app, 'y');
		await press(app, keys.enter);
		await waitFor(app, 'Log in to');
		expect(recorder.decisions).toEqual([true]);
	});
});

describe('ConnectApp: failures', () => {
	it('a changed host key is a full-screen warning; q exits with 3', async () => {
		const changed: ProtocolEvent = {
			type: 'trust',
			role: 'client',
			host: '127.0.0.1:6001',
			status: 'changed',
			keyType: 'ed25519',
			fingerprint: 'SHA256:NEWxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
			knownFingerprint: 'SHA256:OLDyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy',
			knownHostsFile: '/home/alice/.local/share/securebank/known_hosts',
			knownHostsLine: 4,
			detail: 'the key differs from the one remembered',
		};
		const error = Object.assign(new Error('host key for 127.0.0.1:6001 has changed'), {
			code: 'host_key_rejected',
		});
		const events = realEvents(1).client.filter((event) => event.type !== 'handshake-complete');
		const {app, onExit} = renderConnect({events: [...events.slice(0, 10), changed], result: error});
		const frame = await waitFor(app, 'REMOTE HOST IDENTIFICATION HAS CHANGED!');
		expect(frame).toContain('SHA256:NEWxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx');
		expect(frame).toContain('SHA256:OLDyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy');
		expect(frame).toContain('/home/alice/.local/share/securebank/known_hosts:4');
		expect(frame).toContain('q quit');
		expect(frame).not.toContain('Handshake log');
		await press(app, 'q');
		expect(onExit).toHaveBeenCalledTimes(1);
		expect(onExit).toHaveBeenCalledWith(3);
	});

	it('start() rejecting shows the message, never a stack trace; q exits with 5', async () => {
		const {app, onExit} = renderConnect({result: new Error('connect ECONNREFUSED 127.0.0.1:6001')});
		const frame = await waitFor(app, 'Connection failed');
		expect(frame).toContain('connect ECONNREFUSED 127.0.0.1:6001');
		expect(frame).not.toMatch(/\bat .+:\d+:\d+/u);
		expect(frame).toContain('q quit');
		await press(app, 'x');
		expect(onExit).not.toHaveBeenCalled();
		await press(app, 'q');
		expect(onExit).toHaveBeenCalledWith(5);
	});

	it('an error event names the failed check and stage', async () => {
		const events: ProtocolEvent[] = [
			...realEvents(1).client.slice(0, 3),
			{
				type: 'check',
				role: 'client',
				stage: 'ServerHello',
				check: 'host key signature over transcript',
				ok: false,
				detail: 'signature does not verify',
			},
			{
				type: 'error',
				role: 'client',
				code: 'bad_signature',
				stage: 'ServerHello',
				message: 'handshake stage 2 (ServerHello): bad signature',
			},
			{type: 'closed', role: 'client', reason: 'bad signature'},
		];
		const {app, onExit} = renderConnect({events, result: 'pending'});
		const frame = await waitFor(app, 'Connection failed');
		expect(frame).toContain('handshake stage 2 (ServerHello): bad signature');
		expect(frame).toContain('✗ host key signature over transcript:');
		expect(frame).toContain('closed');
		await press(app, 'q');
		expect(onExit).toHaveBeenCalledWith(5);
	});

	it('losing the connection while banking is shown; q exits with 5', async () => {
		const handle = fakeHandle(new FakeBank());
		const {app, onExit} = renderConnect({events: realEvents(2).client, result: handle});
		await waitFor(app, 'Log in to');
		handle.end('server went away');
		const frame = await waitFor(app, 'Connection failed');
		expect(frame).toContain('connection closed: server went away');
		await press(app, 'q');
		expect(onExit).toHaveBeenCalledWith(5);
	});
});

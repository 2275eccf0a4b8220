import {cleanup, render} from 'ink-testing-library';
import React from 'react';
import {afterEach, describe, expect, it, vi} from 'vitest';
import type {ClientConnectionHandle} from '../../source/net/api.js';
import {DemoApp, TerminalSize} from '../../source/ui/index.js';
import type {StartHooks} from '../../source/ui/use-client-session.js';
import {
	delay,
	FakeBank,
	FakeController,
	fakeHandle,
	keys,
	plain,
	press,
	realEvents,
	type,
	waitFor,
} from './helpers.js';

afterEach(() => {
	cleanup();
});

/** A start() that plays one real handshake: the client's events to the UI, the server's to the controller. */
function demoStart(controller: FakeController, bank: FakeBank) {
	const handle = fakeHandle(bank);
	const start = async (hooks: StartHooks): Promise<ClientConnectionHandle> => {
		await delay(1);
		const {client, server} = realEvents(2);
		controller.connection(1, '127.0.0.1:50123', server);
		for (const event of client) hooks.onEvent(event);
		return handle;
	};

	return {start, handle};
}

describe('DemoApp', () => {
	it("shows Alice's and Bob's handshake logs side by side, and banks in the client", async () => {
		const controller = new FakeController();
		const bank = new FakeBank();
		const {start, handle} = demoStart(controller, bank);
		const onExit = vi.fn<(code: number) => void>();
		const app = render(<DemoApp controller={controller} start={start} onExit={onExit} />);
		const frame = await waitFor(app, 'Log in to 127.0.0.1:6001');
		const titles = frame.split('\n').find((line) => line.includes('Alice (client)'));
		expect(titles).toContain('Bob (server) #1');
		expect(frame).toContain('demo: client → 127.0.0.1:6001 · secure');
		expect(frame).toContain(
			'server 127.0.0.1:6001 · #1 secure · connections 1 (1 open) · handshakes ok 1 / failed 0',
		);
		const lines = frame.split('\n');
		// The server's log received what the client's log sent, on the same row's other half.
		expect(lines.some((line) => /│ .*✓ secure channel.*│ .*✓ secure channel/u.test(line))).toBe(
			true,
		);
		for (const line of lines) expect([...line].length).toBeLessThanOrEqual(100);

		await type(app, 'alice');
		await press(app, keys.enter);
		await type(app, 'correct horse');
		await press(app, keys.enter);
		await waitFor(app, 'Bank · alice · balance 100.00');
		await press(app, '1');
		await type(app, '5');
		await press(app, keys.enter);
		await waitFor(app, '✓ Deposited 5.00 · balance 105.00');

		await press(app, '4');
		await vi.waitFor(() => {
			expect(onExit).toHaveBeenCalledWith(0);
		});
		expect(bank.callsOf('logout')).toHaveLength(1);
		expect(handle.closeCalls).toBe(1);
		expect(controller.stopCalls).toBe(1);
	});

	it("Tab moves to Bob's log, whose entries expand in full", async () => {
		const controller = new FakeController();
		const {start} = demoStart(controller, new FakeBank());
		const app = render(
			<DemoApp controller={controller} start={start} onExit={vi.fn<(code: number) => void>()} />,
		);
		await waitFor(app, 'Log in to');
		// Login fields, then Alice's log, then Bob's.
		await press(app, keys.tab, keys.tab, keys.tab);
		expect(plain(app)).toContain('▸ Bob (server) #1');
		await press(app, keys.home, keys.enter);
		const expanded = await waitFor(app, 'Bob (server) #1 · entry 1/');
		expect(expanded).toContain('purpose: Alice greets Bob');
		expect(expanded).not.toContain('Alice (client)');
	});

	it("k swaps Bob's log for Alice's key details, and back", async () => {
		const controller = new FakeController();
		const {start} = demoStart(controller, new FakeBank());
		const app = render(
			<DemoApp controller={controller} start={start} onExit={vi.fn<(code: number) => void>()} />,
		);
		await waitFor(app, 'Log in to');
		// Typed into the login form, k is a letter of the name, not a command.
		await type(app, 'k');
		expect(plain(app)).toContain('Bob (server) #1');
		await press(app, keys.tab, keys.tab);
		expect(plain(app)).toContain("k key details / Bob's log");
		await press(app, 'k');
		const withKeys = await waitFor(app, 'Key details');
		expect(withKeys).toMatch(/│ Suite X25519_ED25519_\w+ +│/u);
		expect(withKeys).not.toContain('Bob (server)');
		// The key details take Bob's place in the Tab order, and scroll.
		await press(app, keys.tab);
		expect(plain(app)).toContain('▸ Key details');
		await press(app, keys.down);
		await press(app, 'k');
		const back = await waitFor(app, 'Bob (server) #1');
		expect(back).not.toContain('Key details');
	});

	it('stacks the logs below 100 columns', async () => {
		const controller = new FakeController();
		const {start} = demoStart(controller, new FakeBank());
		const app = render(
			<TerminalSize columns={80}>
				<DemoApp controller={controller} start={start} onExit={vi.fn<(code: number) => void>()} />
			</TerminalSize>,
		);
		const frame = await waitFor(app, 'Log in to');
		const lines = frame.split('\n');
		const alice = lines.findIndex((line) => line.includes('Alice (client)'));
		const bob = lines.findIndex((line) => line.includes('Bob (server)'));
		expect(alice).toBeGreaterThan(-1);
		expect(bob).toBeGreaterThan(alice);
		for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
	});
});

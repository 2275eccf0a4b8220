import {cleanup, render} from 'ink-testing-library';
import React from 'react';
import {afterEach, describe, expect, it, vi} from 'vitest';
import type {ServerActivity} from '../../source/net/api.js';
import {reduceServerActivity} from '../../source/ui/server-view.js';
import {ServeApp} from '../../source/ui/index.js';
import {
	FakeController,
	keys,
	ledger,
	plain,
	press,
	realEvents,
	settle,
	suiteName,
	waitFor,
} from './helpers.js';

afterEach(() => {
	cleanup();
});

function failedHandshake(): ServerActivity[] {
	return [
		{
			type: 'connection-event',
			connectionId: 3,
			peer: '10.0.0.9:40000',
			event: {type: 'connection', role: 'server', state: 'connected', peer: '10.0.0.9:40000'},
		},
		{
			type: 'connection-event',
			connectionId: 3,
			peer: '10.0.0.9:40000',
			event: {
				type: 'error',
				role: 'server',
				code: 'no_common_suite',
				stage: 'ClientHello',
				message: 'handshake stage 1 (ClientHello): no common suite',
			},
		},
		{
			type: 'connection-event',
			connectionId: 3,
			peer: '10.0.0.9:40000',
			event: {type: 'closed', role: 'server', reason: 'no common suite'},
		},
	];
}

function populate(controller: FakeController): void {
	controller.connection(1, '127.0.0.1:50001', realEvents(1).server);
	controller.emit({type: 'session-update', connectionId: 1, account: 'alice', operations: 2});
	controller.emit(
		ledger({
			connectionId: 1,
			account: 'alice',
			kind: 'deposit',
			amountCents: 1234,
			balanceAfterCents: 11_234,
		}),
	);
	controller.emit(
		ledger({
			connectionId: 1,
			account: 'alice',
			kind: 'withdraw',
			amountCents: 99_999,
			ok: false,
			detail: 'insufficient funds',
		}),
	);
	controller.connection(2, '127.0.0.1:50002', realEvents(3).server);
	for (const activity of failedHandshake()) controller.emit(activity);
}

describe('serverViewReducer (pure)', () => {
	it('counts connections, handshakes and operations', () => {
		const activities: ServerActivity[] = [
			...realEvents(1).server.map((event): ServerActivity => ({
				type: 'connection-event',
				connectionId: 1,
				peer: 'a:1',
				event,
			})),
			{type: 'session-update', connectionId: 1, account: 'alice', operations: 1},
			{type: 'session-update', connectionId: 1, account: 'alice', operations: 3},
			...realEvents(2).server.map((event): ServerActivity => ({
				type: 'connection-event',
				connectionId: 2,
				peer: 'b:2',
				event,
			})),
			...failedHandshake(),
		];
		const view = reduceServerActivity(activities);
		expect(view.counts).toEqual({
			connections: 3,
			open: 2,
			handshakesOk: 2,
			handshakesFailed: 1,
			operations: 3,
		});
		expect(
			view.connections.map((connection) => [connection.id, connection.state, connection.account]),
		).toEqual([
			[1, 'secure', 'alice'],
			[2, 'secure', undefined],
			[3, 'failed', undefined],
		]);
		expect(view.connections[1]?.handshake.suite?.name).toBe(suiteName(2));
	});
});

describe('ServeApp', () => {
	it('shows the address, host keys, connections, counts and the ledger feed', async () => {
		const controller = new FakeController();
		const app = render(
			<ServeApp controller={controller} onExit={vi.fn<(code: number) => void>()} />,
		);
		await waitFor(app, 'no connections yet');
		expect(controller.subscribers).toBe(1);
		populate(controller);
		const frame = await waitFor(app, 'handshakes ok 2 / failed 1');
		expect(frame).toContain('securebank serve · listening on 127.0.0.1:6001');
		expect(frame).toContain(`host key ed25519 ${controller.hostKeys[0]!.fingerprint}`);
		expect(frame).toContain(`host key rsa-3072 ${controller.hostKeys[1]!.fingerprint}`);
		expect(frame).toContain('connections 3 (2 open)');
		expect(frame).toContain('operations 2');
		expect(frame).toContain('#1 127.0.0.1:50001 · secure');
		expect(frame).toContain(`alice · 2 ops · ${suiteName(1).slice(0, 12)}`);
		expect(frame).toContain('#2 127.0.0.1:50002 · secure');
		expect(frame).toContain('#3 10.0.0.9:40000 · failed');
		expect(frame).toMatch(/#1 alice deposit 12\.34 → 112\.34 ✓ applied/u);
		expect(frame).toMatch(/#1 alice withdraw 999\.99 .*✗ insufficient funds/u);
		// The newest connection's log shows until another is selected.
		expect(frame).toContain('Handshake #3 10.0.0.9:40000');
		expect(frame).toContain('✗ no_common_suite');
		for (const line of frame.split('\n')) expect([...line].length).toBeLessThanOrEqual(100);
	});

	it('arrows select a connection and its handshake log shows', async () => {
		const controller = new FakeController();
		const app = render(
			<ServeApp controller={controller} onExit={vi.fn<(code: number) => void>()} />,
		);
		await waitFor(app, 'no connections yet');
		populate(controller);
		await waitFor(app, 'Handshake #3');
		await press(app, keys.up);
		const second = await waitFor(app, 'Handshake #2 127.0.0.1:50002');
		expect(second).toContain('›#2 127.0.0.1:50002');
		expect(second).toContain(`✓ secure channel: ${suiteName(3).slice(0, 12)}`);
		await press(app, keys.up);
		const first = await waitFor(app, 'Handshake #1 127.0.0.1:50001');
		expect(first).toContain(`✓ secure channel: ${suiteName(1).slice(0, 12)}`);
		// Tab to the log: its arrows now move through the entries.
		await press(app, keys.tab);
		expect(plain(app)).toContain('▸ Handshake #1');
		await press(app, keys.home, keys.enter);
		await waitFor(app, '(expanded)');
		expect(plain(app)).toContain('purpose: Alice greets Bob');
	});

	it('q stops gracefully: "stopping…", controller.stop(), then onExit(0)', async () => {
		const controller = new FakeController(false);
		const onExit = vi.fn<(code: number) => void>();
		const app = render(<ServeApp controller={controller} onExit={onExit} />);
		await waitFor(app, 'no connections yet');
		await press(app, 'q');
		await waitFor(app, 'stopping…');
		expect(controller.stopCalls).toBe(1);
		expect(onExit).not.toHaveBeenCalled();
		await press(app, 'q');
		expect(controller.stopCalls).toBe(1);
		controller.releaseStop();
		await vi.waitFor(() => {
			expect(onExit).toHaveBeenCalledWith(0);
		});
	});

	it('unsubscribes when unmounted', async () => {
		const controller = new FakeController();
		const app = render(
			<ServeApp controller={controller} onExit={vi.fn<(code: number) => void>()} />,
		);
		await settle(app);
		expect(controller.subscribers).toBe(1);
		app.unmount();
		expect(controller.subscribers).toBe(0);
	});
});

import {cleanup, render} from 'ink-testing-library';
import React from 'react';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {connectLayout, demoLayout, serveLayout} from '../../source/ui/layout.js';
import {ConnectApp, ServeApp, TerminalSize} from '../../source/ui/index.js';
import {
	FakeBank,
	FakeController,
	fakeHandle,
	plain,
	realEvents,
	scriptedStart,
	settle,
	waitFor,
} from './helpers.js';

afterEach(() => {
	cleanup();
});

function lines(frame: string): string[] {
	return frame.split('\n');
}

function widest(frame: string): number {
	return Math.max(...lines(frame).map((line) => [...line].length));
}

function renderConnect(size?: {columns?: number; rows?: number}) {
	const recorder = scriptedStart({
		events: realEvents(1).client,
		result: fakeHandle(new FakeBank()),
	});
	const app = (
		<ConnectApp
			target="127.0.0.1:6001"
			start={recorder.start}
			showSecrets={false}
			onExit={vi.fn<(code: number) => void>()}
		/>
	);
	return render(size ? <TerminalSize {...size}>{app}</TerminalSize> : app);
}

describe('layouts (pure)', () => {
	it('100x30: log and key details side by side over the bank, within 29 rows', () => {
		const layout = connectLayout({columns: 100, rows: 30}, {logExpanded: false});
		expect(layout.stacked).toBe(false);
		expect(layout.log.width + layout.keys!.width).toBe(100);
		expect(layout.log.height).toBe(layout.keys!.height);
		expect(2 + layout.log.height + layout.bank.height + 1).toBeLessThanOrEqual(29);
		expect(layout.bank.height).toBeGreaterThanOrEqual(10);
	});

	it('uses more room when there is more', () => {
		const small = connectLayout({columns: 100, rows: 30}, {logExpanded: false});
		const large = connectLayout({columns: 160, rows: 50}, {logExpanded: false});
		expect(large.log.width).toBeGreaterThan(small.log.width);
		expect(large.log.height).toBeGreaterThan(small.log.height);
		expect(2 + large.log.height + large.bank.height + 1).toBeLessThanOrEqual(49);
	});

	it('below 100 columns the panes stack', () => {
		const layout = connectLayout({columns: 80, rows: 30}, {logExpanded: false});
		expect(layout.stacked).toBe(true);
		expect(layout.log.width).toBe(80);
		expect(layout.keys!.width).toBe(80);
		expect(
			2 + layout.log.height + layout.keys!.height + layout.bank.height + 1,
		).toBeLessThanOrEqual(29);
	});

	it('an expanded log entry takes the whole row', () => {
		const layout = connectLayout({columns: 100, rows: 30}, {logExpanded: true});
		expect(layout.keys).toBeUndefined();
		expect(layout.log.width).toBe(100);
		expect(demoLayout({columns: 100, rows: 30}, {expanded: 'server'}).clientLog).toBeUndefined();
		expect(serveLayout({columns: 100, rows: 30}, 4, {logExpanded: true}).log.width).toBe(100);
	});
});

describe('layouts rendered', () => {
	it('fits the 100x30 fake terminal: every line within 100 columns, at most 29 rows', async () => {
		const app = renderConnect();
		const frame = await waitFor(app, 'Log in to');
		expect(widest(frame)).toBeLessThanOrEqual(100);
		expect(lines(frame).length).toBeLessThanOrEqual(29);
		const row = lines(frame).find((line) => line.includes('Handshake log'));
		expect(row).toContain('Key details');
	});

	it('80 columns: stacked, every line within 80 columns', async () => {
		const app = renderConnect({columns: 80});
		const frame = await waitFor(app, 'Log in to');
		expect(widest(frame)).toBeLessThanOrEqual(80);
		const log = lines(frame).findIndex((line) => line.includes('Handshake log'));
		const keys = lines(frame).findIndex((line) => line.includes('Key details'));
		const bank = lines(frame).findIndex((line) => line.includes('Bank · log in'));
		expect(log).toBeGreaterThan(-1);
		expect(keys).toBeGreaterThan(log);
		expect(bank).toBeGreaterThan(keys);
		expect(lines(frame).length).toBeLessThanOrEqual(29);
	});

	it('more rows show more of the log', async () => {
		const short = await waitFor(renderConnect(), 'Log in to');
		cleanup();
		const app = renderConnect({rows: 50});
		const tall = await waitFor(app, 'Log in to');
		const entries = (frame: string) =>
			lines(frame).filter((line) => /\d\d:\d\d:\d\d\.\d{3}/u.test(line)).length;
		expect(entries(tall)).toBeGreaterThan(entries(short));
		expect(lines(tall).length).toBeLessThanOrEqual(49);
	});

	it('re-lays out when the terminal is resized', async () => {
		const app = renderConnect();
		await waitFor(app, 'Log in to');
		Object.defineProperty(app.stdout, 'columns', {configurable: true, get: () => 80});
		app.stdout.emit('resize');
		await settle(app);
		const frame = plain(app);
		expect(widest(frame)).toBeLessThanOrEqual(80);
		const log = lines(frame).findIndex((line) => line.includes('Handshake log'));
		const keys = lines(frame).findIndex((line) => line.includes('Key details'));
		expect(keys).toBeGreaterThan(log);
	});

	it('the server screen fits 100 and 80 columns', async () => {
		for (const columns of [100, 80]) {
			const controller = new FakeController();
			const app = render(
				<TerminalSize columns={columns}>
					<ServeApp controller={controller} onExit={vi.fn<(code: number) => void>()} />
				</TerminalSize>,
			);

			await waitFor(app, 'no connections yet');
			controller.connection(1, '127.0.0.1:50001', realEvents(3).server);

			const frame = await waitFor(app, 'handshakes ok 1');
			expect(widest(frame), `${columns} columns`).toBeLessThanOrEqual(columns);
			expect(lines(frame).length).toBeLessThanOrEqual(29);
			cleanup();
		}
	});
});

/**
 * The screens in a real terminal (tmux), as a person uses them: `securebank serve` and
 * `securebank connect` against it, then `securebank demo`. Each step asserts what the screen shows.
 */
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {builtCli, requireBuild} from '../helpers/bank-fixtures.js';
import {Terminal, tmuxAvailable} from '../helpers/tmux.js';

const home = mkdtempSync(join(tmpdir(), 'securebank-tmux-'));
const terminal = new Terminal();
const port = 20_000 + (process.pid % 20_000);
const cli = `SECUREBANK_HOME=${home} ${process.execPath} ${builtCli}`;

/** Keys one at a time, waiting a little between them, as RECIPES.md advises. */
async function press(name: string, ...keys: string[]): Promise<void> {
	for (const key of keys) {
		terminal.key(name, key);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

async function typeText(name: string, text: string): Promise<void> {
	terminal.type(name, text);
	await new Promise((resolve) => setTimeout(resolve, 250));
}

beforeAll(() => {
	if (!tmuxAvailable()) throw new Error('tmux is needed for these tests (.ci/run installs it)');
	requireBuild();
});

afterAll(() => {
	terminal.close();
	rmSync(home, {recursive: true, force: true});
});

describe('serve and connect in a real terminal', () => {
	it('trusts the host, logs in, deposits, is refused an overdraft, checks the balance and exits 0', async () => {
		terminal.open('server', `${cli} serve --port ${port} --signup`);
		let server = await terminal.waitFor('server', /127\.0\.0\.1:\d+/);
		expect(server).toMatch(/SHA256:[A-Za-z0-9+/]{20}/);

		terminal.open('client', `${cli} connect 127.0.0.1:${port}`);
		let client = await terminal.waitFor('client', /Trust this host and remember it\? \(yes\/no\)/);
		expect(client).toMatch(/ClientHello/);
		expect(client).toMatch(/✓ host key signature over transcript/);
		await typeText('client', 'yes');
		await press('client', 'Enter');
		client = await terminal.waitFor('client', /Name/);
		expect(client).toMatch(/handshake/i);

		// No account yet: open one through the signup path the server allows.
		await press('client', 'C-o');
		await typeText('client', 'carol');
		await press('client', 'Enter');
		await typeText('client', 'carol-password');
		await press('client', 'Enter');
		client = await terminal.waitFor('client', /balance 0\.00/);
		expect(client).toMatch(/1 Deposit/);

		await press('client', '1');
		await typeText('client', '12.345');
		client = await terminal.waitFor('client', /at most two digits after the decimal point/);
		await press('client', 'BSpace', 'Enter');
		client = await terminal.waitFor('client', /balance 12\.34/);

		await press('client', '2');
		await typeText('client', '500');
		await press('client', 'Enter');
		client = await terminal.waitFor(
			'client',
			/insufficient funds: the balance is 12\.34, the amount 500\.00/,
		);
		await press('client', 'Escape');

		await press('client', '3');
		client = await terminal.waitFor('client', /12\.34/);

		server = await terminal.waitFor('server', /carol/);
		expect(server).toMatch(/deposit|withdraw/);

		await press('client', '4');
		client = await terminal.waitFor('client', /EXITED=0/);

		await press('server', 'q');
		server = await terminal.waitFor('server', /EXITED=0/);
	}, 90_000);

	it('refuses a server whose key changed, with a full-screen warning and exit code 3', async () => {
		// A second server with a new data folder answers on the same port with another key.
		terminal.open('impostor', `${cli} serve --port ${port + 1} --data ${join(home, 'impostor')}`);
		await terminal.waitFor('impostor', /127\.0\.0\.1:\d+/);
		terminal.open('first', `${cli} connect 127.0.0.1:${port + 1} --accept-new`);
		await terminal.waitFor('first', /Name/);
		await press('first', 'C-c');
		await terminal.waitFor('first', /EXITED=/);
		await press('impostor', 'q');
		await terminal.waitFor('impostor', /EXITED=0/);

		terminal.open(
			'impostor2',
			`${cli} serve --port ${port + 1} --data ${join(home, 'impostor-2')}`,
		);
		await terminal.waitFor('impostor2', /127\.0\.0\.1:\d+/);
		terminal.open('victim', `${cli} connect 127.0.0.1:${port + 1}`);
		const warning = await terminal.waitFor('victim', /REMOTE HOST IDENTIFICATION HAS CHANGED/);
		expect(warning.match(/SHA256:[A-Za-z0-9+/]{43}/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
		// The first test remembered line 1 for the other port; this host's key is on line 2.
		expect(warning).toMatch(/Offending key in .*known_hosts:2/);
		await press('victim', 'q');
		await terminal.waitFor('victim', /EXITED=3/);
		await press('impostor2', 'q');
		await terminal.waitFor('impostor2', /EXITED=0/);
	}, 90_000);
});

describe('demo in a real terminal', () => {
	it('shows both handshakes side by side and banks with the demo account', async () => {
		terminal.open('demo', `${cli} demo`);
		let screen = await terminal.waitFor('demo', /Trust this host and remember it\? \(yes\/no\)/);
		await typeText('demo', 'yes');
		await press('demo', 'Enter');
		screen = await terminal.waitFor('demo', /Name/);
		expect(screen).toMatch(/ClientHello/);
		await typeText('demo', 'demo');
		await press('demo', 'Enter');
		await typeText('demo', 'demo-password');
		await press('demo', 'Enter');
		screen = await terminal.waitFor('demo', /1 Deposit/);
		await press('demo', '1');
		await typeText('demo', '25');
		await press('demo', 'Enter');
		screen = await terminal.waitFor('demo', /25\.00/);
		await press('demo', '2');
		await typeText('demo', '100');
		await press('demo', 'Enter');
		screen = await terminal.waitFor('demo', /insufficient funds/);
		await press('demo', 'Escape', '4');
		await terminal.waitFor('demo', /EXITED=0/);
	}, 90_000);
});

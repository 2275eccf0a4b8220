import {cleanup, render} from 'ink-testing-library';
import React from 'react';
import {afterEach, describe, expect, it, vi} from 'vitest';
import type {HistoryEntry} from '../../source/net/api.js';
import {
	bankViewReducer,
	HISTORY_LIMIT,
	initialBankView,
	type BankAction,
	type BankResponse,
	type BankView,
} from '../../source/ui/bank-view.js';
import {historyTitle} from '../../source/ui/history-lines.js';
import type {HistoryView} from '../../source/ui/history-page.js';
import {ConnectApp, TerminalSize} from '../../source/ui/index.js';
import {bankModes} from '../../source/ui/use-bank.js';
import {
	FakeBank,
	fakeHandle,
	keys,
	plain,
	press,
	realEvents,
	scriptedStart,
	settle,
	type,
	waitFor,
} from './helpers.js';

afterEach(() => {
	cleanup();
});

/** `rows`: the terminal's height (the fake terminal has none: 30 is assumed). */
async function renderBank(bank = new FakeBank(), rows?: number) {
	const handle = fakeHandle(bank);
	const recorder = scriptedStart({events: realEvents(1).client, result: handle});
	const onExit = vi.fn<(code: number) => void>();
	const connectApp = (
		<ConnectApp
			target="127.0.0.1:6001"
			start={recorder.start}
			showSecrets={false}
			onExit={onExit}
		/>
	);
	const app = render(
		rows === undefined ? connectApp : <TerminalSize rows={rows}>{connectApp}</TerminalSize>,
	);
	await waitFor(app, 'Log in to 127.0.0.1:6001');
	return {app, bank, handle, onExit};
}

async function logIn(app: ReturnType<typeof render>, name = 'alice', password = 'correct horse') {
	await type(app, name);
	await press(app, keys.enter);
	await type(app, password);
	await press(app, keys.enter);
}

async function renderLoggedIn(bank = new FakeBank(), rows?: number) {
	const rendered = await renderBank(bank, rows);
	await logIn(rendered.app);
	await waitFor(rendered.app, 'Logged in as alice');
	return rendered;
}

describe('login', () => {
	it('masks the password, logs in and shows the balance from then on', async () => {
		const {app, bank} = await renderBank();
		await type(app, 'alice');
		await press(app, keys.down);
		await type(app, 'correct horse');
		const typing = plain(app);
		expect(typing).toContain('Name      alice');
		expect(typing).toContain(`Password  ${'•'.repeat(13)}`);
		expect(typing).not.toContain('correct horse');
		await press(app, keys.enter);
		const frame = await waitFor(app, 'Bank · alice · balance 100.00');
		expect(frame).toContain('✓ Logged in as alice · balance 100.00');
		expect(bank.callsOf('serverInfo')).toHaveLength(1);
		expect(bank.callsOf('login')).toEqual([{op: 'login', args: ['alice', 'correct horse']}]);
	});

	it('a wrong password is shown inline and the user can retry', async () => {
		const {app, bank} = await renderBank();
		await logIn(app, 'alice', 'wrong');
		const refused = await waitFor(app, 'wrong name or password (login_failed)');
		expect(refused).toContain('Name      alice');
		expect(refused).toContain('› Password  ▏');
		await type(app, 'correct horse');
		await press(app, keys.enter);
		await waitFor(app, 'Logged in as alice');
		expect(bank.callsOf('login')).toHaveLength(2);
	});

	it('a locked account is explained the same way', async () => {
		const bank = new FakeBank();
		bank.next.set('login', {
			ok: false,
			error: {code: 'account_locked', message: 'too many failed logins: locked for 5 minutes'},
		});
		const {app} = await renderBank(bank);
		await logIn(app);
		await waitFor(app, '✗ too many failed logins: locked for 5 minutes (account_locked)');
	});

	it('a pasted name⏎password⏎ logs in', async () => {
		const {app, bank} = await renderBank();
		app.stdin.write('alice\rcorrect horse\r');
		await waitFor(app, 'Logged in as alice');
		expect(bank.callsOf('login')).toEqual([{op: 'login', args: ['alice', 'correct horse']}]);
	});

	it('nothing is sent without a name', async () => {
		const {app, bank} = await renderBank();
		await press(app, keys.enter, keys.enter);
		await waitFor(app, 'enter your name');
		expect(bank.callsOf('login')).toHaveLength(0);
	});

	it('Tab runs through the log, the key details and both login fields', async () => {
		const {app} = await renderBank();
		expect(plain(app)).toContain('▸ Bank · log in');
		expect(plain(app)).toContain('› Name');
		await press(app, keys.tab);
		expect(plain(app)).toContain('› Password');
		await press(app, keys.tab);
		expect(plain(app)).toContain('▸ Handshake log');
		expect(plain(app)).not.toContain('▸ Bank');
		await press(app, keys.tab);
		expect(plain(app)).toContain('▸ Key details');
		await press(app, keys.shiftTab, keys.shiftTab);
		expect(plain(app)).toContain('▸ Bank · log in');
		expect(plain(app)).toContain('› Password');
	});

	it('offers to open an account when the server allows it', async () => {
		const bank = new FakeBank();
		bank.signupAllowed = true;
		const {app} = await renderBank(bank);
		expect(plain(app)).toContain('^O: open an account instead');
		expect(plain(app)).toContain('^O open an account / log in');
		await press(app, keys.ctrlO);
		await waitFor(app, 'Open an account at 127.0.0.1:6001');
		await type(app, 'Bob');
		await press(app, keys.enter);
		await type(app, 'short');
		await press(app, keys.enter);
		await waitFor(app, 'the name must be lower-case');
		expect(bank.callsOf('signup')).toHaveLength(0);
		await press(app, keys.backspace, keys.backspace, keys.backspace);
		await type(app, 'bob');
		// Enter on the name moves to the password (still "short"), Enter there submits.
		await press(app, keys.enter, keys.enter);
		await waitFor(app, 'the password must be 8 to 256 characters long');
		await type(app, 'er and longer');
		await press(app, keys.enter);
		await waitFor(app, '✓ Account bob opened · balance 0.00');
		expect(bank.callsOf('signup')).toEqual([{op: 'signup', args: ['bob', 'shorter and longer']}]);
	});

	it('does not offer an account when signup is off', async () => {
		const {app} = await renderBank();
		expect(plain(app)).not.toContain('open an account');
	});
});

describe('the menu', () => {
	it('moves with arrows and chooses with Enter', async () => {
		const {app, bank} = await renderLoggedIn();
		expect(plain(app)).toContain('› 1 Deposit');
		await press(app, keys.down, keys.down);
		expect(plain(app)).toContain('› 3 Balance');
		await press(app, keys.enter);
		await waitFor(app, '✓ Balance 100.00');
		expect(bank.callsOf('balance')).toHaveLength(1);
		await press(app, keys.up, keys.up, keys.up);
		expect(plain(app)).toContain('› 4 Exit');
		await press(app, keys.down);
		expect(plain(app)).toContain('› 1 Deposit');
	});

	it("number keys are the original design's codes; h and t the later operations; 5 and 6 do nothing", async () => {
		const {app, bank} = await renderLoggedIn();
		await press(app, '3');
		await waitFor(app, '✓ Balance 100.00');
		await press(app, '5', '6');
		expect(bank.calls.map((call) => call.op)).toEqual(['serverInfo', 'login', 'balance']);
		await press(app, '1');
		await waitFor(app, 'Amount ▏');
		expect(plain(app)).toContain('Deposit');
		await press(app, keys.escape);
		await press(app, '2');
		await waitFor(app, /1 Deposit\s+Withdraw/u);
		await press(app, keys.escape);
		await press(app, 't');
		await waitFor(app, /1 Deposit\s+Transfer/u);
		expect(plain(app)).toContain('› t Transfer');
		await press(app, keys.escape);
		await press(app, 'h');
		await waitFor(app, 'No operations yet');
		expect(plain(app)).toContain('h history · t transfer · 4 exit');
	});

	it('Exit (4) logs out, closes the connection and exits with 0', async () => {
		const {app, bank, handle, onExit} = await renderLoggedIn();
		await press(app, '4');
		await vi.waitFor(() => {
			expect(onExit).toHaveBeenCalledWith(0);
		});
		expect(bank.callsOf('logout')).toHaveLength(1);
		expect(handle.closeCalls).toBe(1);
		expect(plain(app)).not.toContain('Connection failed');
	});
});

describe('amounts', () => {
	it('validates as the user types and explains a refusal; nothing is sent until valid', async () => {
		const {app, bank} = await renderLoggedIn();
		await press(app, '1');
		await waitFor(app, 'type an amount, e.g. 12.34 (at most 1,000,000.00)');
		await type(app, '12.');
		await waitFor(app, '… type the cents after the decimal point');
		await type(app, '345');
		await waitFor(app, '✗ at most two digits after the decimal point');
		await press(app, keys.enter);
		await waitFor(app, /✗ at most two digits after the decimal point[\s\S]*✗ at most two digits/u);
		expect(bank.callsOf('deposit')).toHaveLength(0);
		await press(app, keys.backspace);
		await waitFor(app, '✓ 12.34');
		await press(app, keys.enter);
		await waitFor(app, '✓ Deposited 12.34 · balance 112.34');
		expect(bank.callsOf('deposit')).toEqual([{op: 'deposit', args: [1234]}]);
		expect(plain(app)).toContain('Bank · alice · balance 112.34');
	});

	it('refuses letters, signs and exponents with the rule broken', async () => {
		const {app, bank} = await renderLoggedIn();
		await press(app, '2');
		await type(app, '-5');
		await waitFor(app, '✗ must be greater than zero');
		await press(app, keys.backspace, keys.backspace);
		await type(app, '1e3');
		await waitFor(app, '✗ no exponents: write the amount in full, for example 1000');
		await press(app, keys.enter);
		await press(app, keys.backspace, keys.backspace, keys.backspace);
		await type(app, '2,00');
		await waitFor(app, '… thousands separators are followed by three digits');
		await press(app, keys.enter);
		await waitFor(app, '✗ thousands separators must split the whole part into groups of three');
		expect(bank.callsOf('withdraw')).toHaveLength(0);
	});

	it("withdrawing more than the balance shows the bank's refusal under the menu", async () => {
		const {app, bank} = await renderLoggedIn();
		await press(app, '2');
		await type(app, '250');
		await press(app, keys.enter);
		const frame = await waitFor(
			app,
			'✗ insufficient funds: the balance is 100.00 (insufficient_funds)',
		);
		expect(bank.callsOf('withdraw')).toEqual([{op: 'withdraw', args: [25_000]}]);
		// The refusal is on the line right under the menu.
		const lines = frame.split('\n');
		const exitRow = lines.findIndex((line) => line.includes('4 Exit'));
		const refusalRow = lines.findIndex((line) => line.includes('insufficient_funds'));
		expect(refusalRow).toBeGreaterThan(exitRow);
		expect(refusalRow - exitRow).toBeLessThanOrEqual(3);
		expect(frame).toContain('balance 100.00');
		// The amount can be corrected in place.
		await press(app, keys.backspace, keys.backspace);
		await press(app, keys.enter);
		await waitFor(app, '✓ Withdrew 2.00 · balance 98.00');
	});

	it('transfer asks the amount, then the account', async () => {
		const {app, bank} = await renderLoggedIn();
		await press(app, 't');
		await type(app, '1,000');
		await waitFor(app, '✓ 1,000.00');
		await press(app, keys.enter);
		await waitFor(app, 'the account to send to');
		await press(app, keys.enter);
		await waitFor(app, 'account must be 1 to 32 characters');
		expect(bank.callsOf('transfer')).toHaveLength(0);
		await type(app, 'bob');
		await press(app, keys.enter);
		await waitFor(app, '✓ Sent 1,000.00 to bob');
		expect(bank.callsOf('transfer')).toEqual([{op: 'transfer', args: [100_000, 'bob']}]);
	});
});

describe('history', () => {
	it('is a table: time, kind, amount, balance after, counterparty', async () => {
		const bank = new FakeBank();
		bank.entries = [
			{
				id: 3,
				kind: 'transfer-out',
				amountCents: 2500,
				balanceAfterCents: 10_000,
				time: '2025-03-01T10:15:00Z',
				counterparty: 'bob',
			},
			{
				id: 2,
				kind: 'withdraw',
				amountCents: 500,
				balanceAfterCents: 12_500,
				time: '2025-03-01T10:10:00Z',
			},
			{
				id: 1,
				kind: 'deposit',
				amountCents: 13_000,
				balanceAfterCents: 13_000,
				time: '2025-03-01T10:00:00Z',
			},
		];
		const {app} = await renderLoggedIn(bank);
		await press(app, 'h');
		const frame = await waitFor(app, 'History (entries 1-3 of 3, newest first)');
		expect(frame).toMatch(/time\s+kind\s+amount\s+balance after counterparty/u);
		expect(frame).toMatch(/transfer\s+-25\.00\s+100\.00 to bob/u);
		expect(frame).toMatch(/withdraw\s+-5\.00\s+125\.00/u);
		expect(frame).toMatch(/deposit\s+\+130\.00\s+130\.00/u);
		expect(frame).toContain('✓ Last 3 operations');
		// One page holds them all: nothing to page to.
		expect(frame).not.toContain('older:');
		expect(frame).not.toContain('newer:');
	});
});

/** Deposits 1.00, 2.00, … `count`.00, newest first as the bank sends them; ids from 101 up. */
function deposits(count: number): HistoryEntry[] {
	return Array.from({length: count}, (_, index) => {
		const number = count - index;
		return {
			id: 100 + number,
			kind: 'deposit' as const,
			amountCents: number * 100,
			balanceAfterCents: ((number * (number + 1)) / 2) * 100,
			time: `2025-03-01T10:${String(number).padStart(2, '0')}:00Z`,
		};
	});
}

/** The amounts of the history rows on screen, in whole units, top to bottom. */
function amountsShown(frame: string): number[] {
	return [...frame.matchAll(/deposit\s+\+(\d+)\.00/gu)].map((match) => Number(match[1]));
}

/** n, n-1, … down to m. */
function countdown(from: number, to: number): number[] {
	return Array.from({length: from - to + 1}, (_, index) => from - index);
}

/** Records the nextBefore of every page the fake bank answers with. */
function recordNextBefore(bank: FakeBank): Array<number | null> {
	const returned: Array<number | null> = [];
	const history = bank.history.bind(bank);
	bank.history = async (options) => {
		const result = await history(options);
		if (result.ok) returned.push(result.value.nextBefore);
		return result;
	};

	return returned;
}

// 40 rows give the bank pane room for 10 history rows: a page of 10.
const tallTerminal = 40;

describe('history pages', () => {
	it('PgDn pages to older entries, PgUp back, sending the nextBefore values the bank gave', async () => {
		const bank = new FakeBank();
		bank.entries = deposits(25);
		const returned = recordNextBefore(bank);
		const {app} = await renderLoggedIn(bank, tallTerminal);

		await press(app, 'h');
		let frame = await waitFor(app, 'History (entries 1-10, newest first) · older: PgDn');
		expect(frame).not.toContain('newer:');
		expect(amountsShown(frame)).toEqual(countdown(25, 16));
		expect(frame).toContain('✓ Last 10 operations');

		await press(app, keys.pageDown);
		frame = await waitFor(app, 'History (entries 11-20, newest first) · older: PgDn · newer: PgUp');
		expect(amountsShown(frame)).toEqual(countdown(15, 6));
		expect(frame).toContain('✓ Operations 11-20');

		await press(app, keys.pageDown);
		frame = await waitFor(app, 'History (entries 21-25 of 25, newest first) · newer: PgUp');
		expect(frame).not.toContain('older:');
		expect(amountsShown(frame)).toEqual(countdown(5, 1));

		// The oldest page: PgDn is not offered and asks nothing.
		await press(app, keys.pageDown);
		await settle(app);
		expect(bank.callsOf('history')).toHaveLength(3);
		expect(amountsShown(plain(app))).toEqual(countdown(5, 1));

		await press(app, keys.pageUp);
		frame = await waitFor(app, 'History (entries 11-20, newest first)');
		expect(amountsShown(frame)).toEqual(countdown(15, 6));

		await press(app, keys.pageUp);
		frame = await waitFor(app, 'History (entries 1-10, newest first) · older: PgDn');
		expect(frame).not.toContain('newer:');
		expect(amountsShown(frame)).toEqual(countdown(25, 16));

		// The newest page: PgUp asks nothing.
		await press(app, keys.pageUp);
		await settle(app);
		expect(bank.callsOf('history')).toHaveLength(5);

		// The bank's answers: the oldest id of each page with older ones after it, then null.
		expect(returned).toEqual([116, 106, null, 106, 116]);
		expect(bank.callsOf('history').map((call) => call.args[0])).toEqual([
			{limit: 10},
			{limit: 10, before: returned[0]},
			{limit: 10, before: returned[1]},
			{limit: 10, before: returned[0]},
			{limit: 10},
		]);
	});

	it('a refused or failed page keeps the page shown and says why', async () => {
		const bank = new FakeBank();
		bank.entries = deposits(25);
		const {app} = await renderLoggedIn(bank, tallTerminal);
		await press(app, 'h');
		await waitFor(app, 'History (entries 1-10, newest first)');
		await press(app, keys.pageDown);
		await waitFor(app, 'History (entries 11-20, newest first)');

		bank.next.set('history', {
			ok: false,
			error: {code: 'invalid_field', message: "before is not one of this account's entries"},
		});
		await press(app, keys.pageDown);
		let frame = await waitFor(app, "✗ before is not one of this account's entries (invalid_field)");
		expect(frame).toContain('History (entries 11-20, newest first)');
		expect(amountsShown(frame)).toEqual(countdown(15, 6));

		bank.next.set('history', () => {
			throw new Error('connection closed: reset by peer');
		});
		await press(app, keys.pageUp);
		frame = await waitFor(app, '✗ connection closed: reset by peer');
		expect(frame).toContain('History (entries 11-20, newest first)');
		expect(amountsShown(frame)).toEqual(countdown(15, 6));

		// Nothing was lost: the same keys go on from the same page.
		await press(app, keys.pageDown);
		frame = await waitFor(app, 'History (entries 21-25 of 25, newest first)');
		expect(amountsShown(frame)).toEqual(countdown(5, 1));
		expect(bank.callsOf('history').map((call) => call.args[0])).toEqual([
			{limit: 10},
			{limit: 10, before: 116},
			{limit: 10, before: 106},
			{limit: 10},
			{limit: 10, before: 106},
		]);
	});

	it('h goes back to the newest page; a deposit puts the history away and its keys with it', async () => {
		const bank = new FakeBank();
		bank.entries = deposits(25);
		const {app} = await renderLoggedIn(bank, tallTerminal);
		await press(app, 'h');
		await waitFor(app, 'History (entries 1-10, newest first)');
		await press(app, keys.pageDown);
		await waitFor(app, 'History (entries 11-20, newest first)');
		await press(app, keys.pageDown);
		await waitFor(app, 'History (entries 21-25 of 25, newest first)');

		await press(app, 'h');
		let frame = await waitFor(app, 'History (entries 1-10, newest first) · older: PgDn');
		expect(amountsShown(frame)).toEqual(countdown(25, 16));
		expect(bank.callsOf('history').at(-1)?.args[0]).toEqual({limit: 10});

		await press(app, '1');
		await type(app, '5');
		await press(app, keys.enter);
		frame = await waitFor(app, '✓ Deposited 5.00');
		expect(frame).not.toContain('History (');
		await press(app, keys.pageDown, keys.pageUp);
		await settle(app);
		expect(bank.callsOf('history')).toHaveLength(4);
	});

	it('a page is as long as the pane shows, and numbering follows short pages', async () => {
		const bank = new FakeBank();
		bank.entries = deposits(25);
		// The default 30-row terminal: the bank pane shows 5 history rows.
		const {app} = await renderLoggedIn(bank);
		await press(app, 'h');
		let frame = await waitFor(app, 'History (entries 1-5, newest first) · older: PgDn');
		expect(amountsShown(frame)).toEqual(countdown(25, 21));
		expect(bank.callsOf('history').at(-1)?.args[0]).toEqual({limit: 5});

		// A server may send fewer than asked (a page is shortened to fit one record).
		bank.pageSize = 3;
		await press(app, keys.pageDown);
		frame = await waitFor(app, 'History (entries 6-8, newest first)');
		expect(amountsShown(frame)).toEqual(countdown(20, 18));
		await press(app, keys.pageDown);
		frame = await waitFor(app, 'History (entries 9-11, newest first)');
		expect(amountsShown(frame)).toEqual(countdown(17, 15));
		expect(bank.callsOf('history').map((call) => call.args[0])).toEqual([
			{limit: 5},
			{limit: 5, before: 121},
			{limit: 5, before: 118},
		]);
	});
});

describe('bankViewReducer (pure)', () => {
	const reduce = (actions: BankAction[], from: BankView = initialBankView) =>
		actions.reduce(bankViewReducer, from);
	const menu: BankView = {...initialBankView, phase: 'menu', account: 'alice', balanceCents: 100};

	it('an invalid amount never becomes a request', () => {
		const state = reduce(
			[{type: 'choose', operation: 'deposit'}, {type: 'type', text: '1.234'}, {type: 'submit'}],
			menu,
		);
		expect(state.request).toBeUndefined();
		expect(state.form?.error).toBe('at most two digits after the decimal point');
	});

	it('a valid amount is one request; a second submit waits for the answer', () => {
		const state = reduce(
			[
				{type: 'choose', operation: 'withdraw'},
				{type: 'type', text: '0.5'},
				{type: 'submit'},
				{type: 'submit'},
			],
			menu,
		);
		expect(state.request).toEqual({id: 1, call: {op: 'withdraw', cents: 50}});
		expect(state.nextRequestId).toBe(2);
	});

	it('answers for another request are ignored', () => {
		const sent = reduce([{type: 'choose', operation: 'balance'}], menu);
		const stale = bankViewReducer(sent, {
			type: 'response',
			id: 99,
			response: {op: 'balance', result: {ok: true, value: {balanceCents: 5}}},
		});
		expect(stale).toBe(sent);
	});

	const entries = deposits(25);
	/** The answer to the request in flight: the page of `entries` from `start`, `size` long. */
	const page = (state: BankView, start: number, size = 10): BankAction => {
		const shown = entries.slice(start, start + size);
		const more = start + shown.length < entries.length;
		const response: BankResponse = {
			op: 'history',
			result: {
				ok: true,
				value: {
					entries: shown,
					nextBefore: more ? shown.at(-1)!.id : null,
					balanceCents: 100,
				},
			},
		};
		return {type: 'response', id: state.request!.id, response};
	};

	const older: BankAction = {type: 'history-page', direction: 'older'};
	const newer: BankAction = {type: 'history-page', direction: 'newer'};
	const sized = bankViewReducer(menu, {type: 'history-rows', rows: 10});

	it('pages older by each nextBefore and newer by the stack of befores that led there', () => {
		let state = bankViewReducer(sized, {type: 'choose', operation: 'history'});
		expect(state.request?.call).toEqual({op: 'history', limit: 10, steps: []});
		state = bankViewReducer(state, page(state, 0));
		expect(state.history?.nextBefore).toBe(116);
		expect(bankModes(state)).toEqual(['menu', 'history-older']);

		state = bankViewReducer(state, older);
		expect(state.request?.call).toEqual({
			op: 'history',
			limit: 10,
			steps: [{before: 116, skipped: 10}],
		});
		state = bankViewReducer(state, page(state, 10));
		expect(bankModes(state)).toEqual(['menu', 'history-older', 'history-newer']);
		state = bankViewReducer(state, older);
		expect(state.request?.call).toEqual({
			op: 'history',
			limit: 10,
			steps: [
				{before: 116, skipped: 10},
				{before: 106, skipped: 20},
			],
		});
		state = bankViewReducer(state, page(state, 20));
		expect(state.history?.entries.map((entry) => entry.amountCents / 100)).toEqual([5, 4, 3, 2, 1]);
		expect(state.history?.nextBefore).toBeNull();
		expect(state.message).toEqual({tone: 'ok', text: '✓ Operations 21-25'});
		expect(bankModes(state)).toEqual(['menu', 'history-newer']);

		// No older page: no request, no change.
		expect(bankViewReducer(state, older)).toBe(state);

		state = bankViewReducer(state, newer);
		expect(state.request?.call).toEqual({
			op: 'history',
			limit: 10,
			steps: [{before: 116, skipped: 10}],
		});
		state = bankViewReducer(state, page(state, 10));
		state = bankViewReducer(state, newer);
		expect(state.request?.call).toEqual({op: 'history', limit: 10, steps: []});
		state = bankViewReducer(state, page(state, 0));
		expect(state.history?.steps).toEqual([]);
		expect(bankViewReducer(state, newer)).toBe(state);
	});

	it('a refused page leaves the page shown as it was', () => {
		let state = bankViewReducer(sized, {type: 'choose', operation: 'history'});
		state = bankViewReducer(state, page(state, 0));
		const shown: HistoryView | undefined = state.history;
		state = bankViewReducer(state, older);
		state = bankViewReducer(state, {
			type: 'response',
			id: state.request!.id,
			response: {
				op: 'history',
				result: {ok: false, error: {code: 'invalid_field', message: 'bad before'}},
			},
		});
		expect(state.history).toBe(shown);
		expect(state.request).toBeUndefined();
		expect(state.message).toEqual({tone: 'bad', text: '✗ bad before (invalid_field)'});
		state = bankViewReducer(state, older);
		state = bankViewReducer(state, {
			type: 'request-failed',
			id: state.request!.id,
			message: 'gone',
		});
		expect(state.history).toBe(shown);
		expect(state.message).toEqual({tone: 'bad', text: '✗ gone'});
	});

	it('pages only from the menu with the history shown and nothing in flight', () => {
		expect(bankViewReducer(sized, older)).toBe(sized);
		let state = bankViewReducer(sized, {type: 'choose', operation: 'history'});
		state = bankViewReducer(state, page(state, 0));
		const asking = bankViewReducer(state, older);
		expect(bankViewReducer(asking, older)).toBe(asking);
		const depositing = bankViewReducer(state, {type: 'choose', operation: 'deposit'});
		expect(depositing.history).toBeUndefined();
		expect(bankViewReducer(depositing, older)).toBe(depositing);
		expect(bankModes(depositing)).toEqual(['amount']);
	});

	it('a page asks for as many entries as the pane shows, 1 to HISTORY_LIMIT', () => {
		expect(bankViewReducer(menu, {type: 'history-rows', rows: 0}).historyPageSize).toBe(1);
		expect(bankViewReducer(menu, {type: 'history-rows', rows: 500}).historyPageSize).toBe(
			HISTORY_LIMIT,
		);
		const state = bankViewReducer(bankViewReducer(menu, {type: 'history-rows', rows: 7}), {
			type: 'choose',
			operation: 'history',
		});
		expect(state.request?.call).toEqual({op: 'history', limit: 7, steps: []});
	});
});

describe('historyTitle (pure)', () => {
	const middle: HistoryView = {
		entries: deposits(25).slice(10, 20),
		nextBefore: 106,
		steps: [{before: 116, skipped: 10}],
	};

	it('numbers the entries and names the keys that page', () => {
		expect(historyTitle(middle, 10, 79)).toBe(
			'History (entries 11-20, newest first) · older: PgDn · newer: PgUp',
		);
	});

	it('leaves the keys out when they do not fit, then cuts the rest', () => {
		expect(historyTitle(middle, 10, 50)).toBe('History (entries 11-20, newest first)');
		expect(historyTitle(middle, 10, 20)).toHaveLength(20);
	});

	it('says when the pane shows only part of the page', () => {
		expect(historyTitle(middle, 6, 100)).toContain(
			"History (entries 11-16 of this page's 11-20, newest first)",
		);
	});
});

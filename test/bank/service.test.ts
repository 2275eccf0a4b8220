/**
 * A customer's session through BankService, bytes in and bytes out: money operations, retries,
 * history pages, signup, malformed requests and shutting down.
 */
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import type {BankActivity} from '../../source/bank/activity.js';
import {addAccount} from '../../source/bank/accounts.js';
import {createBankService, type BankService} from '../../source/bank/service.js';
import type {SqliteLedgerStore} from '../../source/bank/store-sqlite.js';
import {MAX_RESPONSE_BYTES} from '../../source/bank/wire.js';
import {makeClient, makeTempFolder, openFastStore, TEST_SCRYPT_COST} from './bank-fixtures.js';

const password = 'correct horse battery';

let temporary: ReturnType<typeof makeTempFolder>;
let store: SqliteLedgerStore;
let service: BankService;
let events: BankActivity[];

function start(allowSignup = false) {
	service = createBankService({store, allowSignup, scryptCost: TEST_SCRYPT_COST});
	events = [];
	service.onActivity((event) => {
		events.push(event);
	});
}

async function loggedIn(name = 'alice') {
	const client = makeClient(service.openSession(`peer-${name}`));
	const {response} = await client.send({op: 'login', name, password});
	expect(response.ok).toBe(true);
	return client;
}

beforeEach(async () => {
	temporary = makeTempFolder();
	store = openFastStore(temporary.folder);
	await addAccount(store, 'alice', password, {scryptCost: TEST_SCRYPT_COST});
	await addAccount(store, 'bob', password, {scryptCost: TEST_SCRYPT_COST});
	start();
});

afterEach(async () => {
	await service.close();
	temporary.remove();
});

describe('money over the wire', () => {
	it('deposits, withdraws and reports the balance with every result', async () => {
		const alice = await loggedIn();
		expect(await alice.reply({op: 'deposit', requestId: 'd-1', amount: 1250})).toEqual({
			id: 2,
			ok: true,
			op: 'deposit',
			requestId: 'd-1',
			amount: 1250,
			balance: 1250,
			entryId: 1,
		});
		expect(await alice.reply({op: 'withdraw', requestId: 'w-1', amount: 250})).toMatchObject({
			ok: true,
			op: 'withdraw',
			balance: 1000,
		});
		expect(await alice.reply({op: 'balance'})).toEqual({
			id: 4,
			ok: true,
			op: 'balance',
			name: 'alice',
			balance: 1000,
		});
	});

	it('refuses a withdrawal beyond the balance, stating both, and changes nothing', async () => {
		const alice = await loggedIn();
		await alice.send({op: 'deposit', requestId: 'd-1', amount: 1250});
		expect(await alice.reply({op: 'withdraw', requestId: 'w-1', amount: 2000})).toEqual({
			id: 3,
			ok: false,
			error: {
				code: 'insufficient_funds',
				message: 'insufficient funds: the balance is 12.50, the amount 20.00',
				balance: 1250,
				amount: 2000,
			},
		});
		expect(await alice.reply({op: 'balance'})).toMatchObject({balance: 1250});
	});

	it('refuses more than 1,000,000.00 at once, and a balance past the largest safe integer', async () => {
		const alice = await loggedIn();
		expect(await alice.reply({op: 'deposit', requestId: 'big', amount: 100_000_001})).toMatchObject(
			{
				ok: false,
				error: {
					code: 'amount_too_large',
					message: 'at most 1,000,000.00 per operation',
					limit: 100_000_000,
				},
			},
		);
		// Bring alice near the cap behind the ledger's back (no deposit path can reach it in a test).
		await store.transaction(async (transaction) => {
			const account = await transaction.findAccount('alice');
			await transaction.appendEntry({
				accountId: account!.id,
				kind: 'deposit',
				amount: Number.MAX_SAFE_INTEGER - 10,
				balanceAfter: Number.MAX_SAFE_INTEGER - 10,
				requestId: 'seed',
				counterpartyId: null,
				time: 0,
			});
		});
		expect(await alice.reply({op: 'deposit', requestId: 'cap', amount: 11})).toMatchObject({
			ok: false,
			error: {code: 'balance_limit'},
		});
		expect(await alice.reply({op: 'deposit', requestId: 'cap-2', amount: 10})).toMatchObject({
			ok: true,
			balance: Number.MAX_SAFE_INTEGER,
		});
	});

	it('transfers both sides at once, and refuses self, unknown and short transfers', async () => {
		const alice = await loggedIn();
		const bob = await loggedIn('bob');
		await alice.send({op: 'deposit', requestId: 'd', amount: 1000});
		expect(
			await alice.reply({op: 'transfer', requestId: 't-1', amount: 300, to: 'bob'}),
		).toMatchObject({
			ok: true,
			op: 'transfer',
			to: 'bob',
			amount: 300,
			balance: 700,
		});
		expect(await bob.reply({op: 'balance'})).toMatchObject({balance: 300});
		const bobHistory = await bob.reply({op: 'history'});
		expect(bobHistory).toMatchObject({
			ok: true,
			entries: [
				{
					kind: 'transfer_in',
					amount: 300,
					balanceAfter: 300,
					counterparty: 'alice',
					requestId: 't-1',
				},
			],
		});

		expect(
			await alice.reply({op: 'transfer', requestId: 't-2', amount: 1, to: 'alice'}),
		).toMatchObject({
			ok: false,
			error: {code: 'self_transfer'},
		});
		expect(
			await alice.reply({op: 'transfer', requestId: 't-3', amount: 1, to: 'carol'}),
		).toMatchObject({
			ok: false,
			error: {code: 'unknown_account', message: 'no account named carol', to: 'carol'},
		});
		expect(
			await alice.reply({op: 'transfer', requestId: 't-4', amount: 701, to: 'bob'}),
		).toMatchObject({
			ok: false,
			error: {code: 'insufficient_funds', balance: 700, amount: 701},
		});
		expect(await alice.reply({op: 'balance'})).toMatchObject({balance: 700});
		expect(await bob.reply({op: 'balance'})).toMatchObject({balance: 300});
	});

	it('answers a retried request id with the original result and applies it once', async () => {
		const alice = await loggedIn();
		const first = await alice.reply({op: 'deposit', requestId: 'd-1', amount: 500});
		await alice.send({op: 'withdraw', requestId: 'w-1', amount: 100});
		const retry = await alice.reply({op: 'deposit', requestId: 'd-1', amount: 500});
		expect({...retry, id: first.id}).toEqual(first);
		expect(await alice.reply({op: 'balance'})).toMatchObject({balance: 400});
		expect(events.filter((event) => event.kind === 'deposit')).toEqual([
			expect.objectContaining({requestId: 'd-1', replayed: false}),
			expect.objectContaining({requestId: 'd-1', replayed: true}),
		]);
	});

	it('refuses a request id reused for a different request (op, amount or target)', async () => {
		const alice = await loggedIn();
		await alice.send({op: 'deposit', requestId: 'r-1', amount: 500});
		for (const body of [
			{op: 'deposit', requestId: 'r-1', amount: 501},
			{op: 'withdraw', requestId: 'r-1', amount: 500},
			{op: 'transfer', requestId: 'r-1', amount: 500, to: 'bob'},
		] as const) {
			expect(await alice.reply(body)).toMatchObject({
				ok: false,
				error: {
					code: 'request_id_reused',
					message: 'request id r-1 was already used for a different request',
					requestId: 'r-1',
				},
			});
		}

		await alice.send({op: 'transfer', requestId: 't-1', amount: 100, to: 'bob'});
		await addAccount(store, 'carol', password, {scryptCost: TEST_SCRYPT_COST});
		expect(
			await alice.reply({op: 'transfer', requestId: 't-1', amount: 100, to: 'carol'}),
		).toMatchObject({
			ok: false,
			error: {code: 'request_id_reused'},
		});
		// Request ids belong to their account: bob may use r-1 for anything.
		const bob = await loggedIn('bob');
		expect(await bob.reply({op: 'withdraw', requestId: 'r-1', amount: 50})).toMatchObject({
			ok: true,
		});
		expect(await alice.reply({op: 'balance'})).toMatchObject({balance: 400});
	});
});

describe('history', () => {
	it('pages most recent first, 10 by default, following nextBefore to the end', async () => {
		const alice = await loggedIn();
		for (let index = 1; index <= 25; index++) {
			await alice.send({op: 'deposit', requestId: `d-${index}`, amount: index});
		}

		const pages: number[][] = [];
		let before: number | undefined;
		for (;;) {
			const {response} = await alice.send(
				before === undefined ? {op: 'history'} : {op: 'history', before},
			);
			if (!response.ok || response.op !== 'history') {
				throw new Error(JSON.stringify(response));
			}

			expect(response.balance).toBe(325);
			pages.push(response.entries.map((entry) => entry.amount));
			if (response.nextBefore === null) {
				break;
			}

			before = response.nextBefore;
		}

		const descending = (from: number, to: number) =>
			Array.from({length: from - to + 1}, (_, index) => from - index);
		expect(pages).toEqual([descending(25, 16), descending(15, 6), descending(5, 1)]);
		const limited = await alice.reply({op: 'history', limit: 3});
		expect(limited).toMatchObject({ok: true, nextBefore: 23});
		expect(limited.ok && limited.op === 'history' && limited.entries).toHaveLength(3);
	});

	it('shortens a page that would not fit one record, losing nothing', async () => {
		const longName = 'x'.repeat(32);
		await addAccount(store, longName, password, {scryptCost: TEST_SCRYPT_COST});
		const sender = await loggedIn(longName);
		await sender.send({op: 'deposit', requestId: 'seed', amount: 1_000_000});
		for (let index = 0; index < 120; index++) {
			const requestId = `${index}`.padStart(64, 'r');
			await sender.send({op: 'transfer', requestId, amount: 1, to: 'alice'});
		}

		const alice = await loggedIn();
		const seen = new Set<number>();
		let before: number | undefined;
		const pageSizes: number[] = [];
		for (;;) {
			const handled = await alice.session.handle(
				new TextEncoder().encode(
					JSON.stringify({
						id: 99,
						op: 'history',
						limit: 100,
						...(before === undefined ? {} : {before}),
					}),
				),
			);
			expect(handled.response.byteLength).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
			const response = JSON.parse(new TextDecoder().decode(handled.response)) as {
				entries: Array<{entryId: number}>;
				nextBefore: number | null;
			};
			pageSizes.push(response.entries.length);
			for (const entry of response.entries) {
				seen.add(entry.entryId);
			}

			if (response.nextBefore === null) {
				break;
			}

			before = response.nextBefore;
		}

		expect(seen.size).toBe(120);
		// 100 entries of this size would take ~22 KB: the first page was cut short.
		expect(pageSizes[0]).toBeLessThan(100);
		expect(pageSizes[0]).toBeGreaterThan(50);
	});
});

describe('sessions', () => {
	it('opens accounts over the network only when signup is allowed', async () => {
		const closed = makeClient(service.openSession('p'));
		expect(await closed.reply({op: 'signup', name: 'carol', password})).toMatchObject({
			ok: false,
			error: {code: 'signup_disabled'},
		});
		await service.close();
		store = openFastStore(temporary.folder);
		start(true);
		const open = makeClient(service.openSession('p'));
		expect(await open.reply({op: 'signup', name: 'carol', password})).toEqual({
			id: 1,
			ok: true,
			op: 'signup',
			name: 'carol',
			balance: 0,
		});
		expect(await open.reply({op: 'balance'})).toMatchObject({ok: true, name: 'carol'});
		const other = makeClient(service.openSession('q'));
		expect(await other.reply({op: 'signup', name: 'carol', password})).toMatchObject({
			ok: false,
			error: {code: 'name_taken', message: 'an account named carol already exists'},
		});
	});

	it('keeps a session usable after malformed requests, and closes it at the fifth in a row', async () => {
		const alice = await loggedIn();
		for (let round = 1; round <= 4; round++) {
			const {response, close} = await alice.sendRaw('{"id": 5, "op": "steal"}');
			expect(response).toMatchObject({id: 5, ok: false, error: {code: 'unknown_op'}});
			expect(close).toBe(false);
		}

		// A good request in between starts the count again.
		expect(await alice.reply({op: 'balance'})).toMatchObject({ok: true});
		for (let round = 1; round <= 4; round++) {
			const {close} = await alice.sendRaw('not json');
			expect(close).toBe(false);
		}

		const fifth = await alice.sendRaw(
			'{"id": 1, "op": "deposit", "requestId": "x", "amount": 1.5}',
		);
		expect(fifth.close).toBe(true);
		expect(fifth.response).toEqual({
			id: 1,
			ok: false,
			error: {
				code: 'too_many_malformed',
				message:
					'5 malformed requests in a row, the last: "amount" must be a whole number of cents; closing the session',
			},
		});
		const afterClose = await alice.send({op: 'balance'});
		expect(afterClose.close).toBe(true);
	});

	it('tells anyone, logged in or not, whether signup is open and the per-operation limit', async () => {
		const client = makeClient(service.openSession('p'));
		expect(await client.reply({op: 'info'})).toEqual({
			id: 1,
			ok: true,
			op: 'info',
			signup: false,
			maxAmount: 100_000_000,
		});
	});

	it('logs out, after which nothing is served', async () => {
		const alice = await loggedIn();
		expect(await alice.reply({op: 'logout'})).toEqual({id: 2, ok: true, op: 'logout'});
		expect(await alice.reply({op: 'balance'})).toMatchObject({
			error: {code: 'not_logged_in'},
		});
	});

	it('answers requests sent back to back in order', async () => {
		const client = makeClient(service.openSession('p'));
		const [login, deposit, balance] = await Promise.all([
			client.send({op: 'login', name: 'alice', password}),
			client.send({op: 'deposit', requestId: 'd', amount: 5}),
			client.send({op: 'balance'}),
		]);
		expect([login.response.ok, deposit.response.ok, balance.response]).toEqual([
			true,
			true,
			expect.objectContaining({balance: 5}),
		]);
	});

	it('reports money movements and refusals to the activity log', async () => {
		const alice = await loggedIn();
		await alice.send({op: 'deposit', requestId: 'd', amount: 700});
		await alice.send({op: 'transfer', requestId: 't', amount: 200, to: 'bob'});
		await alice.send({op: 'withdraw', requestId: 'w', amount: 9000});
		await alice.sendRaw('{}');
		expect(events).toEqual([
			{kind: 'login', peer: 'peer-alice', account: 'alice'},
			{
				kind: 'deposit',
				peer: 'peer-alice',
				account: 'alice',
				requestId: 'd',
				amount: 700,
				balance: 700,
				replayed: false,
			},
			{
				kind: 'transfer',
				peer: 'peer-alice',
				account: 'alice',
				to: 'bob',
				requestId: 't',
				amount: 200,
				balance: 500,
				replayed: false,
			},
			{
				kind: 'refused',
				peer: 'peer-alice',
				account: 'alice',
				op: 'withdraw',
				code: 'insufficient_funds',
				message: 'insufficient funds: the balance is 5.00, the amount 90.00',
			},
			{
				kind: 'refused',
				peer: 'peer-alice',
				account: 'alice',
				op: null,
				code: 'invalid_field',
				message: '"id" is missing',
			},
		]);
	});

	it('refuses new requests once closing, and closes the store after running ones', async () => {
		const alice = await loggedIn();
		const deposit = alice.send({op: 'deposit', requestId: 'd', amount: 5});
		const closing = service.close();
		const {response} = await deposit;
		expect(response).toMatchObject({ok: true, balance: 5});
		await closing;
		const after = await alice.sendRaw(new TextEncoder().encode('{"id": 3, "op": "balance"}'));
		expect(after).toEqual({
			response: {
				id: 3,
				ok: false,
				error: {code: 'shutting_down', message: 'the bank is shutting down'},
			},
			close: true,
		});
		await expect(store.findAccount('alice')).rejects.toThrow('closed');
	});
});

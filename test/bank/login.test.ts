/**
 * Logging in through a BankSession, as a client sees it: the same answer (and the same scrypt
 * work) for an unknown name as for a wrong password, the lockout after five failures with an
 * injected clock, and nothing served before login.
 */
import type * as NodeCrypto from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import type {BankActivity} from '../../source/bank/activity.js';
import {addAccount, listAccounts} from '../../source/bank/accounts.js';
import {createBankService, type BankService} from '../../source/bank/service.js';
import {LEDGER_FILE_NAME, type SqliteLedgerStore} from '../../source/bank/store-sqlite.js';
import {
	makeClient,
	makeClock,
	makeTempFolder,
	openFastStore,
	TEST_SCRYPT_COST,
} from './bank-fixtures.js';

// Counts scrypt runs (passing each through to the real one) to compare the work behind answers.
const scryptRuns = vi.hoisted(() => ({count: 0}));
vi.mock('node:crypto', async (importOriginal) => {
	const original = await importOriginal<typeof NodeCrypto>();
	const scrypt = (...parameters: Parameters<typeof original.scrypt>) => {
		scryptRuns.count += 1;
		(original.scrypt as (...values: unknown[]) => void)(...parameters);
	};

	return {...original, scrypt};
});

const password = 'correct horse battery';
const fifteenMinutes = 15 * 60 * 1000;

let temporary: ReturnType<typeof makeTempFolder>;
let store: SqliteLedgerStore;
let clock: ReturnType<typeof makeClock>;
let service: BankService;
let events: BankActivity[];

function startService(options: {lockoutMs?: number; maxFailures?: number} = {}) {
	service = createBankService({
		store,
		allowSignup: false,
		now: clock.now,
		scryptCost: TEST_SCRYPT_COST,
		...options,
	});
	events = [];
	service.onActivity((event) => {
		events.push(event);
	});
	return makeClient(service.openSession('198.51.100.7:40000'));
}

beforeEach(async () => {
	temporary = makeTempFolder();
	store = openFastStore(temporary.folder);
	clock = makeClock();
	await addAccount(store, 'alice', password, {scryptCost: TEST_SCRYPT_COST, now: clock.now});
});

afterEach(async () => {
	await service.close();
	temporary.remove();
});

async function scryptRunsFor(work: () => Promise<unknown>): Promise<number> {
	const before = scryptRuns.count;
	await work();
	return scryptRuns.count - before;
}

describe('login', () => {
	it('serves nothing before login but login and signup', async () => {
		const client = startService();
		for (const body of [
			{op: 'balance'},
			{op: 'history'},
			{op: 'deposit', requestId: 'd', amount: 5},
			{op: 'withdraw', requestId: 'w', amount: 5},
			{op: 'transfer', requestId: 't', amount: 5, to: 'bob'},
			{op: 'logout'},
		] as const) {
			const {response, close} = await client.send(body);
			expect(response).toMatchObject({
				ok: false,
				error: {code: 'not_logged_in', message: 'log in first'},
			});
			expect(close).toBe(false);
		}
	});

	it('logs in with the right password and reports the balance', async () => {
		const client = startService();
		const {response} = await client.send({op: 'login', name: 'alice', password});
		expect(response).toEqual({id: 1, ok: true, op: 'login', name: 'alice', balance: 0});
		expect(client.session.account).toBe('alice');
		expect(await client.reply({op: 'balance'})).toMatchObject({ok: true, balance: 0});
		expect(await client.reply({op: 'login', name: 'alice', password})).toMatchObject({
			ok: false,
			error: {code: 'already_logged_in'},
		});
	});

	it('answers an unknown name exactly as a wrong password, after the same scrypt work', async () => {
		const client = startService();
		let wrongPassword: unknown;
		let unknownName: unknown;
		const wrongRuns = await scryptRunsFor(async () => {
			wrongPassword = await client.reply({op: 'login', name: 'alice', password: 'wrong one'});
		});
		const unknownRuns = await scryptRunsFor(async () => {
			unknownName = await client.reply({op: 'login', name: 'mallory', password: 'wrong one'});
		});
		const expected = {ok: false, error: {code: 'login_failed', message: 'wrong name or password'}};
		expect(wrongPassword).toEqual({id: 1, ...expected});
		expect(unknownName).toEqual({id: 2, ...expected});
		expect(wrongRuns).toBe(1);
		expect(unknownRuns).toBe(wrongRuns);
		expect(client.session.account).toBeUndefined();
	});

	it('writes a failure count for an unknown name as for a wrong password (the same commit)', async () => {
		const client = startService();
		const read = (sql: string): unknown => {
			const database = new Database(path.join(temporary.folder, LEDGER_FILE_NAME), {
				readonly: true,
			});
			try {
				return database.prepare(sql).pluck().get();
			} finally {
				database.close();
			}
		};

		expect(read('SELECT unknown_name_failures FROM login_audit')).toBe(0);
		await client.reply({op: 'login', name: 'alice', password: 'wrong one'});
		expect(read("SELECT failed_logins FROM accounts WHERE name = 'alice'")).toBe(1);
		await client.reply({op: 'login', name: 'mallory', password: 'wrong one'});
		expect(read('SELECT unknown_name_failures FROM login_audit')).toBe(1);
	});

	it('locks the account after 5 consecutive failures until the period is over', async () => {
		const client = startService();
		for (let attempt = 1; attempt <= 4; attempt++) {
			const {response} = await client.send({
				op: 'login',
				name: 'alice',
				password: `guess ${attempt}`,
			});
			expect(response).toMatchObject({ok: false, error: {code: 'login_failed'}});
		}

		const lockedUntil = new Date(clock.now() + fifteenMinutes).toISOString();
		const locked = {
			ok: false,
			error: {
				code: 'account_locked',
				message: `too many failed logins: the account is locked until ${lockedUntil}`,
				lockedUntil,
			},
		};
		const fifth = await client.send({op: 'login', name: 'alice', password: 'guess 5'});
		expect(fifth.response).toEqual({id: 5, ...locked});
		expect(fifth.close).toBe(false);

		// Even the right password is refused now, and without checking it.
		let rightPassword: unknown;
		const runs = await scryptRunsFor(async () => {
			rightPassword = await client.reply({op: 'login', name: 'alice', password});
		});
		expect(rightPassword).toEqual({id: 6, ...locked});
		expect(runs).toBe(0);
		expect(await listAccounts(store, clock.now())).toEqual([
			expect.objectContaining({name: 'alice', lockedUntil: new Date(lockedUntil)}),
		]);

		clock.advance(fifteenMinutes - 1);
		expect(await client.reply({op: 'login', name: 'alice', password})).toEqual({
			id: 7,
			...locked,
		});

		clock.advance(1);
		expect(await client.reply({op: 'login', name: 'alice', password})).toMatchObject({
			ok: true,
			name: 'alice',
		});
		const [alice] = await listAccounts(store, clock.now());
		expect(alice).not.toHaveProperty('lockedUntil');
	});

	it('starts counting again after the lock: one failure is not a new lock', async () => {
		const client = startService();
		for (let attempt = 1; attempt <= 5; attempt++) {
			await client.send({op: 'login', name: 'alice', password: 'nope'});
		}

		clock.advance(fifteenMinutes);
		const {response} = await client.send({op: 'login', name: 'alice', password: 'nope'});
		expect(response).toMatchObject({ok: false, error: {code: 'login_failed'}});
	});

	it('counts consecutive failures only: a success resets the count', async () => {
		const client = startService();
		const fail = async () => client.reply({op: 'login', name: 'alice', password: 'nope'});
		for (let attempt = 1; attempt <= 4; attempt++) {
			await fail();
		}

		await client.send({op: 'login', name: 'alice', password});
		await client.send({op: 'logout'});
		for (let attempt = 1; attempt <= 4; attempt++) {
			expect(await fail()).toMatchObject({ok: false, error: {code: 'login_failed'}});
		}
	});

	it('takes the lockout period and the failure count from its options', async () => {
		const client = startService({lockoutMs: 1000, maxFailures: 2});
		await client.send({op: 'login', name: 'alice', password: 'nope'});
		const second = await client.send({op: 'login', name: 'alice', password: 'nope'});
		expect(second.response).toMatchObject({
			ok: false,
			error: {code: 'account_locked', lockedUntil: new Date(clock.now() + 1000).toISOString()},
		});
		clock.advance(1000);
		expect(await client.reply({op: 'login', name: 'alice', password})).toMatchObject({
			ok: true,
		});
	});

	it('never locks, or otherwise tells apart, a name that does not exist', async () => {
		const client = startService();
		for (let attempt = 1; attempt <= 7; attempt++) {
			const {response} = await client.send({op: 'login', name: 'nobody', password: 'nope'});
			expect(response).toMatchObject({ok: false, error: {code: 'login_failed'}});
		}
	});

	it('reports logins to the activity log without any password', async () => {
		const client = startService();
		await client.send({op: 'login', name: 'alice', password: 'not the password'});
		await client.send({op: 'login', name: 'alice', password});
		expect(events).toEqual([
			{kind: 'login-failed', peer: '198.51.100.7:40000', name: 'alice'},
			{kind: 'login', peer: '198.51.100.7:40000', account: 'alice'},
		]);
		expect(JSON.stringify(events)).not.toContain('password');
		expect(JSON.stringify(events)).not.toContain(password);
	});
});

/**
 * The ledger in its own thread (ledger-thread.ts): the same outcomes as the ledger on the caller's
 * thread, calls grouped into shared commits, every acknowledged operation on disk, and clean
 * failures when the thread cannot open its ledger or has been closed.
 */
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {addAccount} from '../../source/bank/accounts.js';
import {openLedgerThread, type ThreadLedger} from '../../source/bank/ledger-thread.js';
import {LEDGER_FILE_NAME, openSqliteLedgerStore} from '../../source/bank/store-sqlite.js';
import {makeTempFolder, TEST_SCRYPT_COST} from './bank-fixtures.js';

let temporary: ReturnType<typeof makeTempFolder>;
let ledger: ThreadLedger | undefined;

beforeEach(async () => {
	temporary = makeTempFolder();
	const store = openSqliteLedgerStore(temporary.folder);
	await addAccount(store, 'alice', 'password!', {scryptCost: TEST_SCRYPT_COST});
	await addAccount(store, 'bob', 'password!', {scryptCost: TEST_SCRYPT_COST});
	await store.close();
});

afterEach(async () => {
	await ledger?.close();
	ledger = undefined;
	temporary.remove();
});

async function open(): Promise<ThreadLedger> {
	ledger = await openLedgerThread({
		dataDirectory: temporary.folder,
		scryptCost: TEST_SCRYPT_COST,
	});
	return ledger;
}

describe('the ledger thread', () => {
	it('logs in, moves money and answers as the ledger does', async () => {
		const thread = await open();
		expect(thread.file).toBe(path.join(temporary.folder, LEDGER_FILE_NAME));
		expect(await thread.login('alice', 'password!')).toMatchObject({ok: true, op: 'login'});
		expect(await thread.login('alice', 'wrong password')).toMatchObject({
			ok: false,
			error: {code: 'login_failed'},
		});

		const deposit = await thread.deposit('alice', 'd-1', 10_000);
		expect(deposit).toMatchObject({
			replayed: false,
			outcome: {ok: true, op: 'deposit', balance: 10_000},
		});
		expect(await thread.withdraw('alice', 'w-1', 20_000)).toMatchObject({
			outcome: {ok: false, error: {code: 'insufficient_funds'}},
		});
		expect(await thread.transfer('alice', 't-1', 2500, 'bob')).toMatchObject({
			outcome: {ok: true, balance: 7500},
		});
		// A retry gets the first answer back and applies nothing.
		expect(await thread.deposit('alice', 'd-1', 10_000)).toEqual({...deposit, replayed: true});
		expect(await thread.deposit('alice', 'd-1', 9999)).toMatchObject({
			outcome: {ok: false, error: {code: 'request_id_reused'}},
		});
		expect(await thread.balance('alice')).toMatchObject({ok: true, balance: 7500});
		expect(await thread.balance('bob')).toMatchObject({ok: true, balance: 2500});
		const page = await thread.history('alice', {limit: 1});
		expect(page).toMatchObject({ok: true, nextBefore: expect.any(Number) as number});
		const history = await thread.history('alice');
		expect(history.ok && history.entries.map((entry) => entry.kind)).toEqual([
			'transfer_out',
			'deposit',
		]);
	});

	it('groups concurrent calls into shared commits, and every acknowledged one is on disk', async () => {
		const thread = await open();
		const results = await Promise.all(
			Array.from({length: 200}, async (_, index) => thread.deposit('alice', `d-${index}`, 100)),
		);
		expect(results.every((result) => result.outcome.ok)).toBe(true);
		const stats = thread.commitStats();
		expect(stats.items).toBe(200);
		expect(stats.transactions).toBeLessThan(200);
		expect(stats.largestBatch).toBeGreaterThan(1);
		await thread.close();
		ledger = undefined;

		const database = new Database(path.join(temporary.folder, LEDGER_FILE_NAME), {readonly: true});
		try {
			const row = database.prepare("SELECT balance FROM accounts WHERE name = 'alice'").get() as {
				balance: number;
			};
			expect(row.balance).toBe(200 * 100);
			expect((database.prepare('SELECT count(*) AS n FROM journal').get() as {n: number}).n).toBe(
				200,
			);
		} finally {
			database.close();
		}
	});

	it('refuses calls once closed, and closing twice is harmless', async () => {
		const thread = await open();
		await thread.close();
		await thread.close();
		ledger = undefined;
		await expect(thread.balance('alice')).rejects.toThrow(/stopped|closing/);
	});

	it('fails to open, naming why, when the data folder is not a folder', async () => {
		const notAFolder = path.join(temporary.folder, 'a-file');
		writeFileSync(notAFolder, 'not a folder');
		await expect(openLedgerThread({dataDirectory: notAFolder})).rejects.toThrow(/a-file/);
	});
});

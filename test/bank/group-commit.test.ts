/**
 * Group commit: concurrent mutations share transactions without changing any outcome, never
 * overdraw, and are never acknowledged before their transaction is committed.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {addAccount} from '../../source/bank/accounts.js';
import {createGroupCommitter} from '../../source/bank/group-commit.js';
import {createLedger, type Ledger} from '../../source/bank/ledger.js';
import type {LedgerStore} from '../../source/bank/store.js';
import {LEDGER_FILE_NAME, type SqliteLedgerStore} from '../../source/bank/store-sqlite.js';
import {makeTempFolder, openFastStore, TEST_SCRYPT_COST} from './bank-fixtures.js';

let temporary: ReturnType<typeof makeTempFolder>;
let store: SqliteLedgerStore;

beforeEach(async () => {
	temporary = makeTempFolder();
	store = openFastStore(temporary.folder);
	await addAccount(store, 'alice', 'password!', {scryptCost: TEST_SCRYPT_COST});
	await addAccount(store, 'bob', 'password!', {scryptCost: TEST_SCRYPT_COST});
});

afterEach(async () => {
	await store.close();
	temporary.remove();
});

/** Deterministic amounts 1..2000 cents (a small LCG), so that runs are comparable. */
function amounts(count: number, seed = 7): number[] {
	const result: number[] = [];
	let state = seed;
	for (let index = 0; index < count; index++) {
		state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
		result.push(1 + (state % 2000));
	}

	return result;
}

async function balanceOf(name: string): Promise<number | undefined> {
	const account = await store.findAccount(name);
	return account?.balance;
}

async function withdrawAll(ledger: Ledger, values: readonly number[]) {
	return Promise.all(
		values.map(async (amount, index) => ledger.withdraw('alice', `w-${index}`, amount)),
	);
}

describe('group commit', () => {
	it('200 concurrent withdrawals never overdraw and equal serial application', async () => {
		const ledger = createLedger({store, scryptCost: TEST_SCRYPT_COST});
		const opening = 100_000;
		await ledger.deposit('alice', 'opening', opening);
		const values = amounts(200);
		const results = await withdrawAll(ledger, values);

		// The serial model: in arrival order, each against the balance the previous ones left.
		let balance = opening;
		for (const [index, amount] of values.entries()) {
			const {outcome} = results[index]!;
			if (amount <= balance) {
				balance -= amount;
				expect(outcome).toMatchObject({ok: true, balance});
			} else {
				expect(outcome).toMatchObject({ok: false, error: {code: 'insufficient_funds', balance}});
			}
		}

		expect(balance).toBeGreaterThanOrEqual(0);
		expect(results.some((result) => !result.outcome.ok)).toBe(true);
		expect(await ledger.balance('alice')).toMatchObject({ok: true, balance});
		// Grouped: far fewer transactions than withdrawals (the deposit had one of its own).
		expect(ledger.commitStats().transactions).toBeLessThanOrEqual(3);
		expect(ledger.commitStats().largestBatch).toBeGreaterThan(50);
	});

	it('with grouping off (batch size 1) gives the very same outcomes, one transaction each', async () => {
		const values = amounts(60, 11);
		const grouped = createLedger({store, scryptCost: TEST_SCRYPT_COST});
		await grouped.deposit('alice', 'opening', 30_000);
		const groupedResults = await withdrawAll(grouped, values);

		const other = makeTempFolder();
		const otherStore = openFastStore(other.folder);
		try {
			await addAccount(otherStore, 'alice', 'password!', {scryptCost: TEST_SCRYPT_COST});
			await addAccount(otherStore, 'bob', 'password!', {scryptCost: TEST_SCRYPT_COST});
			const single = createLedger({store: otherStore, scryptCost: TEST_SCRYPT_COST, maxBatch: 1});
			await single.deposit('alice', 'opening', 30_000);
			const singleResults = await withdrawAll(single, values);
			// Time differs between runs; everything else (entry ids included) must not.
			expect(singleResults).toEqual(groupedResults);
			expect(single.commitStats()).toEqual({transactions: 61, items: 61, largestBatch: 1});
			expect(grouped.commitStats().transactions).toBeLessThan(10);
		} finally {
			await otherStore.close();
			other.remove();
		}
	});

	it('concurrent transfers both ways conserve money and overdraw nobody', async () => {
		const ledger = createLedger({store, scryptCost: TEST_SCRYPT_COST});
		await ledger.deposit('alice', 'a', 5000);
		await ledger.deposit('bob', 'b', 5000);
		const values = amounts(100, 3);
		const results = await Promise.all(
			values.map(async (amount, index) =>
				index % 2 === 0
					? ledger.transfer('alice', `t-${index}`, amount, 'bob')
					: ledger.transfer('bob', `t-${index}`, amount, 'alice'),
			),
		);
		expect(results.filter((result) => result.outcome.ok).length).toBeGreaterThan(0);
		const alice = await ledger.balance('alice');
		const bob = await ledger.balance('bob');
		expect(alice.ok && bob.ok && alice.balance + bob.balance).toBe(10_000);
		expect(alice.ok && alice.balance).toBeGreaterThanOrEqual(0);
		expect(bob.ok && bob.balance).toBeGreaterThanOrEqual(0);
	});

	it('acknowledges nothing before its transaction is committed', async () => {
		const ledger = createLedger({store, scryptCost: TEST_SCRYPT_COST});
		await ledger.deposit('alice', 'opening', 1000);
		// A second connection sees only committed rows.
		const observer = new Database(path.join(temporary.folder, LEDGER_FILE_NAME), {readonly: true});
		try {
			const committed = observer.prepare<[number], {id: number}>(
				'SELECT id FROM journal WHERE id = ?',
			);
			const checks = Array.from({length: 50}, async (_, index) => {
				const {outcome} = await ledger.withdraw('alice', `w-${index}`, 10);
				// Runs as soon as the promise resolves: the entry must already be visible to others.
				expect(outcome.ok).toBe(true);
				if (outcome.ok) {
					expect(committed.get(outcome.entryId)).toEqual({id: outcome.entryId});
				}
			});
			await Promise.all(checks);
		} finally {
			observer.close();
		}
	});

	it('an item that throws undoes only its own writes; the others commit', async () => {
		const committer = createGroupCommitter(store);
		const alice = await store.findAccount('alice');
		if (!alice) {
			throw new Error('alice is missing');
		}

		const entry = (amount: number, requestId: string) => ({
			accountId: alice.id,
			kind: 'deposit' as const,
			amount,
			balanceAfter: amount,
			requestId,
			counterpartyId: null,
			time: 0,
		});
		const results = await Promise.allSettled([
			committer.submit(async (transaction) => transaction.appendEntry(entry(100, 'first'))),
			committer.submit(async (transaction) => {
				await transaction.appendEntry(entry(200, 'second'));
				throw new Error('the rules refused this one half way');
			}),
			committer.submit(async (transaction) => transaction.appendEntry(entry(300, 'third'))),
		]);
		expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
		expect(committer.stats()).toEqual({transactions: 1, items: 3, largestBatch: 3});
		const journal = (await store.history(alice.id, {limit: 10}))!;
		expect(journal.map((record) => record.requestId)).toEqual(['third', 'first']);
		expect(await balanceOf('alice')).toBe(300);
	});

	it('a failed commit rejects every item of its batch and applies none', async () => {
		const failing: LedgerStore = {
			...store,
			async transaction(work) {
				return store.transaction(async (transaction) => {
					await work(transaction);
					throw new Error('disk full');
				});
			},
		};
		const ledger = createLedger({store: failing, scryptCost: TEST_SCRYPT_COST});
		const results = await Promise.allSettled([
			ledger.deposit('alice', 'd1', 100),
			ledger.deposit('bob', 'd2', 100),
		]);
		expect(results).toEqual([
			{status: 'rejected', reason: new Error('disk full')},
			{status: 'rejected', reason: new Error('disk full')},
		]);
		expect(await balanceOf('alice')).toBe(0);
		expect(await balanceOf('bob')).toBe(0);
	});
});

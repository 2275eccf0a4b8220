/**
 * The ledger's invariants over random operation sequences, on a real SQLite store in a temporary
 * folder: every balance is the sum of its journal, no balance is ever negative, money only enters
 * and leaves through deposits and withdrawals, every outcome equals a plain serial model's, and a
 * retried request id changes nothing and gets the original outcome back. Each sequence runs once
 * awaiting every operation and once firing them all at once (group commit).
 */
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {addAccount} from '../../source/bank/accounts.js';
import {createLedger, type Ledger} from '../../source/bank/ledger.js';
import {MAX_AMOUNT_CENTS} from '../../source/bank/money.js';
import type {BankErrorCode} from '../../source/bank/outcomes.js';
import type {LedgerStore} from '../../source/bank/store.js';
import {makeTempFolder, openFastStore, TEST_SCRYPT_COST} from './bank-fixtures.js';

const names = ['alice', 'bob', 'carol'] as const;
type Name = (typeof names)[number];

type Operation =
	| {
			readonly op: 'deposit' | 'withdraw';
			readonly account: Name;
			readonly requestId: string;
			readonly amount: number;
	  }
	| {
			readonly op: 'transfer';
			readonly account: Name;
			readonly to: Name;
			readonly requestId: string;
			readonly amount: number;
	  };

/** What a caller sees of an outcome, comparable between the ledger and the model. */
type Seen = {
	readonly ok: boolean;
	readonly code?: BankErrorCode;
	readonly balance?: number;
	readonly replayed: boolean;
};

const amount = fc.oneof(
	{weight: 8, arbitrary: fc.integer({min: 1, max: 5000})},
	{weight: 1, arbitrary: fc.constantFrom(MAX_AMOUNT_CENTS, MAX_AMOUNT_CENTS + 1)},
);
// A small pool of ids, so that retries (same request) and reuses (different request) are common.
const requestId = fc.constantFrom('r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7');
const account = fc.constantFrom(...names);

const operation: fc.Arbitrary<Operation> = fc.oneof(
	fc.record({op: fc.constantFrom('deposit' as const), account, requestId, amount}),
	fc.record({op: fc.constantFrom('withdraw' as const), account, requestId, amount}),
	fc.record({op: fc.constantFrom('transfer' as const), account, to: account, requestId, amount}),
);

/** The ledger's rules, written the obvious way: one operation after another, in memory. */
function makeModel() {
	const balances = new Map<Name, number>(names.map((name) => [name, 0]));
	const requests = new Map<string, {fingerprint: string; seen: Seen}>();
	return {
		balances,
		apply(operation: Operation): Seen {
			if (operation.op === 'transfer' && operation.to === operation.account) {
				return {ok: false, code: 'self_transfer', replayed: false};
			}

			if (operation.amount > MAX_AMOUNT_CENTS) {
				return {ok: false, code: 'amount_too_large', replayed: false};
			}

			const key = `${operation.account}/${operation.requestId}`;
			const fingerprint = JSON.stringify([
				operation.op,
				operation.amount,
				operation.op === 'transfer' ? operation.to : null,
			]);
			const earlier = requests.get(key);
			if (earlier) {
				return earlier.fingerprint === fingerprint
					? {...earlier.seen, replayed: true}
					: {ok: false, code: 'request_id_reused', replayed: false};
			}

			const balance = balances.get(operation.account) ?? 0;
			let seen: Seen;
			if (operation.op === 'deposit') {
				balances.set(operation.account, balance + operation.amount);
				seen = {ok: true, balance: balance + operation.amount, replayed: false};
			} else if (operation.amount > balance) {
				seen = {ok: false, code: 'insufficient_funds', replayed: false};
			} else {
				balances.set(operation.account, balance - operation.amount);
				if (operation.op === 'transfer') {
					balances.set(operation.to, (balances.get(operation.to) ?? 0) + operation.amount);
				}

				seen = {ok: true, balance: balance - operation.amount, replayed: false};
			}

			requests.set(key, {fingerprint, seen});
			return seen;
		},
	};
}

async function run(ledger: Ledger, operation: Operation) {
	switch (operation.op) {
		case 'deposit': {
			return ledger.deposit(operation.account, operation.requestId, operation.amount);
		}

		case 'withdraw': {
			return ledger.withdraw(operation.account, operation.requestId, operation.amount);
		}

		case 'transfer': {
			return ledger.transfer(
				operation.account,
				operation.requestId,
				operation.amount,
				operation.to,
			);
		}
	}
}

type Ran = Awaited<ReturnType<typeof run>>;

function seenOf({outcome, replayed}: Ran): Seen {
	return outcome.ok
		? {ok: true, balance: outcome.balance, replayed}
		: {ok: false, code: outcome.error.code, replayed};
}

async function balancesOf(store: LedgerStore): Promise<Map<string, number>> {
	const accounts = await store.listAccounts();
	return new Map(accounts.map((account) => [account.name, account.balance]));
}

/** Checks each account's journal against its balance, entry by entry; returns the entry count. */
async function checkJournals(store: LedgerStore): Promise<number> {
	let entries = 0;
	for (const account of await store.listAccounts()) {
		const newestFirst = (await store.history(account.id, {limit: 1_000_000}))!;
		let running = 0;
		for (let index = newestFirst.length - 1; index >= 0; index--) {
			const entry = newestFirst[index]!;
			running +=
				entry.kind === 'deposit' || entry.kind === 'transfer_in' ? entry.amount : -entry.amount;
			expect(entry.amount).toBeGreaterThan(0);
			expect(entry.balanceAfter).toBe(running);
			expect(entry.balanceAfter).toBeGreaterThanOrEqual(0);
		}

		expect(account.balance).toBe(running);
		entries += newestFirst.length;
	}

	return entries;
}

async function withLedger(
	maxBatch: number,
	test: (ledger: Ledger, store: LedgerStore) => Promise<void>,
): Promise<void> {
	const temporary = makeTempFolder();
	const store = openFastStore(temporary.folder);
	try {
		for (const name of names) {
			await addAccount(store, name, 'password!', {scryptCost: TEST_SCRYPT_COST});
		}

		await test(createLedger({store, scryptCost: TEST_SCRYPT_COST, maxBatch}), store);
	} finally {
		await store.close();
		temporary.remove();
	}
}

/** Runs the operations one after another, or all in the same event-loop turn. */
async function runAll(
	ledger: Ledger,
	operations: readonly Operation[],
	allAtOnce: boolean,
): Promise<Ran[]> {
	if (allAtOnce) {
		return Promise.all(operations.map(async (operation) => run(ledger, operation)));
	}

	const results: Ran[] = [];
	for (const operation of operations) {
		results.push(await run(ledger, operation));
	}

	return results;
}

async function checkAgainstModel(
	ledger: Ledger,
	store: LedgerStore,
	operations: readonly Operation[],
	allAtOnce: boolean,
): Promise<void> {
	const model = makeModel();
	const expected = operations.map((operation) => model.apply(operation));
	const results = await runAll(ledger, operations, allAtOnce);
	expect(results.map((result) => seenOf(result))).toEqual(expected);
	for (const result of results) {
		if (result.outcome.ok) {
			expect(result.outcome.balance).toBeGreaterThanOrEqual(0);
		}
	}

	const balances = await balancesOf(store);
	expect(balances).toEqual(model.balances);
	await checkJournals(store);

	// Money enters only by deposits and leaves only by withdrawals.
	let netInflow = 0;
	for (const [index, result] of results.entries()) {
		const operation = operations[index];
		if (result.outcome.ok && !result.replayed && operation?.op === 'deposit') {
			netInflow += operation.amount;
		} else if (result.outcome.ok && !result.replayed && operation?.op === 'withdraw') {
			netInflow -= operation.amount;
		}
	}

	const total = [...balances.values()].reduce((sum, balance) => sum + balance, 0);
	expect(total).toBe(netInflow);
}

/** Refusals of the request itself, which are not stored (a retry gets them afresh). */
const unstoredRefusals = new Set<BankErrorCode>([
	'amount_too_large',
	'self_transfer',
	'request_id_reused',
]);

async function checkReplays(
	ledger: Ledger,
	store: LedgerStore,
	operations: readonly Operation[],
	allAtOnce: boolean,
): Promise<void> {
	const first = new Map<string, {operation: Operation; result: Ran}>();
	for (const operation of operations) {
		const result = await run(ledger, operation);
		const key = `${operation.account}/${operation.requestId}`;
		const stored = result.outcome.ok || !unstoredRefusals.has(result.outcome.error.code);
		if (stored && !first.has(key)) {
			first.set(key, {operation, result});
		}
	}

	const balancesBefore = await balancesOf(store);
	const entriesBefore = await checkJournals(store);
	const originals = [...first.values()];
	const replays = await runAll(
		ledger,
		originals.map(({operation}) => operation),
		allAtOnce,
	);
	expect(replays).toEqual(originals.map(({result}) => ({outcome: result.outcome, replayed: true})));
	expect(await balancesOf(store)).toEqual(balancesBefore);
	expect(await checkJournals(store)).toBe(entriesBefore);
}

/** Random operations with exact copies (retries) of some of them spliced in at random places. */
const sequence = fc
	.tuple(
		fc.array(operation, {minLength: 1, maxLength: 30}),
		fc.array(fc.tuple(fc.nat(), fc.nat()), {maxLength: 10}),
	)
	.map(([operations, copies]) => {
		const withRetries = [...operations];
		for (const [which, where] of copies) {
			const copy = operations[which % operations.length]!;
			withRetries.splice(where % (withRetries.length + 1), 0, copy);
		}

		return withRetries;
	});
const batchSize = fc.constantFrom(1, 3, 256);

describe('ledger properties', () => {
	it.each(['one at a time', 'all at once'] as const)(
		'%s: outcomes equal the serial model, journals add up, nothing negative, money is conserved',
		async (mode) => {
			await fc.assert(
				fc.asyncProperty(sequence, batchSize, async (operations, maxBatch) =>
					withLedger(maxBatch, async (ledger, store) =>
						checkAgainstModel(ledger, store, operations, mode === 'all at once'),
					),
				),
				{numRuns: 30},
			);
		},
	);

	it('replaying any request id changes nothing and returns the original outcome', async () => {
		await fc.assert(
			fc.asyncProperty(sequence, batchSize, fc.boolean(), async (operations, maxBatch, allAtOnce) =>
				withLedger(maxBatch, async (ledger, store) =>
					checkReplays(ledger, store, operations, allAtOnce),
				),
			),
			{numRuns: 30},
		);
	});
});

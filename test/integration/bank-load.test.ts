/**
 * The bank through the whole stack, over real sockets: many customers at once, and a server
 * killed with SIGKILL in the middle of the load (issue 3's durability test).
 */
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {listAccounts} from '../../source/bank/accounts.js';
import {LEDGER_FILE_NAME, openSqliteLedgerStore} from '../../source/bank/store-sqlite.js';
import type {BankResponse} from '../../source/bank/wire.js';
import type {BankClient} from '../../source/net/bank-client.js';
import {startBankServer} from '../../source/net/bank-server.js';
import {bankClient, random, startServerProcess, type Operation} from '../helpers/bank-fixtures.js';

const directories: string[] = [];
function temporaryDirectory(): string {
	const directory = mkdtempSync(join(tmpdir(), 'securebank-load-'));
	directories.push(directory);
	return directory;
}

afterAll(() => {
	for (const directory of directories) rmSync(directory, {recursive: true, force: true});
});

const password = 'correct horse battery';

type JournalRow = {
	entryId: number;
	kind: string;
	amount: number;
	balanceAfter: number;
	requestId: string;
};

/** Every journal entry of the logged-in account, oldest first, through the paged history op. */
async function fullHistory(bank: BankClient): Promise<{entries: JournalRow[]; balance: number}> {
	const entries: JournalRow[] = [];
	let before: number | undefined;
	let balance = 0;
	for (;;) {
		const response = await bank.call({op: 'history', limit: 100, ...(before ? {before} : {})});
		if (!response.ok || response.op !== 'history')
			throw new Error(`history failed: ${JSON.stringify(response)}`);
		balance = response.balance;
		entries.push(...response.entries);
		if (response.nextBefore === null) break;
		before = response.nextBefore;
	}

	return {entries: entries.reverse(), balance};
}

function signed(row: {kind: string; amount: number}): number {
	return row.kind === 'deposit' || row.kind === 'transfer_in' ? row.amount : -row.amount;
}

describe('starting', () => {
	it('a server that cannot listen leaves the ledger untouched (opens it only once the port is its)', async () => {
		const taken = createServer();
		await new Promise<void>((resolve) => {
			taken.listen(0, '127.0.0.1', resolve);
		});
		const {port} = taken.address() as {port: number};
		const dataDirectory = temporaryDirectory();
		try {
			await expect(startBankServer({host: '127.0.0.1', port, dataDirectory})).rejects.toThrow(
				'EADDRINUSE',
			);
			expect(existsSync(join(dataDirectory, LEDGER_FILE_NAME))).toBe(false);
		} finally {
			await new Promise((resolve) => {
				taken.close(resolve);
			});
		}

		// The same folder, a free port: the ledger is created and served.
		const server = await startBankServer({host: '127.0.0.1', port: 0, dataDirectory});
		try {
			expect(server.port).toBeGreaterThan(0);
			expect(existsSync(join(dataDirectory, LEDGER_FILE_NAME))).toBe(true);
		} finally {
			await server.stop();
		}
	});
});

describe('many customers at once', () => {
	it('50 concurrent clients x 200 random operations: every balance equals its acknowledged operations', async () => {
		const dataDirectory = temporaryDirectory();
		const store = openSqliteLedgerStore(dataDirectory);
		const server = await startBankServer({
			host: '127.0.0.1',
			port: 0,
			dataDirectory,
			store,
			allowSignup: true,
			scryptCost: {N: 1024, r: 8, p: 1},
		});
		const knownHosts = join(dataDirectory, 'known_hosts');
		const clients = 50;
		const expected = new Map<string, number>();
		const names = Array.from({length: clients}, (_unused, index) => `customer${index}`);
		for (const name of names) expected.set(name, 0);
		let acknowledged = 0;
		let refusedForFunds = 0;

		const sessions = await Promise.all(
			names.map(async (name) => {
				const client = await bankClient(server.port, knownHosts);
				const signup = await client.bank.signup(name, password);
				expect(signup.ok).toBe(true);
				return client;
			}),
		);
		await Promise.all(
			names.map(async (name, index) => {
				const {bank, close} = sessions[index]!;
				const next = random(index + 1);
				for (let step = 0; step < 200; step++) {
					const choice = next();
					const amount = 1 + Math.floor(next() * 50_000);
					if (choice < 0.45) {
						const result = await bank.deposit(amount);
						if (result.ok) {
							expected.set(name, expected.get(name)! + amount);
							acknowledged++;
						}
					} else if (choice < 0.8) {
						const result = await bank.withdraw(amount);
						if (result.ok) {
							expected.set(name, expected.get(name)! - amount);
							acknowledged++;
						} else {
							expect(result.error.code).toBe('insufficient_funds');
							refusedForFunds++;
						}
					} else if (choice < 0.9) {
						const to = names[Math.floor(next() * clients)]!;
						const result = await bank.transfer(amount, to);
						if (result.ok) {
							expected.set(name, expected.get(name)! - amount);
							expected.set(to, expected.get(to)! + amount);
							acknowledged++;
						} else {
							expect(['insufficient_funds', 'self_transfer']).toContain(result.error.code);
						}
					} else {
						const result = await bank.balance();
						expect(result.ok).toBe(true);
					}
				}

				await close();
			}),
		);

		const accounts = await listAccounts(store);
		const balances = new Map(accounts.map((account) => [account.name, account.balanceCents]));
		for (const name of names) expect(balances.get(name), name).toBe(expected.get(name));
		expect(acknowledged).toBeGreaterThan(5000);
		expect(refusedForFunds).toBeGreaterThan(0);

		// Each balance also equals the sum of its own journal.
		const {bank, close} = await bankClient(server.port, knownHosts);
		expect((await bank.login(names[7]!, password)).ok).toBe(true);
		const history = await fullHistory(bank);
		expect(history.entries.reduce((sum, row) => sum + signed(row), 0)).toBe(history.balance);
		expect(history.balance).toBe(expected.get(names[7]!));
		await close();
		await server.stop();
	}, 120_000);
});

describe('durability', () => {
	it('a server killed with SIGKILL mid-load keeps every acknowledged operation, and retries get their original answers', async () => {
		const dataDirectory = temporaryDirectory();
		const knownHosts = join(dataDirectory, 'client_known_hosts');
		const first = await startServerProcess(dataDirectory, ['--signup']);
		const customers = 8;
		const names = Array.from({length: customers}, (_unused, index) => `survivor${index}`);
		const sent = new Map<string, Operation[]>();
		const acknowledgedResults = new Map<string, BankResponse>();
		const progress = {stop: false, opened: 0};

		const load = names.map(async (name, index) => {
			const {bank} = await bankClient(first.port, knownHosts);
			expect((await bank.signup(name, password)).ok).toBe(true);
			const operations: Operation[] = [];
			sent.set(name, operations);
			const opening: Operation = {kind: 'deposit', amount: 1_000_000, requestId: `${name}-opening`};
			operations.push(opening);
			acknowledgedResults.set(
				opening.requestId,
				await bank.call({op: 'deposit', amount: opening.amount, requestId: opening.requestId}),
			);
			progress.opened++;
			const next = random(100 + index);
			for (let step = 0; !progress.stop; step++) {
				const operation: Operation = {
					kind: next() < 0.6 ? 'deposit' : 'withdraw',
					amount: 1 + Math.floor(next() * 1000),
					requestId: `${name}-${step}`,
				};
				operations.push(operation);
				try {
					const response = await bank.call({
						op: operation.kind,
						amount: operation.amount,
						requestId: operation.requestId,
					});
					acknowledgedResults.set(operation.requestId, response);
				} catch {
					return; // The server died under us: this operation was sent but not acknowledged.
				}
			}
		});

		const started = Date.now();
		while (progress.opened < customers && Date.now() - started < 30_000)
			await new Promise((resolve) => setTimeout(resolve, 20));
		expect(progress.opened).toBe(customers);
		await new Promise((resolve) => setTimeout(resolve, 1000));
		first.child.kill('SIGKILL');
		progress.stop = true;
		await Promise.all(load);
		const acknowledgedCount = acknowledgedResults.size;
		expect(acknowledgedCount).toBeGreaterThan(customers * 5);

		const second = await startServerProcess(dataDirectory);
		try {
			for (const name of names) {
				const {bank, close} = await bankClient(second.port, knownHosts);
				expect((await bank.login(name, password)).ok).toBe(true);
				const operations = sent.get(name)!;
				const before = await fullHistory(bank);
				const sentIds = new Set(operations.map((operation) => operation.requestId));
				// Nothing half-applied or invented: every entry is one of ours, once, and sums to the balance.
				const seen = new Set<string>();
				for (const row of before.entries) {
					expect(sentIds.has(row.requestId), row.requestId).toBe(true);
					expect(seen.has(row.requestId)).toBe(false);
					seen.add(row.requestId);
				}

				expect(before.entries.reduce((sum, row) => sum + signed(row), 0)).toBe(before.balance);
				// Every acknowledged operation survived the kill.
				for (const operation of operations) {
					if (acknowledgedResults.has(operation.requestId))
						expect(seen.has(operation.requestId), operation.requestId).toBe(true);
				}

				// Retrying every sent request: acknowledged ones get their original answer and change nothing.
				for (const operation of operations) {
					const retry = await bank.call({
						op: operation.kind,
						amount: operation.amount,
						requestId: operation.requestId,
					});
					const original = acknowledgedResults.get(operation.requestId);
					expect(retry.ok).toBe(true);
					if (original) expect({...retry, id: 0}).toEqual({...original, id: 0});
				}

				const after = await fullHistory(bank);
				expect(after.entries.map((row) => row.requestId).sort()).toEqual([...sentIds].sort());
				const expectedBalance = operations.reduce(
					(sum, operation) =>
						sum + (operation.kind === 'deposit' ? operation.amount : -operation.amount),
					0,
				);
				expect(after.balance).toBe(expectedBalance);
				await close();
			}
		} finally {
			second.child.kill('SIGTERM');
		}
	}, 120_000);
});

/**
 * Issue 3, the ledger: withdrawals of one cent per request through the whole stack (BankClient,
 * secure channel, bank server in a child process, group commit, SQLite with synchronous=FULL)
 * against raw better-sqlite3 doing the same withdrawal, one operation per commit, in this process.
 * Both databases live under the same temporary folder, on the same disk.
 */
import {mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import {addAccount} from '../source/bank/accounts.js';
import {openSqliteLedgerStore} from '../source/bank/store-sqlite.js';
import {BankClient} from '../source/net/bank-client.js';
import {connect, type ClientSession} from '../source/net/client.js';
import {ServerChild} from './child.js';
import {runForDuration} from './drivers.js';
import type {BenchOptions} from './options.js';
import {median} from './stats.js';

/** Cheap password hashing for the bench accounts (the real default is N = 2^14). */
const BENCH_SCRYPT_COST = {N: 1024, r: 8, p: 1};
const BENCH_PASSWORD = 'bench-password';
/** 1,000,000.00 per account: far more one-cent withdrawals than a run can make. */
const OPENING_BALANCE_CENTS = 100_000_000;

export type LedgerSide = {readonly perSecond: number; readonly perSecondByRound: readonly number[]};

export type LedgerFigures = {
	readonly concurrency: number;
	readonly ours: LedgerSide;
	readonly peer: LedgerSide;
	/** Operations per group-commit transaction in the server, over this measurement's rounds. */
	readonly meanBatch: number;
	/** Server child CPU per operation, µs (median over rounds). */
	readonly serverMicrosPerOperation: number;
	/** This process's CPU per operation, µs: the 32 (or 1) clients' (median over rounds). */
	readonly clientMicrosPerOperation: number;
};

function accountName(index: number): string {
	return `bench${index}`;
}

/** Opens the accounts with addAccount through the store, and funds each with one deposit. */
async function prepareLedger(dataDirectory: string, accounts: number): Promise<void> {
	const store = openSqliteLedgerStore(dataDirectory);
	try {
		for (let index = 0; index < accounts; index++) {
			await addAccount(store, accountName(index), BENCH_PASSWORD, {scryptCost: BENCH_SCRYPT_COST});
		}

		await store.transaction(async (transaction) => {
			for (let index = 0; index < accounts; index++) {
				const account = await transaction.findAccount(accountName(index));
				await transaction.appendEntry({
					accountId: account!.id,
					kind: 'deposit',
					amount: OPENING_BALANCE_CENTS,
					balanceAfter: account!.balance + OPENING_BALANCE_CENTS,
					requestId: 'bench-opening-deposit',
					counterpartyId: null,
					time: Date.now(),
				});
			}
		});
	} finally {
		await store.close();
	}
}

/** The peer: one withdrawal per transaction (BEGIN IMMEDIATE, UPDATE, INSERT, COMMIT), WAL, FULL. */
function openRawPeer(
	directory: string,
	accounts: number,
): {withdraw: (name: string) => void; close: () => void} {
	mkdirSync(directory, {recursive: true});
	const database = new Database(path.join(directory, 'raw.sqlite3'));
	database.pragma('journal_mode = WAL');
	database.pragma('synchronous = FULL');
	database.exec(`
		CREATE TABLE accounts (name TEXT PRIMARY KEY, balance INTEGER NOT NULL CHECK (balance >= 0)) STRICT;
		CREATE TABLE journal (
			id INTEGER PRIMARY KEY,
			account TEXT NOT NULL,
			kind TEXT NOT NULL,
			amount INTEGER NOT NULL,
			balance_after INTEGER NOT NULL,
			time INTEGER NOT NULL
		) STRICT;
	`);
	const open = database.prepare('INSERT INTO accounts (name, balance) VALUES (?, ?)');
	for (let index = 0; index < accounts; index++)
		open.run(accountName(index), OPENING_BALANCE_CENTS);
	const debit = database.prepare<[number, string], {balance: number}>(
		'UPDATE accounts SET balance = balance - ? WHERE name = ? RETURNING balance',
	);
	const journal = database.prepare(
		'INSERT INTO journal (account, kind, amount, balance_after, time) VALUES (?, ?, ?, ?, ?)',
	);
	const withdraw = database.transaction((name: string) => {
		const row = debit.get(1, name);
		if (!row) throw new Error(`no account ${name}`);
		journal.run(name, 'withdraw', 1, row.balance, Date.now());
	});
	return {
		withdraw(name) {
			withdraw.immediate(name);
		},
		close() {
			database.close();
		},
	};
}

/** Raw withdrawals for `durationMs`, synchronous: one connection, one writer, one op per commit. */
function rawForDuration(
	peer: ReturnType<typeof openRawPeer>,
	accounts: number,
	durationMs: number,
): number {
	const started = performance.now();
	const deadline = started + durationMs;
	let operations = 0;
	while (performance.now() < deadline) {
		peer.withdraw(accountName(operations % accounts));
		operations++;
	}

	return (operations * 1000) / (performance.now() - started);
}

type LoggedIn = {session: ClientSession; bank: BankClient};

async function logIn(
	server: ServerChild,
	index: number,
	scratchDirectory: string,
): Promise<LoggedIn> {
	const session = await connect({
		host: '127.0.0.1',
		port: server.port,
		knownHostsFile: path.join(scratchDirectory, 'known_hosts-absent'),
		fingerprint: server.fingerprint!,
	});
	const bank = new BankClient(session);
	const login = await bank.login(accountName(index), BENCH_PASSWORD);
	if (!login.ok)
		throw new Error(`login ${accountName(index)}: ${login.error.code} ${login.error.message}`);
	return {session, bank};
}

async function commitStats(server: ServerChild): Promise<{transactions: number; items: number}> {
	const reply = await server.request({type: 'commit-stats'});
	if (reply.type !== 'commit-stats')
		throw new Error(`bank child answered ${reply.type} to commit-stats`);
	return reply.stats;
}

/** Runs the ledger comparison for each concurrency given; returns one figure per concurrency. */
export async function benchLedger(
	options: BenchOptions,
	concurrencies: readonly number[],
	log: (line: string) => void,
): Promise<LedgerFigures[]> {
	const root = mkdtempSync(path.join(tmpdir(), 'securebank-bench-ledger-'));
	const accounts = Math.max(...concurrencies);
	const oursDirectory = path.join(root, 'securebank');
	let server: ServerChild | undefined;
	let peer: ReturnType<typeof openRawPeer> | undefined;
	const clients: LoggedIn[] = [];
	try {
		await prepareLedger(oursDirectory, accounts);
		peer = openRawPeer(path.join(root, 'raw'), accounts);
		server = await ServerChild.start(
			'bank',
			{type: 'listen-bank', dataDirectory: oursDirectory, scryptCost: BENCH_SCRYPT_COST},
			options.profileServerDirectory ? {profileDirectory: options.profileServerDirectory} : {},
		);
		for (let index = 0; index < accounts; index++) clients.push(await logIn(server, index, root));

		const withdrawals = (count: number) =>
			clients.slice(0, count).map(({bank}) => async () => {
				const started = performance.now();
				const result = await bank.withdraw(1);
				if (!result.ok) throw new Error(`withdraw: ${result.error.code} ${result.error.message}`);
				return performance.now() - started;
			});
		const runOurs = async (count: number, durationMs: number) => {
			// One worker per logged-in client, each with one request outstanding.
			const workers = withdrawals(count);
			const statsBefore = await commitStats(server!);
			const cpuBefore = await server!.cpuMicros();
			const clientBefore = process.cpuUsage();
			const runs = await Promise.all(
				workers.map(async (withdraw) =>
					runForDuration(withdraw, 1, durationMs, `ledger x${count}`),
				),
			);
			const client = process.cpuUsage(clientBefore);
			const cpuAfter = await server!.cpuMicros();
			const statsAfter = await commitStats(server!);
			const operations = runs.reduce((sum, run) => sum + run.operations, 0);
			const elapsedMs = Math.max(...runs.map((run) => run.elapsedMs));
			return {
				perSecond: (operations * 1000) / elapsedMs,
				batch:
					(statsAfter.items - statsBefore.items) /
					Math.max(1, statsAfter.transactions - statsBefore.transactions),
				cpuPerOperation: (cpuAfter - cpuBefore) / operations,
				clientCpuPerOperation: (client.user + client.system) / operations,
			};
		};

		for (const count of concurrencies) await runOurs(count, options.warmUpMs);
		rawForDuration(peer, accounts, options.warmUpMs);

		const samples = new Map<
			number,
			{ours: number[]; peer: number[]; batch: number[]; cpu: number[]; clientCpu: number[]}
		>(
			concurrencies.map((count) => [
				count,
				{ours: [], peer: [], batch: [], cpu: [], clientCpu: []},
			]),
		);
		for (let round = 0; round < options.rounds; round++) {
			const line: string[] = [];
			for (const count of concurrencies) {
				const sample = samples.get(count)!;
				const oursFirst = round % 2 === 0;
				if (!oursFirst) sample.peer.push(rawForDuration(peer, accounts, options.measureMs));
				const ours = await runOurs(count, options.measureMs);
				sample.ours.push(ours.perSecond);
				sample.batch.push(ours.batch);
				sample.cpu.push(ours.cpuPerOperation);
				sample.clientCpu.push(ours.clientCpuPerOperation);
				if (oursFirst) sample.peer.push(rawForDuration(peer, accounts, options.measureMs));
				line.push(
					`x${count} securebank ${Math.round(ours.perSecond)}/s (batch ${ours.batch.toFixed(1)}) raw ${Math.round(sample.peer.at(-1)!)}/s`,
				);
			}

			log(`  ledger round ${round + 1}: ${line.join('; ')}`);
		}

		return concurrencies.map((count) => {
			const sample = samples.get(count)!;
			return {
				concurrency: count,
				ours: {perSecond: median(sample.ours), perSecondByRound: sample.ours},
				peer: {perSecond: median(sample.peer), perSecondByRound: sample.peer},
				meanBatch: median(sample.batch),
				serverMicrosPerOperation: median(sample.cpu),
				clientMicrosPerOperation: median(sample.clientCpu),
			};
		});
	} finally {
		for (const {session} of clients) session.close('bench done');
		await server?.stop().catch(() => {
			server?.kill();
		});
		peer?.close();
		rmSync(root, {recursive: true, force: true});
	}
}

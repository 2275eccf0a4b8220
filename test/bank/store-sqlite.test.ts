/**
 * The SQLite store with its real settings (WAL, synchronous=FULL): schema creation and migration,
 * close and reopen, a process killed mid-stream, and the constraints that back the ledger's rules.
 */
import {spawn} from 'node:child_process';
import {existsSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {createInterface} from 'node:readline';
import {fileURLToPath} from 'node:url';
import Database from 'better-sqlite3';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {addAccount, listAccounts} from '../../source/bank/accounts.js';
import {createLedger} from '../../source/bank/ledger.js';
import {
	LEDGER_FILE_NAME,
	openSqliteLedgerStore,
	SCHEMA_VERSION,
} from '../../source/bank/store-sqlite.js';
import {migrate} from '../../source/bank/store-sqlite-schema.js';
import {makeTempFolder, TEST_SCRYPT_COST} from './bank-fixtures.js';

let temporary: ReturnType<typeof makeTempFolder>;

beforeEach(() => {
	temporary = makeTempFolder();
});

afterEach(() => {
	temporary.remove();
});

describe('the SQLite ledger store', () => {
	it('runs with WAL and synchronous=FULL unless told otherwise, in ledger.sqlite3', async () => {
		const store = openSqliteLedgerStore(temporary.folder);
		try {
			expect(store.settings()).toEqual({
				file: path.join(temporary.folder, LEDGER_FILE_NAME),
				journalMode: 'wal',
				synchronous: 'full',
				schemaVersion: SCHEMA_VERSION,
				walAutocheckpoint: 10_000,
				cacheKiB: 32_768,
			});
			expect(store.description).toBe(`sqlite ${path.join(temporary.folder, 'ledger.sqlite3')}`);
		} finally {
			await store.close();
		}
	});

	it('creates a missing data folder', async () => {
		const nested = path.join(temporary.folder, 'a', 'b');
		const store = openSqliteLedgerStore(nested);
		await store.close();
		expect(existsSync(path.join(nested, LEDGER_FILE_NAME))).toBe(true);
	});

	it('migrates an empty file to the current schema', async () => {
		writeFileSync(path.join(temporary.folder, LEDGER_FILE_NAME), '');
		const store = openSqliteLedgerStore(temporary.folder);
		try {
			expect(store.settings().schemaVersion).toBe(SCHEMA_VERSION);
			await addAccount(store, 'alice', 'password!', {scryptCost: TEST_SCRYPT_COST});
			expect(await listAccounts(store)).toEqual([expect.objectContaining({name: 'alice'})]);
		} finally {
			await store.close();
		}
	});

	it('refuses a file written by a newer securebank', () => {
		const database = new Database(path.join(temporary.folder, LEDGER_FILE_NAME));
		database.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
		database.close();
		expect(() => openSqliteLedgerStore(temporary.folder)).toThrow(
			`has schema version ${SCHEMA_VERSION + 1}, newer than this securebank's ${SCHEMA_VERSION}`,
		);
	});

	it('keeps everything acknowledged across close and reopen (FULL)', async () => {
		const first = openSqliteLedgerStore(temporary.folder);
		await addAccount(first, 'alice', 'password!', {scryptCost: TEST_SCRYPT_COST});
		await addAccount(first, 'bob', 'password!', {scryptCost: TEST_SCRYPT_COST});
		const ledger = createLedger({store: first, scryptCost: TEST_SCRYPT_COST});
		const deposit = await ledger.deposit('alice', 'd-1', 10_000);
		const transfer = await ledger.transfer('alice', 't-1', 2500, 'bob');
		const refused = await ledger.withdraw('bob', 'w-1', 9999);
		await first.close();

		const second = openSqliteLedgerStore(temporary.folder);
		try {
			expect(second.settings().schemaVersion).toBe(SCHEMA_VERSION);
			const reopened = createLedger({store: second, scryptCost: TEST_SCRYPT_COST});
			expect(await reopened.balance('alice')).toMatchObject({balance: 7500});
			expect(await reopened.balance('bob')).toMatchObject({balance: 2500});
			const history = await reopened.history('alice');
			expect(history.ok && history.entries.map((entry) => [entry.kind, entry.amount])).toEqual([
				['transfer_out', 2500],
				['deposit', 10_000],
			]);
			// The request table came back too: retries get the first answers, reuse is refused.
			expect(await reopened.deposit('alice', 'd-1', 10_000)).toEqual({...deposit, replayed: true});
			expect(await reopened.transfer('alice', 't-1', 2500, 'bob')).toEqual({
				...transfer,
				replayed: true,
			});
			expect(await reopened.withdraw('bob', 'w-1', 9999)).toEqual({...refused, replayed: true});
			expect(await reopened.deposit('alice', 'd-1', 1)).toMatchObject({
				outcome: {ok: false, error: {code: 'request_id_reused'}},
			});
			expect(await reopened.login('alice', 'password!')).toMatchObject({ok: true, balance: 7500});
		} finally {
			await second.close();
		}
	});

	it('keeps every acknowledged deposit when the process is killed mid-stream', async () => {
		const writer = fileURLToPath(new URL('crash-writer.ts', import.meta.url));
		const child = spawn(process.execPath, ['--import', 'tsx', writer, temporary.folder], {
			stdio: ['ignore', 'pipe', 'inherit'],
		});
		const exited = new Promise<NodeJS.Signals | null>((resolve) => {
			child.once('exit', (_code, signal) => {
				resolve(signal);
			});
		});
		const acknowledged = new Map<string, number>();
		for await (const line of createInterface({input: child.stdout})) {
			const [word, requestId, entryId] = line.split(' ');
			if (word === 'ack' && requestId && entryId) {
				acknowledged.set(requestId, Number(entryId));
			}

			if (acknowledged.size >= 120) {
				child.kill('SIGKILL');
				break;
			}
		}

		expect(await exited).toBe('SIGKILL');
		expect(acknowledged.size).toBeGreaterThanOrEqual(120);
		const store = openSqliteLedgerStore(temporary.folder);
		try {
			const alice = await store.findAccount('alice');
			const journal = (await store.history(alice!.id, {limit: 1_000_000}))!;
			const stored = new Map(journal.map((entry) => [entry.requestId, entry.entryId]));
			for (const [requestId, entryId] of acknowledged) {
				expect(stored.get(requestId)).toBe(entryId);
			}

			// Whatever committed after the last line read is whole: balance and journal agree.
			expect(alice!.balance).toBe(journal.length * 100);
		} finally {
			await store.close();
		}
	});

	it('refuses to change or delete journal entries, or to let a balance go negative', async () => {
		const store = openSqliteLedgerStore(temporary.folder);
		await addAccount(store, 'alice', 'password!', {scryptCost: TEST_SCRYPT_COST});
		await createLedger({store, scryptCost: TEST_SCRYPT_COST}).deposit('alice', 'd', 100);
		await store.close();
		const database = new Database(path.join(temporary.folder, LEDGER_FILE_NAME));
		try {
			expect(() => database.exec('UPDATE journal SET amount = 1')).toThrow(
				'the journal is append-only',
			);
			expect(() => database.exec('DELETE FROM journal')).toThrow('the journal is append-only');
			expect(() => database.exec("UPDATE accounts SET balance = -1 WHERE name = 'alice'")).toThrow(
				'CHECK constraint failed',
			);
		} finally {
			database.close();
		}
	});

	it("chains each account's entries: history pages equal a scan of the journal", async () => {
		const store = openSqliteLedgerStore(temporary.folder, {synchronous: 'normal'});
		const names = ['alice', 'bob', 'carol'];
		for (const name of names) {
			await addAccount(store, name, 'password!', {scryptCost: TEST_SCRYPT_COST});
		}

		const ledger = createLedger({store, scryptCost: TEST_SCRYPT_COST});
		// Interleaved in one group commit and across several: deposits, withdrawals, refusals
		// (no entry), and transfers (an entry in two chains).
		await Promise.all(names.map(async (name) => ledger.deposit(name, `d-${name}`, 10_000)));
		for (let round = 0; round < 40; round++) {
			const name = names[round % 3]!;
			const other = names[(round + 1) % 3]!;
			await Promise.all([
				ledger.withdraw(name, `w-${round}`, 100 + round),
				ledger.transfer(other, `t-${round}`, 50, name),
				ledger.withdraw(other, `big-${round}`, 10_000_000),
			]);
		}

		const accounts = await store.listAccounts();
		await store.close();
		const database = new Database(path.join(temporary.folder, LEDGER_FILE_NAME), {readonly: true});
		const scan = database.prepare<[number], {id: number}>(
			'SELECT id FROM journal WHERE account_id = ? ORDER BY id DESC',
		);
		const scanned = new Map(
			accounts.map((account) => [account.name, scan.all(account.id).map((row) => row.id)]),
		);
		database.close();

		const reopened = openSqliteLedgerStore(temporary.folder);
		try {
			const ledgerAgain = createLedger({store: reopened, scryptCost: TEST_SCRYPT_COST});
			for (const account of accounts) {
				// Paged three at a time through nextBefore, as a client pages.
				const paged: number[] = [];
				let before: number | undefined;
				do {
					const page = await ledgerAgain.history(account.name, {limit: 3, before});
					if (!page.ok) throw new Error(page.error.message);
					paged.push(...page.entries.map((entry) => entry.entryId));
					before = page.nextBefore ?? undefined;
				} while (before !== undefined);

				expect(paged).toEqual(scanned.get(account.name));
				expect(paged.length).toBeGreaterThanOrEqual(40);
			}

			// A page may only continue from one of the account's own entries.
			const bobsNewest = scanned.get('bob')![0]!;
			for (const before of [bobsNewest, 999_999]) {
				expect(await ledgerAgain.history('alice', {before})).toMatchObject({
					ok: false,
					error: {code: 'invalid_field', field: 'before'},
				});
			}
		} finally {
			await reopened.close();
		}
	});

	it('migrates a version 2 ledger: chains its journal, re-keys its requests, keeps every answer', async () => {
		const file = path.join(temporary.folder, LEDGER_FILE_NAME);
		const old = new Database(file);
		old.pragma('journal_mode = WAL');
		migrate(old, file, 2);
		expect(old.pragma('user_version', {simple: true})).toBe(2);
		const insertAccount = old.prepare(
			"INSERT INTO accounts (name, password_hash, balance, created) VALUES (?, 'x', ?, 0)",
		);
		const insertEntry = old.prepare(
			`INSERT INTO journal (account_id, kind, amount, balance_after, request_id, time)
			VALUES (?, ?, ?, ?, ?, 0)`,
		);
		const insertRequest = old.prepare(
			`INSERT INTO requests (account_id, request_id, op, amount, outcome, time)
			VALUES (?, ?, ?, ?, ?, 0)`,
		);
		old.transaction(() => {
			// Alice (1) and Bob (2) interleaved: alice 1, 3, 4; bob 2, 5.
			insertAccount.run('alice', 600);
			insertAccount.run('bob', 300);
			insertEntry.run(1, 'deposit', 500, 500, 'a-1');
			insertEntry.run(2, 'deposit', 200, 200, 'b-1');
			insertEntry.run(1, 'deposit', 200, 700, 'a-2');
			insertEntry.run(1, 'withdraw', 100, 600, 'a-3');
			insertEntry.run(2, 'deposit', 100, 300, 'b-2');
			insertRequest.run(
				1,
				'a-3',
				'withdraw',
				100,
				JSON.stringify({
					ok: true,
					op: 'withdraw',
					requestId: 'a-3',
					amount: 100,
					balance: 600,
					entryId: 4,
				}),
			);
		})();
		old.close();

		const store = openSqliteLedgerStore(temporary.folder);
		try {
			expect(store.settings().schemaVersion).toBe(SCHEMA_VERSION);
			const ledger = createLedger({store, scryptCost: TEST_SCRYPT_COST});
			const ids = async (name: string) => {
				const page = await ledger.history(name, {limit: 100});
				return page.ok ? page.entries.map((entry) => entry.entryId) : page.error.message;
			};

			expect(await ids('alice')).toEqual([4, 3, 1]);
			expect(await ids('bob')).toEqual([5, 2]);
			// The stored answer is still found under its (new) key.
			expect(await ledger.withdraw('alice', 'a-3', 100)).toMatchObject({
				replayed: true,
				outcome: {ok: true, entryId: 4, balance: 600},
			});
			// New entries continue the migrated chains.
			const deposit = await ledger.deposit('bob', 'b-3', 50);
			expect(deposit.outcome).toMatchObject({ok: true, balance: 350});
			expect(await ids('bob')).toEqual([6, 5, 2]);
			expect(await ids('alice')).toEqual([4, 3, 1]);
		} finally {
			await store.close();
		}

		const database = new Database(file, {readonly: true});
		try {
			const indexes = database
				.prepare<[], {name: string}>("SELECT name FROM sqlite_schema WHERE type = 'index'")
				.all()
				.map((row) => row.name);
			expect(indexes).not.toContain('journal_by_account');
			const keyColumns = database
				.prepare<[], {name: string}>(
					"SELECT name FROM pragma_index_xinfo('sqlite_autoindex_requests_1') WHERE key = 1 ORDER BY seqno",
				)
				.all()
				.map((row) => row.name);
			expect(keyColumns).toEqual(['request_id', 'account_id']);
			expect(() => database.exec('UPDATE journal SET amount = 1')).toThrow();
		} finally {
			database.close();
		}
	});

	it("refuses a journal entry that does not continue its account's chain, as a pre-3 writer would add", async () => {
		const store = openSqliteLedgerStore(temporary.folder);
		await addAccount(store, 'alice', 'password!', {scryptCost: TEST_SCRYPT_COST});
		await addAccount(store, 'bob', 'password!', {scryptCost: TEST_SCRYPT_COST});
		await createLedger({store, scryptCost: TEST_SCRYPT_COST}).deposit('alice', 'd', 100);
		await store.close();
		const database = new Database(path.join(temporary.folder, LEDGER_FILE_NAME));
		// Version 2's statement: no previous_id.
		const oldInsert = database.prepare(
			`INSERT INTO journal (account_id, kind, amount, balance_after, request_id, counterparty_id, time)
			VALUES ((SELECT id FROM accounts WHERE name = ?), 'deposit', 5, 5, ?, NULL, 0)`,
		);
		const last = database.prepare<[string], {last_entry_id: number | null}>(
			'SELECT last_entry_id FROM accounts WHERE name = ?',
		);
		try {
			expect(() => oldInsert.run('alice', 'old-1')).toThrow(
				"a journal entry must name its account's last entry as previous_id",
			);
			// Bob has no entry yet, so no previous one is right, and the entry becomes his last.
			const {lastInsertRowid} = oldInsert.run('bob', 'old-2');
			expect(last.get('bob')?.last_entry_id).toBe(Number(lastInsertRowid));
			expect(last.get('alice')?.last_entry_id).toBe(1);
		} finally {
			database.close();
		}
	});

	it('rejects use after close', async () => {
		const store = openSqliteLedgerStore(temporary.folder);
		await store.close();
		await store.close();
		await expect(store.findAccount('alice')).rejects.toThrow('the ledger store is closed');
	});
});

/**
 * The ledger's SQLite schema and its migrations.
 *
 * MIGRATIONS are applied in order on open, each in its own transaction, and PRAGMA user_version
 * records the version reached (https://www.sqlite.org/pragma.html#pragma_user_version); an empty
 * or new file starts at 0. A file from a newer securebank is refused rather than guessed at.
 * Append only: a released migration is never edited, a change is a new entry.
 */
import type Database from 'better-sqlite3';

type Migration = {readonly version: number; readonly description: string; readonly sql: string};

/** The schema's history. */
const MIGRATIONS: readonly Migration[] = [
	{
		version: 1,
		description: 'accounts, the append-only journal, and the request table',
		sql: `
			CREATE TABLE accounts (
				id INTEGER PRIMARY KEY,
				name TEXT NOT NULL UNIQUE,
				password_hash TEXT NOT NULL,
				balance INTEGER NOT NULL DEFAULT 0 CHECK (balance >= 0),
				created INTEGER NOT NULL,
				failed_logins INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
				locked_until INTEGER
			) STRICT;

			CREATE TABLE journal (
				id INTEGER PRIMARY KEY AUTOINCREMENT,
				account_id INTEGER NOT NULL REFERENCES accounts (id),
				kind TEXT NOT NULL CHECK (kind IN ('deposit', 'withdraw', 'transfer_out', 'transfer_in')),
				amount INTEGER NOT NULL CHECK (amount > 0),
				balance_after INTEGER NOT NULL CHECK (balance_after >= 0),
				request_id TEXT NOT NULL,
				counterparty_id INTEGER REFERENCES accounts (id),
				time INTEGER NOT NULL
			) STRICT;
			CREATE INDEX journal_by_account ON journal (account_id, id);
			CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
				BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
			CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
				BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;

			CREATE TABLE requests (
				account_id INTEGER NOT NULL REFERENCES accounts (id),
				request_id TEXT NOT NULL,
				op TEXT NOT NULL CHECK (op IN ('deposit', 'withdraw', 'transfer')),
				amount INTEGER NOT NULL,
				target TEXT,
				outcome TEXT NOT NULL,
				time INTEGER NOT NULL,
				PRIMARY KEY (account_id, request_id)
			) STRICT, WITHOUT ROWID;
		`,
	},
	{
		version: 2,
		description: 'a count of failed logins for names with no account',
		// A wrong password writes the account's failure count; an unknown name wrote nothing, so
		// its commit skipped the fsync and answered measurably sooner. Counting it here gives both
		// the same one-row write (login.ts).
		sql: `
			CREATE TABLE login_audit (
				id INTEGER PRIMARY KEY CHECK (id = 1),
				unknown_name_failures INTEGER NOT NULL DEFAULT 0 CHECK (unknown_name_failures >= 0)
			) STRICT;
			INSERT INTO login_audit (id) VALUES (1);
		`,
	},
	{
		version: 3,
		description:
			"the request table keyed by request id first; each account's entries chained instead of indexed",
		// Why: with synchronous=FULL a group commit's cost grows with the pages it writes to the WAL,
		// and both layouts of version 1 put each operation on a page of its own. Keyed (account,
		// request id), a commit of 17 operations from 17 customers wrote some 17 request-table leaves;
		// keyed (request id, account), ids that start with the time (as securebank's client makes
		// them) all land on the table's last leaf. Likewise the index (account, entry id) gave each
		// customer's entry its own leaf; instead each entry names the account's previous entry and
		// the account its last, so appending writes only the journal's last page and the account's
		// row, and history walks the chain back, one primary-key lookup per entry.
		// 32 customers through the whole stack, side by side: about 20% more operations a second.
		sql: `
			CREATE TABLE requests_v3 (
				request_id TEXT NOT NULL,
				account_id INTEGER NOT NULL REFERENCES accounts (id),
				op TEXT NOT NULL CHECK (op IN ('deposit', 'withdraw', 'transfer')),
				amount INTEGER NOT NULL,
				target TEXT,
				outcome TEXT NOT NULL,
				time INTEGER NOT NULL,
				PRIMARY KEY (request_id, account_id)
			) STRICT, WITHOUT ROWID;
			INSERT INTO requests_v3 (request_id, account_id, op, amount, target, outcome, time)
				SELECT request_id, account_id, op, amount, target, outcome, time FROM requests;
			DROP TABLE requests;
			ALTER TABLE requests_v3 RENAME TO requests;

			ALTER TABLE journal ADD COLUMN previous_id INTEGER REFERENCES journal (id);
			ALTER TABLE accounts ADD COLUMN last_entry_id INTEGER REFERENCES journal (id);
			DROP TRIGGER journal_no_update;
			UPDATE journal SET previous_id = (
				SELECT max(earlier.id) FROM journal earlier
				WHERE earlier.account_id = journal.account_id AND earlier.id < journal.id
			);
			CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
				BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
			UPDATE accounts SET last_entry_id = (
				SELECT max(journal.id) FROM journal WHERE journal.account_id = accounts.id
			);
			DROP INDEX journal_by_account;

			-- The chain is the schema's to keep, not only this version's code: an entry that does not
			-- name its account's last entry is refused (a securebank from before version 3, still
			-- running on this file, would otherwise append entries history never reaches), and each
			-- entry becomes its account's last, whoever inserted it.
			CREATE TRIGGER journal_chain_continues BEFORE INSERT ON journal
				WHEN NEW.previous_id IS NOT (SELECT last_entry_id FROM accounts WHERE id = NEW.account_id)
				BEGIN SELECT RAISE(ABORT, 'a journal entry must name its account''s last entry as previous_id'); END;
			CREATE TRIGGER journal_chain_extends AFTER INSERT ON journal
				BEGIN UPDATE accounts SET last_entry_id = NEW.id WHERE id = NEW.account_id; END;
		`,
	},
];

/** The schema version this securebank writes. */
export const SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

/**
 * Brings the file to SCHEMA_VERSION (or `upTo`, for tests that build an older file); throws for a
 * file from a newer securebank.
 */
export function migrate(
	database: Database.Database,
	file: string,
	upTo: number = SCHEMA_VERSION,
): void {
	const current = database.pragma('user_version', {simple: true}) as number;
	if (current > SCHEMA_VERSION) {
		throw new Error(
			`${file} has schema version ${current}, newer than this securebank's ${SCHEMA_VERSION}: upgrade securebank`,
		);
	}

	for (const migration of MIGRATIONS) {
		if (migration.version <= current || migration.version > upTo) {
			continue;
		}

		database
			.transaction(() => {
				database.exec(migration.sql);
				database.pragma(`user_version = ${migration.version}`);
			})
			.immediate();
	}
}

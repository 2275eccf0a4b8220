/**
 * LedgerStore: the ledger's persistence, and nothing else.
 *
 * The rules (validation, lockout, the idempotency decision, the running balance) live in ledger.ts;
 * a store only reads and writes rows inside transactions it is asked to run. Every method is async
 * so that a PostgreSQL store (one round trip per call) fits the same interface as the SQLite one
 * (whose calls are synchronous underneath).
 *
 * Contract every store keeps:
 * - transaction() runs its work alone: no other transaction and no read of this store interleaves
 *   with it, and it commits durably before its promise resolves (an acknowledged write survives a
 *   power loss). A work that throws rolls the whole transaction back. A work uses the
 *   transaction's methods only: the store's own wait for the transaction to end.
 * - savepoint() inside a transaction undoes only what its own work wrote when that work throws, so
 *   one refused operation in a group commit does not abort the others.
 * - Reads outside a transaction see committed state only.
 * - The journal is append-only; an account's balance never goes below zero (the store may enforce
 *   both as constraints, as a backstop to the ledger's rules).
 * Times are milliseconds since the Unix epoch; amounts and balances are integer cents.
 */
import type {JournalKind} from './outcomes.js';

export type AccountRecord = {
	readonly id: number;
	readonly name: string;
	readonly passwordHash: string;
	readonly balance: number;
	readonly created: number;
	/** Consecutive failed logins since the last success or lock. */
	readonly failedLogins: number;
	/** Logins are refused until then; null when never locked. */
	readonly lockedUntil: number | null;
};

export type NewAccount = {
	readonly name: string;
	readonly passwordHash: string;
	readonly created: number;
};

export type JournalRecord = {
	readonly entryId: number;
	readonly accountId: number;
	readonly kind: JournalKind;
	readonly amount: number;
	readonly balanceAfter: number;
	readonly requestId: string;
	/** The other account's name for transfers, else null. */
	readonly counterparty: string | null;
	readonly time: number;
};

export type NewJournalEntry = {
	readonly accountId: number;
	readonly kind: JournalKind;
	readonly amount: number;
	/** Also becomes the account's balance: the store writes both together. */
	readonly balanceAfter: number;
	readonly requestId: string;
	readonly counterpartyId: number | null;
	readonly time: number;
};

export type RequestOp = 'deposit' | 'withdraw' | 'transfer';

/** A mutation's request id, its fingerprint (op, amount, target) and the outcome it got. */
export type StoredRequest = {
	readonly accountId: number;
	readonly requestId: string;
	readonly op: RequestOp;
	readonly amount: number;
	/** The transfer's target name; null for deposits and withdrawals. */
	readonly target: string | null;
	/** The outcome as JSON, returned unchanged to a retry. */
	readonly outcome: string;
	readonly time: number;
};

export type HistoryPage = {
	/** 1 or more. */
	readonly limit: number;
	/** An entry of the account: only entries before it; absent for the most recent page. */
	readonly before?: number;
};

/** Reads, available both inside and outside a transaction. */
export type LedgerReads = {
	findAccount(name: string): Promise<AccountRecord | undefined>;
};

/** What a transaction's work may do. Valid only until the transaction's work settles. */
export type LedgerTransaction = LedgerReads & {
	/** Inserts an account; the caller has made sure the name is free in this transaction. */
	insertAccount(account: NewAccount): Promise<AccountRecord>;
	updateLoginState(
		accountId: number,
		failedLogins: number,
		lockedUntil: number | null,
	): Promise<void>;
	/**
	 * Counts a failed login for a name that has no account: a one-row write, as a wrong password's
	 * updateLoginState is, so that both failures cost the same commit (and fsync).
	 */
	countUnknownNameFailure(): Promise<void>;
	/** Appends a journal entry and sets the account's balance to its balanceAfter; returns its id. */
	appendEntry(entry: NewJournalEntry): Promise<number>;
	findRequest(accountId: number, requestId: string): Promise<StoredRequest | undefined>;
	saveRequest(request: StoredRequest): Promise<void>;
	/** Runs work so that, if it throws, only its own writes are undone; rethrows. */
	savepoint<T>(work: () => Promise<T>): Promise<T>;
};

export type LedgerStore = LedgerReads & {
	/** Where the ledger lives, for logs ("sqlite /srv/bank/ledger.sqlite3"). */
	readonly description: string;
	listAccounts(): Promise<AccountRecord[]>;
	/**
	 * An account's entries, most recent first; undefined when `page.before` is not the id of one of
	 * that account's entries (pages continue from an entry the previous page returned).
	 */
	history(accountId: number, page: HistoryPage): Promise<JournalRecord[] | undefined>;
	transaction<T>(work: (transaction: LedgerTransaction) => Promise<T>): Promise<T>;
	/** Waits for running work, then releases the store; later calls reject. */
	close(): Promise<void>;
};

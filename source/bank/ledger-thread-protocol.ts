/**
 * The messages between the bank's event loop and its ledger thread (ledger-thread.ts and
 * ledger-worker.ts). Plain data only: they cross threads by structured clone.
 */
import type {GroupCommitStats} from './group-commit.js';
import type {Ledger} from './ledger.js';
import type {ScryptCost} from './passwords.js';
import type {SqliteStoreOptions} from './store-sqlite.js';

/** What the worker needs to open the ledger: no functions (they cannot cross threads). */
export type LedgerThreadOptions = {
	readonly dataDirectory: string;
	readonly sqlite?: SqliteStoreOptions;
	readonly lockoutMs?: number;
	readonly maxFailures?: number;
	readonly scryptCost?: ScryptCost;
	readonly maxBatch?: number;
};

/** The Ledger methods that run in the thread; commitStats is answered from the last report. */
export type LedgerMethod = Exclude<keyof Ledger, 'commitStats'>;

export type LedgerCall = {
	readonly id: number;
	readonly method: LedgerMethod;
	readonly args: readonly unknown[];
};

export type LedgerReply =
	| {readonly id: number; readonly ok: true; readonly value: unknown}
	| {readonly id: number; readonly ok: false; readonly error: {name: string; message: string}};

/** Main thread to worker. */
export type ToLedgerThread =
	{readonly type: 'calls'; readonly calls: readonly LedgerCall[]} | {readonly type: 'close'};

/** Worker to main thread. */
export type FromLedgerThread =
	| {readonly type: 'ready'; readonly file: string}
	| {readonly type: 'failed'; readonly message: string}
	| {
			readonly type: 'replies';
			readonly replies: readonly LedgerReply[];
			readonly stats: GroupCommitStats;
	  }
	| {readonly type: 'closed'};

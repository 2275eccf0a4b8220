/**
 * Group commit: many ledger mutations, one durable transaction.
 *
 * With synchronous=FULL every COMMIT waits for an fsync (milliseconds), which would cap the bank at
 * a few hundred mutations a second if each had its own. Instead, work submitted within the same
 * event-loop turn (or while a commit is running) is queued and run, in arrival order, inside ONE
 * transaction; each item inside its own savepoint, so an item that throws undoes only its writes.
 * No item's promise settles before the transaction holding it has committed: an acknowledged
 * operation is durable. If the commit itself fails, every item of that batch rejects.
 *
 * Items run one after another against the same transaction, so each sees the writes of those
 * before it (the running balance) and the result equals applying them serially in arrival order.
 * `maxBatch: 1` turns grouping off (one transaction per item), for comparison in benchmarks.
 */
import type {LedgerStore, LedgerTransaction} from './store.js';

export type GroupCommitOptions = {
	/** The most items per transaction; 1 disables grouping. 256 unless told. */
	readonly maxBatch?: number;
};

export type GroupCommitStats = {
	/** Transactions committed (or attempted). */
	readonly transactions: number;
	/** Items run inside them. */
	readonly items: number;
	readonly largestBatch: number;
};

export type GroupCommitter = {
	/** Runs work inside the next group transaction; settles after that transaction commits. */
	submit<T>(work: (transaction: LedgerTransaction) => Promise<T>): Promise<T>;
	/** Resolves once everything submitted so far has committed (or failed). */
	drain(): Promise<void>;
	stats(): GroupCommitStats;
};

type QueuedItem = {
	readonly work: (transaction: LedgerTransaction) => Promise<unknown>;
	readonly resolve: (value: unknown) => void;
	readonly reject: (error: unknown) => void;
};

type ItemResult =
	{readonly ok: true; readonly value: unknown} | {readonly ok: false; readonly error: unknown};

export const DEFAULT_MAX_BATCH = 256;

export function createGroupCommitter(
	store: LedgerStore,
	options: GroupCommitOptions = {},
): GroupCommitter {
	const maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
	if (!Number.isSafeInteger(maxBatch) || maxBatch < 1) {
		throw new RangeError(`maxBatch must be a positive integer, got ${maxBatch}`);
	}

	const queue: QueuedItem[] = [];
	let flushing: Promise<void> | undefined;
	let transactions = 0;
	let items = 0;
	let largestBatch = 0;

	async function commitBatch(batch: readonly QueuedItem[]): Promise<void> {
		transactions += 1;
		items += batch.length;
		largestBatch = Math.max(largestBatch, batch.length);
		let results: ItemResult[];
		try {
			results = await store.transaction(async (transaction) => {
				const settled: ItemResult[] = [];
				for (const item of batch) {
					try {
						const value = await transaction.savepoint(async () => item.work(transaction));
						settled.push({ok: true, value});
					} catch (error) {
						settled.push({ok: false, error});
					}
				}

				return settled;
			});
		} catch (error) {
			for (const item of batch) {
				item.reject(error);
			}

			return;
		}

		// Only now, after COMMIT, may anyone learn the outcome.
		for (const [index, item] of batch.entries()) {
			const result = results[index];
			if (result?.ok) {
				item.resolve(result.value);
			} else {
				item.reject(result ? result.error : new Error('group commit lost an item'));
			}
		}
	}

	async function flush(): Promise<void> {
		// Let the rest of this event-loop turn's I/O callbacks queue their work first.
		await new Promise<void>((resolve) => {
			setImmediate(resolve);
		});
		while (queue.length > 0) {
			await commitBatch(queue.splice(0, maxBatch));
		}
	}

	function startFlush(): void {
		flushing ??= flush().finally(() => {
			flushing = undefined;
			// Work queued during the last commit's final microtasks.
			if (queue.length > 0) {
				startFlush();
			}
		});
	}

	return {
		async submit<T>(work: (transaction: LedgerTransaction) => Promise<T>): Promise<T> {
			return new Promise<T>((resolve, reject) => {
				queue.push({work, resolve: resolve as (value: unknown) => void, reject});
				startFlush();
			});
		},
		async drain() {
			// A flush may end by starting another one.
			for (let current = flushing; current; current = flushing) {
				await current;
			}
		},
		stats() {
			return {transactions, items, largestBatch};
		},
	};
}

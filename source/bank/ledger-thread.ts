/**
 * The ledger in a thread of its own: a Ledger whose methods run in a worker (ledger-worker.ts)
 * that owns the SQLite connection.
 *
 * Why: with synchronous=FULL each COMMIT waits for an fsync, and better-sqlite3 waits on the thread
 * that calls it. On the bank's event loop that wait stalled every connection (handshakes, records,
 * other customers' requests) for a fraction of each commit. In a worker, the event loop goes on
 * decrypting and parsing while the disk syncs, and the ledger's SQL runs on the other core. The
 * rules, the group commit and the durability promise are unchanged: the worker runs the same
 * createLedger, and no call resolves before its transaction has committed there.
 *
 * Calls made in the same event-loop turn go over as one message, and replies come back one message
 * per turn of the worker, so a group of 32 operations costs two messages, not 64.
 */
import {createRequire} from 'node:module';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {Worker} from 'node:worker_threads';
import type {GroupCommitStats} from './group-commit.js';
import type {Ledger} from './ledger.js';
import type {
	FromLedgerThread,
	LedgerCall,
	LedgerMethod,
	LedgerThreadOptions,
	ToLedgerThread,
} from './ledger-thread-protocol.js';

export type {LedgerThreadOptions} from './ledger-thread-protocol.js';

export type ThreadLedger = Ledger & {
	/** The SQLite file the thread opened. */
	readonly file: string;
	/** Waits for every call made so far, closes the store and ends the thread. */
	close(): Promise<void>;
};

/** The ledger thread failed or stopped; the call cannot have been committed after this. */
export class LedgerThreadError extends Error {
	override readonly name = 'LedgerThreadError';
}

type Waiter = {resolve: (value: unknown) => void; reject: (error: Error) => void};

/**
 * The worker's code: the built ledger-worker.js next to this file. When this file runs as
 * TypeScript (the tests, through vitest), the worker must load ledger-worker.ts, which Node cannot
 * do alone: a small bootstrap registers tsx (a dev dependency) in the worker first.
 */
function startWorker(options: LedgerThreadOptions): Worker {
	if (!import.meta.url.endsWith('.ts')) {
		return new Worker(new URL('ledger-worker.js', import.meta.url), {workerData: options});
	}

	const require = createRequire(import.meta.url);
	const tsxManifest = require.resolve('tsx/package.json');
	const tsxApi = (require(tsxManifest) as {exports: Record<string, {import: {default: string}}>})
		.exports['./esm/api']!.import.default;
	const api = pathToFileURL(path.join(path.dirname(tsxManifest), tsxApi)).href;
	const entry = new URL('ledger-worker.ts', import.meta.url).href;
	const bootstrap = `import(${JSON.stringify(api)}).then(({register}) => {
		register();
		return import(${JSON.stringify(entry)});
	});`;
	return new Worker(bootstrap, {eval: true, workerData: options});
}

/** Starts the thread and resolves once it has opened (and, if need be, migrated) the ledger. */
export async function openLedgerThread(options: LedgerThreadOptions): Promise<ThreadLedger> {
	const worker = startWorker(options);
	const waiting = new Map<number, Waiter>();
	let nextId = 1;
	let stats: GroupCommitStats = {transactions: 0, items: 0, largestBatch: 0};
	let stopped: LedgerThreadError | undefined;
	let outbox: LedgerCall[] = [];
	let closing: Promise<void> | undefined;

	const exited = new Promise<number>((resolve) => {
		worker.once('exit', resolve);
	});

	const stop = (why: string): void => {
		stopped ??= new LedgerThreadError(`the ledger thread stopped: ${why}`);
		for (const waiter of waiting.values()) waiter.reject(stopped);
		waiting.clear();
	};

	worker.on('error', (error) => {
		stop(error.message);
	});
	void exited.then((code) => {
		stop(`exit code ${code}`);
	});

	const file = await new Promise<string>((resolve, reject) => {
		const onMessage = (message: FromLedgerThread) => {
			if (message.type === 'ready') resolve(message.file);
			else if (message.type === 'failed') reject(new Error(message.message));
		};

		worker.once('message', onMessage);
		void exited.then((code) => {
			reject(new LedgerThreadError(`the ledger thread exited (code ${code}) before it opened`));
		});
	});

	const closed = new Promise<void>((resolve) => {
		worker.on('message', (message: FromLedgerThread) => {
			if (message.type === 'replies') {
				stats = message.stats;
				for (const reply of message.replies) {
					const waiter = waiting.get(reply.id);
					if (!waiter) continue;
					waiting.delete(reply.id);
					if (reply.ok) {
						waiter.resolve(reply.value);
					} else {
						const error = new Error(reply.error.message);
						error.name = reply.error.name;
						waiter.reject(error);
					}
				}
			} else if (message.type === 'closed') {
				resolve();
			}
		});
	});

	const send = (message: ToLedgerThread): void => {
		worker.postMessage(message);
	};

	const flush = (): void => {
		const calls = outbox;
		outbox = [];
		if (!stopped) send({type: 'calls', calls});
	};

	async function call<T>(method: LedgerMethod, args: readonly unknown[]): Promise<T> {
		if (stopped) throw stopped;
		if (closing) throw new LedgerThreadError('the ledger is closing');
		const id = nextId++;
		return new Promise<T>((resolve, reject) => {
			waiting.set(id, {resolve: resolve as (value: unknown) => void, reject});
			if (outbox.length === 0) setImmediate(flush);
			outbox.push({id, method, args});
		});
	}

	return {
		file,
		login: async (name, password) => call('login', [name, password]),
		signup: async (name, password) => call('signup', [name, password]),
		deposit: async (account, requestId, amount) => call('deposit', [account, requestId, amount]),
		withdraw: async (account, requestId, amount) => call('withdraw', [account, requestId, amount]),
		transfer: async (account, requestId, amount, to) =>
			call('transfer', [account, requestId, amount, to]),
		balance: async (account) => call('balance', [account]),
		history: async (account, query) => call('history', query ? [account, query] : [account]),
		drain: async () => call('drain', []),
		commitStats: () => stats,
		async close() {
			closing ??= (async () => {
				if (!stopped) {
					if (outbox.length > 0) flush();
					send({type: 'close'});
					await Promise.race([closed, exited]);
				}

				await exited;
			})();
			return closing;
		},
	};
}

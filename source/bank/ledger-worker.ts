/**
 * The ledger thread's entry point (a worker_threads Worker, started by ledger-thread.ts).
 *
 * It owns the SQLite connection and runs the ledger's rules and group commit exactly as the bank
 * would in one thread. Only here does a COMMIT wait for its fsync (synchronous=FULL), so the
 * bank's event loop keeps reading, decrypting and answering other customers meanwhile; calls that
 * arrive while a commit waits make up the next group.
 */
import {parentPort, workerData} from 'node:worker_threads';
import {createLedger} from './ledger.js';
import type {
	FromLedgerThread,
	LedgerCall,
	LedgerReply,
	LedgerThreadOptions,
	ToLedgerThread,
} from './ledger-thread-protocol.js';
import {openSqliteLedgerStore} from './store-sqlite.js';

const port = parentPort!;
const options = workerData as LedgerThreadOptions;

function post(message: FromLedgerThread): void {
	port.postMessage(message);
}

function start(): void {
	let store: ReturnType<typeof openSqliteLedgerStore>;
	try {
		store = openSqliteLedgerStore(options.dataDirectory, options.sqlite);
	} catch (error) {
		post({type: 'failed', message: error instanceof Error ? error.message : String(error)});
		port.close();
		return;
	}

	const ledger = createLedger({
		store,
		...(options.lockoutMs === undefined ? {} : {lockoutMs: options.lockoutMs}),
		...(options.maxFailures === undefined ? {} : {maxFailures: options.maxFailures}),
		...(options.scryptCost ? {scryptCost: options.scryptCost} : {}),
		...(options.maxBatch ? {maxBatch: options.maxBatch} : {}),
	});

	// Replies settled in the same turn (a whole group commit) go back as one message.
	let outbox: LedgerReply[] = [];
	const flush = (): void => {
		const replies = outbox;
		outbox = [];
		post({type: 'replies', replies, stats: ledger.commitStats()});
	};

	const reply = (answer: LedgerReply): void => {
		if (outbox.length === 0) setImmediate(flush);
		outbox.push(answer);
	};

	const run = (call: LedgerCall): void => {
		const method = ledger[call.method] as (...args: readonly unknown[]) => Promise<unknown>;
		method(...call.args).then(
			(value) => {
				reply({id: call.id, ok: true, value});
			},
			(error: unknown) => {
				const {name, message} =
					error instanceof Error ? error : {name: 'Error', message: String(error)};
				reply({id: call.id, ok: false, error: {name, message}});
			},
		);
	};

	let closing = false;
	port.on('message', (message: ToLedgerThread) => {
		if (message.type === 'calls') {
			for (const call of message.calls) run(call);
			return;
		}

		if (closing) return;
		closing = true;
		void (async () => {
			await ledger.drain();
			await store.close();
			if (outbox.length > 0) flush();
			post({type: 'closed'});
			port.close();
		})();
	});
	post({type: 'ready', file: store.settings().file});
}

start();

/**
 * A child process for store-sqlite.test.ts: deposits into a ledger (synchronous=FULL, the real
 * setting) as fast as it can and prints `ack <requestId> <entryId>` for each acknowledged deposit,
 * until the test kills it with SIGKILL. Writes to a pipe are synchronous on Linux, so every line
 * the parent read was printed after its deposit's promise resolved.
 *
 * Usage: node --import tsx test/bank/crash-writer.ts <data folder>
 */
import {addAccount} from '../../source/bank/accounts.js';
import {createLedger} from '../../source/bank/ledger.js';
import {openSqliteLedgerStore} from '../../source/bank/store-sqlite.js';

const scryptCost = {N: 2 ** 8, r: 2, p: 1};
const folder = process.argv[2];
if (!folder) {
	throw new Error('usage: crash-writer.ts <data folder>');
}

const store = openSqliteLedgerStore(folder);
await addAccount(store, 'alice', 'password!', {scryptCost});
const ledger = createLedger({store, scryptCost});
process.stdout.write('ready\n');
for (let round = 0; round < 100_000; round++) {
	const requestIds = [0, 1, 2, 3].map((index) => `d-${round}-${index}`);
	const results = await Promise.all(
		requestIds.map(async (requestId) => ledger.deposit('alice', requestId, 100)),
	);
	for (const [index, {outcome}] of results.entries()) {
		if (outcome.ok) {
			process.stdout.write(`ack ${requestIds[index]} ${outcome.entryId}\n`);
		}
	}
}

/**
 * `securebank accounts add NAME` and `securebank accounts list`, straight on the server's ledger
 * (SQLite in WAL mode, so this works while the server runs). The password is prompted on a
 * terminal without echo, or read as the first line of standard input otherwise.
 */
import {createInterface} from 'node:readline';
import {addAccount, listAccounts} from '../bank/accounts.js';
import {formatCents} from '../bank/money.js';
import {BankError} from '../bank/outcomes.js';
import {openSqliteLedgerStore} from '../bank/store-sqlite.js';
import {serverDataDirectory} from './paths.js';
import {UsageError, type CliFlags} from './run.js';

async function readHiddenLine(prompt: string): Promise<string> {
	const stdin = process.stdin;
	process.stderr.write(prompt);
	stdin.setRawMode(true);
	stdin.resume();
	let value = '';
	try {
		return await new Promise<string>((resolve, reject) => {
			const onData = (chunk: Buffer) => {
				for (const character of chunk.toString('utf8')) {
					if (character === '\r' || character === '\n') {
						stdin.off('data', onData);
						resolve(value);
						return;
					}

					if (character === '\u0003') {
						stdin.off('data', onData);
						reject(new UsageError('cancelled'));
						return;
					}

					if (character === '\u007F' || character === '\b') value = value.slice(0, -1);
					else value += character;
				}
			};

			stdin.on('data', onData);
		});
	} finally {
		stdin.setRawMode(false);
		stdin.pause();
		process.stderr.write('\n');
	}
}

async function readPassword(): Promise<string> {
	if (process.stdin.isTTY) {
		const first = await readHiddenLine('New password (8 to 256 characters): ');
		const second = await readHiddenLine('Repeat the password: ');
		if (first !== second) throw new UsageError('the passwords do not match');
		return first;
	}

	const input = createInterface({input: process.stdin, terminal: false});
	const first = await input[Symbol.asyncIterator]().next();
	input.close();
	if (first.done !== true) return first.value;

	throw new UsageError('no password on standard input');
}

export async function accountsCommand(args: readonly string[], flags: CliFlags): Promise<number> {
	const [action, name, ...extra] = args;
	if (action === 'add') {
		if (!name || extra.length > 0) throw new UsageError('accounts add NAME');
		const password = await readPassword();
		const store = openSqliteLedgerStore(serverDataDirectory(flags.data));
		try {
			const account = await addAccount(store, name, password);
			process.stdout.write(`added account ${account.name}\n`);
			return 0;
		} catch (error) {
			if (error instanceof BankError) {
				process.stderr.write(`securebank: ${error.message}\n`);
				return 2;
			}

			throw error;
		} finally {
			await store.close();
		}
	}

	if (action === 'list') {
		if (name) throw new UsageError('accounts list takes no arguments');
		const store = openSqliteLedgerStore(serverDataDirectory(flags.data));
		try {
			const accounts = await listAccounts(store);
			if (flags.json) {
				for (const account of accounts)
					process.stdout.write(
						`${JSON.stringify({...account, balance: formatCents(account.balanceCents)})}\n`,
					);
			} else if (accounts.length === 0) {
				process.stdout.write('no accounts yet: securebank accounts add NAME\n');
			} else {
				for (const account of accounts) {
					const locked = account.lockedUntil
						? `  LOCKED until ${account.lockedUntil.toISOString()}`
						: '';
					process.stdout.write(
						`${account.name.padEnd(32)} ${formatCents(account.balanceCents).padStart(18)}  since ${account.created.toISOString()}${locked}\n`,
					);
				}
			}

			return 0;
		} finally {
			await store.close();
		}
	}

	throw new UsageError('accounts add NAME | accounts list');
}

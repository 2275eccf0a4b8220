/**
 * The CLI's account functions: addAccount with its refusals, listAccounts with balances.
 */
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {addAccount, listAccounts} from '../../source/bank/accounts.js';
import {createLedger} from '../../source/bank/ledger.js';
import {BankError} from '../../source/bank/outcomes.js';
import type {SqliteLedgerStore} from '../../source/bank/store-sqlite.js';
import {makeClock, makeTempFolder, openFastStore, TEST_SCRYPT_COST} from './bank-fixtures.js';

const options = {scryptCost: TEST_SCRYPT_COST};
let temporary: ReturnType<typeof makeTempFolder>;
let store: SqliteLedgerStore;

beforeEach(() => {
	temporary = makeTempFolder();
	store = openFastStore(temporary.folder);
});

afterEach(async () => {
	await store.close();
	temporary.remove();
});

async function refusalOf(work: Promise<unknown>): Promise<{code: string; message: string}> {
	try {
		await work;
	} catch (error) {
		expect(error).toBeInstanceOf(BankError);
		const {code, message} = error as BankError;
		return {code, message};
	}

	throw new Error('expected a BankError');
}

describe('addAccount', () => {
	it('opens an account with a zero balance that can log in', async () => {
		const clock = makeClock();
		expect(await addAccount(store, 'alice', 'password!', {...options, now: clock.now})).toEqual({
			name: 'alice',
			balanceCents: 0,
			created: new Date(clock.now()),
		});
		const ledger = createLedger({store, ...options});
		expect(await ledger.login('alice', 'password!')).toEqual({
			ok: true,
			op: 'login',
			name: 'alice',
			balance: 0,
		});
	});

	it.each([
		['Alice', 'password!', 'invalid_name', 'name must be lower-case'],
		[
			'al ice',
			'password!',
			'invalid_name',
			'name must be 1 to 32 characters of a-z, 0-9, ".", "_" or "-", starting with a letter or digit',
		],
		[
			'',
			'password!',
			'invalid_name',
			'name must be 1 to 32 characters of a-z, 0-9, ".", "_" or "-", starting with a letter or digit',
		],
		['alice', 'short', 'invalid_password', 'password must be 8 to 256 characters long'],
		['alice', 'p'.repeat(257), 'invalid_password', 'password must be 8 to 256 characters long'],
	])('refuses %j / %j: %s', async (name, password, code, message) => {
		expect(await refusalOf(addAccount(store, name, password, options))).toEqual({code, message});
		expect(await listAccounts(store)).toEqual([]);
	});

	it('refuses a name that is taken', async () => {
		await addAccount(store, 'alice', 'password!', options);
		expect(await refusalOf(addAccount(store, 'alice', 'other password', options))).toEqual({
			code: 'name_taken',
			message: 'an account named alice already exists',
		});
	});
});

describe('listAccounts', () => {
	it('lists every account by name with its balance in cents', async () => {
		const clock = makeClock();
		await addAccount(store, 'carol', 'password!', {...options, now: clock.now});
		await addAccount(store, 'alice', 'password!', {...options, now: clock.now});
		const ledger = createLedger({store, ...options});
		await ledger.deposit('carol', 'd', 12_345);
		expect(await listAccounts(store, clock.now())).toEqual([
			{name: 'alice', balanceCents: 0, created: new Date(clock.now())},
			{name: 'carol', balanceCents: 12_345, created: new Date(clock.now())},
		]);
	});
});

/**
 * Account administration for the CLI (`securebank accounts add NAME`, `accounts list`): the same
 * rules as signup, straight on a store, without a running server.
 */
import {accountNameProblem, passwordProblem} from './input-rules.js';
import {insertAccount} from './login.js';
import {BankError, refusals} from './outcomes.js';
import {DEFAULT_SCRYPT_COST, hashPassword, type ScryptCost} from './passwords.js';
import type {LedgerStore} from './store.js';

export type AccountSummary = {
	readonly name: string;
	readonly balanceCents: number;
	readonly created: Date;
	/** Present only while the account is locked out. */
	readonly lockedUntil?: Date;
};

export type AddAccountOptions = {
	readonly scryptCost?: ScryptCost;
	readonly now?: () => number;
};

/**
 * Opens an account with a zero balance. Throws BankError with code invalid_name, invalid_password
 * (8 to 256 characters) or name_taken.
 */
export async function addAccount(
	store: LedgerStore,
	name: string,
	password: string,
	options: AddAccountOptions = {},
): Promise<AccountSummary> {
	const nameWhy = accountNameProblem(name);
	if (nameWhy) {
		throw new BankError(refusals.invalidName(nameWhy));
	}

	const passwordWhy = passwordProblem(password, 'signup');
	if (passwordWhy) {
		throw new BankError(refusals.invalidPassword(passwordWhy));
	}

	const passwordHash = await hashPassword(password, options.scryptCost ?? DEFAULT_SCRYPT_COST);
	const created = (options.now ?? Date.now)();
	const outcome = await store.transaction(async (transaction) =>
		insertAccount(transaction, name, passwordHash, created),
	);
	if (!outcome.ok) {
		throw new BankError(outcome.error);
	}

	return {name, balanceCents: 0, created: new Date(created)};
}

/** Every account, by name, with its balance and, while locked out, until when. */
export async function listAccounts(
	store: LedgerStore,
	now: number = Date.now(),
): Promise<AccountSummary[]> {
	const accounts = await store.listAccounts();
	return accounts.map((account) => ({
		name: account.name,
		balanceCents: account.balance,
		created: new Date(account.created),
		...(account.lockedUntil !== null && account.lockedUntil > now
			? {lockedUntil: new Date(account.lockedUntil)}
			: {}),
	}));
}

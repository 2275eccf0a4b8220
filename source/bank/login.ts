/**
 * Login and signup rules.
 *
 * - Passwords are checked with scrypt on a worker thread (passwords.ts). An unknown name costs the
 *   same work (a dummy hash made up front, then the same group-commit round trip) and gets the
 *   same answer, login_failed, as a wrong password: the reply does not tell whether an account
 *   exists. Nor does the disk: a wrong password writes the account's failure count, and an
 *   unknown name writes a count too (login_audit), so both commits carry one row and one fsync.
 * - After maxFailures (5) consecutive failures the account is locked for lockoutMs (15 minutes);
 *   the failure that locks it already answers account_locked, with the time it ends. While
 *   locked, logins are refused without checking the password (no guessing during the lock). A
 *   success resets the count; so does the lock, so the first failure after it starts a new series.
 * - The failure count is read and written inside a group-commit transaction, so concurrent
 *   guesses cannot lose an update between them.
 */
import type {GroupCommitter} from './group-commit.js';
import {accountNameProblem, passwordProblem} from './input-rules.js';
import {
	accept,
	refusals,
	refuse,
	type LoginResult,
	type Outcome,
	type SignupResult,
} from './outcomes.js';
import {
	createDummyPasswordHash,
	DEFAULT_SCRYPT_COST,
	hashPassword,
	verifyPassword,
	type ScryptCost,
} from './passwords.js';
import type {AccountRecord, LedgerStore, LedgerTransaction} from './store.js';

export const DEFAULT_LOCKOUT_MS = 15 * 60 * 1000;
export const DEFAULT_MAX_FAILURES = 5;

export type LoginRulesOptions = {
	readonly store: LedgerStore;
	readonly committer: GroupCommitter;
	readonly lockoutMs?: number;
	readonly maxFailures?: number;
	readonly now?: () => number;
	readonly scryptCost?: ScryptCost;
};

export type LoginRules = {
	login(name: string, password: string): Promise<Outcome<LoginResult>>;
	signup(name: string, password: string): Promise<Outcome<SignupResult>>;
};

/** Inserts an account unless the name is taken; shared by signup and the CLI's addAccount. */
export async function insertAccount(
	transaction: LedgerTransaction,
	name: string,
	passwordHash: string,
	created: number,
): Promise<Outcome<SignupResult>> {
	if (await transaction.findAccount(name)) {
		return refuse(refusals.nameTaken(name));
	}

	await transaction.insertAccount({name, passwordHash, created});
	return accept({op: 'signup', name, balance: 0});
}

export function createLoginRules(options: LoginRulesOptions): LoginRules {
	const {store, committer} = options;
	const lockoutMs = options.lockoutMs ?? DEFAULT_LOCKOUT_MS;
	const maxFailures = options.maxFailures ?? DEFAULT_MAX_FAILURES;
	const now = options.now ?? Date.now;
	const scryptCost = options.scryptCost ?? DEFAULT_SCRYPT_COST;
	if (!Number.isSafeInteger(maxFailures) || maxFailures < 1) {
		throw new RangeError(`maxFailures must be a positive integer, got ${maxFailures}`);
	}

	if (!Number.isSafeInteger(lockoutMs) || lockoutMs < 0) {
		throw new RangeError(`lockoutMs must be a non-negative integer, got ${lockoutMs}`);
	}

	// Made once, up front, so the first unknown name costs no more than any other login.
	const dummyHash = createDummyPasswordHash(scryptCost);
	// Awaited at the first unknown name; a failure surfaces there, not as an unhandled rejection.
	dummyHash.catch(() => undefined);

	const isLocked = (account: AccountRecord, time: number): boolean =>
		account.lockedUntil !== null && account.lockedUntil > time;

	/** Counts a failed login inside a transaction; locks the account on the last allowed one. */
	async function recordLoginFailure(name: string): Promise<Outcome<LoginResult>> {
		return committer.submit(async (transaction) => {
			const account = await transaction.findAccount(name);
			const time = now();
			if (!account) {
				await transaction.countUnknownNameFailure();
				return refuse(refusals.loginFailed());
			}

			if (isLocked(account, time)) {
				return refuse(refusals.accountLocked(new Date(account.lockedUntil ?? time)));
			}

			const failures = account.failedLogins + 1;
			if (failures >= maxFailures) {
				// The count restarts, so the first failure after the lock starts a new series.
				const lockedUntil = time + lockoutMs;
				await transaction.updateLoginState(account.id, 0, lockedUntil);
				return refuse(refusals.accountLocked(new Date(lockedUntil)));
			}

			await transaction.updateLoginState(account.id, failures, account.lockedUntil);
			return refuse(refusals.loginFailed());
		});
	}

	async function recordLoginSuccess(name: string): Promise<Outcome<LoginResult>> {
		return committer.submit(async (transaction) => {
			const account = await transaction.findAccount(name);
			if (!account) {
				return refuse(refusals.loginFailed());
			}

			// A concurrent wrong guess may have locked the account while this password was checked.
			if (isLocked(account, now())) {
				return refuse(refusals.accountLocked(new Date(account.lockedUntil ?? 0)));
			}

			if (account.failedLogins !== 0 || account.lockedUntil !== null) {
				await transaction.updateLoginState(account.id, 0, null);
			}

			return accept({op: 'login', name, balance: account.balance});
		});
	}

	return {
		async login(name, password) {
			const nameIsValid = accountNameProblem(name) === undefined;
			const passwordIsValid = passwordProblem(password, 'login') === undefined;
			const account = nameIsValid ? await store.findAccount(name) : undefined;
			if (account && isLocked(account, now())) {
				return refuse(refusals.accountLocked(new Date(account.lockedUntil ?? 0)));
			}

			// The same work whether or not the account exists: one scrypt run, then a group-commit
			// transaction (which, for an unknown name, finds nothing to count).
			const matches = await verifyPassword(password, account?.passwordHash ?? (await dummyHash));
			return account && matches && passwordIsValid
				? recordLoginSuccess(name)
				: recordLoginFailure(name);
		},

		async signup(name, password) {
			const nameWhy = accountNameProblem(name);
			if (nameWhy) {
				return refuse(refusals.invalidName(nameWhy));
			}

			const passwordWhy = passwordProblem(password, 'signup');
			if (passwordWhy) {
				return refuse(refusals.invalidPassword(passwordWhy));
			}

			const passwordHash = await hashPassword(password, scryptCost);
			return committer.submit(async (transaction) =>
				insertAccount(transaction, name, passwordHash, now()),
			);
		},
	};
}

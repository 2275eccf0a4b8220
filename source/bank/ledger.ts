/**
 * The ledger's rules: what a deposit, withdrawal or transfer may do, and what a retried request
 * gets; login and signup are login.ts's. Persistence is the store's (store.ts); this file decides.
 *
 * - Money is integer cents; one operation moves 0.01 to MAX_AMOUNT_CENTS; a balance stays within
 *   0 .. MAX_BALANCE_CENTS. Every balance change is a journal entry, written with the new balance.
 * - Mutations go through the group committer: each runs against the running balance inside a
 *   shared transaction, and resolves only after that transaction committed.
 * - Idempotency (TigerBeetle's rule): a mutation carries a client-chosen request id, unique per
 *   account. The first attempt's fingerprint (op, amount, target) and outcome are stored with its
 *   journal entries, in the same transaction. A retry with the same fingerprint gets that outcome
 *   back and applies nothing; the same id with a different fingerprint is refused
 *   (request_id_reused). Refusals that depend on the ledger's state (insufficient_funds,
 *   unknown_account, balance_limit) are stored too, so a request id's answer never changes;
 *   refusals of the request itself (a bad amount, a transfer to oneself) are not, since a retry
 *   gets them again anyway.
 */
import {createGroupCommitter, type GroupCommitStats} from './group-commit.js';
import {
	accountNameProblem,
	HISTORY_DEFAULT_LIMIT,
	HISTORY_MAX_LIMIT,
	requestIdProblem,
} from './input-rules.js';
import {createLoginRules} from './login.js';
import {MAX_AMOUNT_CENTS, MAX_BALANCE_CENTS} from './money.js';
import {
	accept,
	refusals,
	refuse,
	type BalanceResult,
	type BankRefusal,
	type DepositResult,
	type HistoryResult,
	type LoginResult,
	type MovementResult,
	type Outcome,
	type SignupResult,
	type TransferResult,
	type WithdrawResult,
} from './outcomes.js';
import type {ScryptCost} from './passwords.js';
import type {AccountRecord, LedgerStore, LedgerTransaction, RequestOp} from './store.js';

export type LedgerOptions = {
	readonly store: LedgerStore;
	/** How long an account stays locked after maxFailures failed logins; 15 minutes unless told. */
	readonly lockoutMs?: number;
	/** Consecutive failed logins that lock an account; 5 unless told. */
	readonly maxFailures?: number;
	/** The clock, in milliseconds since the epoch; Date.now unless told (tests inject one). */
	readonly now?: () => number;
	/** The scrypt cost for new passwords and the dummy hash; DEFAULT_SCRYPT_COST unless told. */
	readonly scryptCost?: ScryptCost;
	/** The most mutations per transaction; 1 disables group commit. */
	readonly maxBatch?: number;
};

/** A mutation's outcome, and whether it was a retry answered from the request table. */
export type Mutation<Result extends MovementResult | TransferResult> = {
	readonly outcome: Outcome<Result>;
	readonly replayed: boolean;
};

export type HistoryQuery = {readonly limit?: number; readonly before?: number};

export type Ledger = {
	login(name: string, password: string): Promise<Outcome<LoginResult>>;
	/** Opens an account with a zero balance (whether signup is allowed is the service's call). */
	signup(name: string, password: string): Promise<Outcome<SignupResult>>;
	deposit(account: string, requestId: string, amount: number): Promise<Mutation<DepositResult>>;
	withdraw(account: string, requestId: string, amount: number): Promise<Mutation<WithdrawResult>>;
	transfer(
		account: string,
		requestId: string,
		amount: number,
		to: string,
	): Promise<Mutation<TransferResult>>;
	balance(account: string): Promise<Outcome<BalanceResult>>;
	/** Entries most recent first, `limit` (1..100, default 10) per page, older than `before`. */
	history(account: string, query?: HistoryQuery): Promise<Outcome<HistoryResult>>;
	/** Resolves once every submitted mutation has committed. */
	drain(): Promise<void>;
	commitStats(): GroupCommitStats;
};

type Fingerprint = {
	readonly op: RequestOp;
	readonly amount: number;
	readonly target: string | null;
};

function amountRefusal(amount: number): BankRefusal | undefined {
	if (!Number.isSafeInteger(amount) || amount <= 0) {
		return refusals.invalidAmount();
	}

	return amount > MAX_AMOUNT_CENTS ? refusals.amountTooLarge(amount, MAX_AMOUNT_CENTS) : undefined;
}

export function createLedger(options: LedgerOptions): Ledger {
	const {store} = options;
	const now = options.now ?? Date.now;
	const committer = createGroupCommitter(store, {maxBatch: options.maxBatch});
	const logins = createLoginRules({...options, committer});
	/** The idempotency decision and the request record around one mutation's rule. */
	async function mutate<Result extends MovementResult | TransferResult>(
		accountName: string,
		requestId: string,
		fingerprint: Fingerprint,
		apply: (
			transaction: LedgerTransaction,
			holder: AccountRecord,
			time: number,
		) => Promise<Outcome<Result>>,
	): Promise<Mutation<Result>> {
		const requestIdWhy = requestIdProblem(requestId);
		const refusal =
			requestIdWhy === undefined
				? amountRefusal(fingerprint.amount)
				: refusals.invalidRequestId(requestIdWhy);
		if (refusal) {
			return {outcome: refuse(refusal), replayed: false};
		}

		return committer.submit(async (transaction) => {
			const holder = await transaction.findAccount(accountName);
			if (!holder) {
				return {outcome: refuse(refusals.unknownAccount(accountName)), replayed: false};
			}

			const earlier = await transaction.findRequest(holder.id, requestId);
			if (earlier) {
				const sameRequest =
					earlier.op === fingerprint.op &&
					earlier.amount === fingerprint.amount &&
					earlier.target === fingerprint.target;
				return sameRequest
					? {outcome: JSON.parse(earlier.outcome) as Outcome<Result>, replayed: true}
					: {outcome: refuse(refusals.requestIdReused(requestId)), replayed: false};
			}

			const time = now();
			const outcome = await apply(transaction, holder, time);
			await transaction.saveRequest({
				accountId: holder.id,
				requestId,
				...fingerprint,
				outcome: JSON.stringify(outcome),
				time,
			});
			return {outcome, replayed: false};
		});
	}

	return {
		login: logins.login,
		signup: logins.signup,

		async deposit(account, requestId, amount) {
			const fingerprint = {op: 'deposit', amount, target: null} as const;
			return mutate<DepositResult>(
				account,
				requestId,
				fingerprint,
				async (transaction, holder, time) => {
					if (holder.balance + amount > MAX_BALANCE_CENTS) {
						return refuse(refusals.balanceLimit(holder.name, amount, MAX_BALANCE_CENTS));
					}

					const balance = holder.balance + amount;
					const entryId = await transaction.appendEntry({
						accountId: holder.id,
						kind: 'deposit',
						amount,
						balanceAfter: balance,
						requestId,
						counterpartyId: null,
						time,
					});
					return accept({op: 'deposit', requestId, amount, balance, entryId});
				},
			);
		},

		async withdraw(account, requestId, amount) {
			const fingerprint = {op: 'withdraw', amount, target: null} as const;
			return mutate<WithdrawResult>(
				account,
				requestId,
				fingerprint,
				async (transaction, holder, time) => {
					if (amount > holder.balance) {
						return refuse(refusals.insufficientFunds(holder.balance, amount));
					}

					const balance = holder.balance - amount;
					const entryId = await transaction.appendEntry({
						accountId: holder.id,
						kind: 'withdraw',
						amount,
						balanceAfter: balance,
						requestId,
						counterpartyId: null,
						time,
					});
					return accept({op: 'withdraw', requestId, amount, balance, entryId});
				},
			);
		},

		async transfer(account, requestId, amount, to) {
			const toWhy = accountNameProblem(to);
			if (toWhy) {
				return {outcome: refuse(refusals.invalidName(toWhy)), replayed: false};
			}

			if (to === account) {
				return {outcome: refuse(refusals.selfTransfer()), replayed: false};
			}

			const fingerprint = {op: 'transfer', amount, target: to} as const;
			return mutate<TransferResult>(
				account,
				requestId,
				fingerprint,
				async (transaction, holder, time) => {
					const recipient = await transaction.findAccount(to);
					if (!recipient) {
						return refuse(refusals.unknownAccount(to));
					}

					if (amount > holder.balance) {
						return refuse(refusals.insufficientFunds(holder.balance, amount));
					}

					if (recipient.balance + amount > MAX_BALANCE_CENTS) {
						return refuse(refusals.balanceLimit(recipient.name, amount, MAX_BALANCE_CENTS));
					}

					// Both sides in the same transaction (and savepoint): both are applied or neither.
					const balance = holder.balance - amount;
					const entryId = await transaction.appendEntry({
						accountId: holder.id,
						kind: 'transfer_out',
						amount,
						balanceAfter: balance,
						requestId,
						counterpartyId: recipient.id,
						time,
					});
					await transaction.appendEntry({
						accountId: recipient.id,
						kind: 'transfer_in',
						amount,
						balanceAfter: recipient.balance + amount,
						requestId,
						counterpartyId: holder.id,
						time,
					});
					return accept({op: 'transfer', requestId, amount, to, balance, entryId});
				},
			);
		},

		async balance(account) {
			const holder = await store.findAccount(account);
			return holder
				? accept({op: 'balance', name: holder.name, balance: holder.balance})
				: refuse(refusals.unknownAccount(account));
		},

		async history(account, query = {}) {
			const limit = query.limit ?? HISTORY_DEFAULT_LIMIT;
			if (!Number.isSafeInteger(limit) || limit < 1 || limit > HISTORY_MAX_LIMIT) {
				return refuse(
					refusals.invalidField('limit', `must be a whole number from 1 to ${HISTORY_MAX_LIMIT}`),
				);
			}

			const {before} = query;
			if (before !== undefined && (!Number.isSafeInteger(before) || before < 1)) {
				return refuse(
					refusals.invalidField('before', 'must be a positive whole number (an entry id)'),
				);
			}

			const holder = await store.findAccount(account);
			if (!holder) {
				return refuse(refusals.unknownAccount(account));
			}

			// One more than asked, to know whether an older page exists.
			const records = await store.history(holder.id, {limit: limit + 1, before});
			if (!records) {
				return refuse(
					refusals.invalidField(
						'before',
						"is not one of this account's entries (pass the nextBefore of the page before)",
					),
				);
			}

			const entries = records.slice(0, limit).map((record) => ({
				entryId: record.entryId,
				kind: record.kind,
				amount: record.amount,
				balanceAfter: record.balanceAfter,
				requestId: record.requestId,
				counterparty: record.counterparty,
				time: new Date(record.time).toISOString(),
			}));
			const nextBefore = records.length > limit ? (entries.at(-1)?.entryId ?? null) : null;
			return accept({op: 'history', entries, nextBefore, balance: holder.balance});
		},

		async drain() {
			await committer.drain();
		},

		commitStats: () => committer.stats(),
	};
}

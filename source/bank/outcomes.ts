/**
 * What the bank answers: one result shape per operation and one refusal shape with stable codes.
 *
 * A ledger outcome is exactly the response body the wire carries, less the correlation id:
 * `{ok: true, op, ...}` or `{ok: false, error: {code, message, ...details}}`. The same object is
 * what the request table stores for a mutation, so a retried request id gets back, byte for byte,
 * what the first attempt got. Amounts and balances are integer cents; times are ISO 8601 (UTC).
 */
import {formatCents} from './money.js';

/** Every refusal code the bank sends. Stable: clients key on them, messages are for people. */
export const BANK_ERROR_CODES = [
	'malformed_request',
	'unknown_op',
	'invalid_field',
	'too_many_malformed',
	'not_logged_in',
	'already_logged_in',
	'login_failed',
	'account_locked',
	'signup_disabled',
	'name_taken',
	'invalid_name',
	'invalid_password',
	'invalid_request_id',
	'invalid_amount',
	'amount_too_large',
	'insufficient_funds',
	'balance_limit',
	'unknown_account',
	'self_transfer',
	'request_id_reused',
	'shutting_down',
	'internal_error',
] as const;

export type BankErrorCode = (typeof BANK_ERROR_CODES)[number];

/** A refused request: a stable code, a sentence for people, and the facts behind it. */
export type BankRefusal = {
	readonly code: BankErrorCode;
	readonly message: string;
	/** The request field at fault (invalid_field). */
	readonly field?: string;
	/** The balance when the request was refused, in cents. */
	readonly balance?: number;
	/** The amount asked for, in cents. */
	readonly amount?: number;
	/** The limit that was passed, in cents (amount_too_large, balance_limit). */
	readonly limit?: number;
	/** Until when logins are refused (account_locked), ISO 8601. */
	readonly lockedUntil?: string;
	readonly requestId?: string;
	readonly to?: string;
};

export type JournalKind = 'deposit' | 'withdraw' | 'transfer_out' | 'transfer_in';
export const JOURNAL_KINDS: readonly JournalKind[] = [
	'deposit',
	'withdraw',
	'transfer_out',
	'transfer_in',
];

export type LoginResult = {readonly op: 'login'; readonly name: string; readonly balance: number};
export type SignupResult = {readonly op: 'signup'; readonly name: string; readonly balance: number};

type AppliedMovement = {
	readonly requestId: string;
	readonly amount: number;
	/** The balance right after this operation, in cents. */
	readonly balance: number;
	readonly entryId: number;
};

export type DepositResult = {readonly op: 'deposit'} & AppliedMovement;
export type WithdrawResult = {readonly op: 'withdraw'} & AppliedMovement;
/** A deposit or withdrawal that was applied. */
export type MovementResult = DepositResult | WithdrawResult;

export type TransferResult = {
	readonly op: 'transfer';
	readonly requestId: string;
	readonly amount: number;
	readonly to: string;
	readonly balance: number;
	/** The sender's journal entry. */
	readonly entryId: number;
};

export type BalanceResult = {
	readonly op: 'balance';
	readonly name: string;
	readonly balance: number;
};

export type HistoryEntry = {
	readonly entryId: number;
	readonly kind: JournalKind;
	/** Always positive; `kind` says which way it went. */
	readonly amount: number;
	readonly balanceAfter: number;
	readonly requestId: string;
	/** The other account of a transfer, null for deposits and withdrawals. */
	readonly counterparty: string | null;
	readonly time: string;
};

export type HistoryResult = {
	readonly op: 'history';
	/** Most recent first. */
	readonly entries: readonly HistoryEntry[];
	/** Pass as `before` for the next (older) page; null when there is none. */
	readonly nextBefore: number | null;
	readonly balance: number;
};

export type LogoutResult = {readonly op: 'logout'};

/** What a client may ask before logging in: whether signup is open, and the per-operation limit. */
export type InfoResult = {
	readonly op: 'info';
	readonly signup: boolean;
	/** The most one operation may move, in cents. */
	readonly maxAmount: number;
};

export type BankResult =
	| LoginResult
	| SignupResult
	| DepositResult
	| WithdrawResult
	| TransferResult
	| BalanceResult
	| HistoryResult
	| LogoutResult
	| InfoResult;

export type Refused = {readonly ok: false; readonly error: BankRefusal};

/** A result or a refusal: the response body, less the correlation id. */
export type Outcome<Result extends BankResult> = ({readonly ok: true} & Result) | Refused;

export function accept<Result extends BankResult>(result: Result): Outcome<Result> {
	return {ok: true, ...result};
}

export function refuse(error: BankRefusal): Refused {
	return {ok: false, error};
}

/** The refusals, with their messages in one place. */
export const refusals = {
	malformedRequest: (why: string): BankRefusal => ({
		code: 'malformed_request',
		message: `malformed request: ${why}`,
	}),
	unknownOp: (op: string): BankRefusal => ({
		code: 'unknown_op',
		message: `unknown op ${JSON.stringify(op).slice(0, 40)}`,
	}),
	invalidField: (field: string, why: string): BankRefusal => ({
		code: 'invalid_field',
		message: `"${field}" ${why}`,
		field,
	}),
	tooManyMalformed: (count: number, last: BankRefusal): BankRefusal => ({
		code: 'too_many_malformed',
		message: `${count} malformed requests in a row, the last: ${last.message}; closing the session`,
	}),
	notLoggedIn: (): BankRefusal => ({code: 'not_logged_in', message: 'log in first'}),
	alreadyLoggedIn: (name: string): BankRefusal => ({
		code: 'already_logged_in',
		message: `already logged in as ${name}: log out first`,
	}),
	// The same code and message for an unknown name and a wrong password, on purpose.
	loginFailed: (): BankRefusal => ({code: 'login_failed', message: 'wrong name or password'}),
	accountLocked: (lockedUntil: Date): BankRefusal => ({
		code: 'account_locked',
		message: `too many failed logins: the account is locked until ${lockedUntil.toISOString()}`,
		lockedUntil: lockedUntil.toISOString(),
	}),
	signupDisabled: (): BankRefusal => ({
		code: 'signup_disabled',
		message: 'this bank does not open accounts over the network',
	}),
	nameTaken: (name: string): BankRefusal => ({
		code: 'name_taken',
		message: `an account named ${name} already exists`,
	}),
	invalidName: (why: string): BankRefusal => ({code: 'invalid_name', message: `name ${why}`}),
	invalidPassword: (why: string): BankRefusal => ({
		code: 'invalid_password',
		message: `password ${why}`,
	}),
	invalidRequestId: (why: string): BankRefusal => ({
		code: 'invalid_request_id',
		message: `request id ${why}`,
	}),
	invalidAmount: (): BankRefusal => ({
		code: 'invalid_amount',
		message: 'the amount must be a whole number of cents greater than zero',
	}),
	amountTooLarge: (amount: number, limit: number): BankRefusal => ({
		code: 'amount_too_large',
		message: `at most ${formatCents(limit)} per operation`,
		amount,
		limit,
	}),
	insufficientFunds: (balance: number, amount: number): BankRefusal => ({
		code: 'insufficient_funds',
		message: `insufficient funds: the balance is ${formatCents(balance)}, the amount ${formatCents(amount)}`,
		balance,
		amount,
	}),
	// No balance in the details: for a transfer it would be the recipient's.
	balanceLimit: (name: string, amount: number, limit: number): BankRefusal => ({
		code: 'balance_limit',
		message: `the balance of ${name} would pass the most an account may hold (${formatCents(limit)})`,
		amount,
		limit,
	}),
	unknownAccount: (name: string): BankRefusal => ({
		code: 'unknown_account',
		message: `no account named ${name}`,
		to: name,
	}),
	selfTransfer: (): BankRefusal => ({
		code: 'self_transfer',
		message: 'a transfer needs another account than your own',
	}),
	requestIdReused: (requestId: string): BankRefusal => ({
		code: 'request_id_reused',
		message: `request id ${requestId} was already used for a different request`,
		requestId,
	}),
	shuttingDown: (): BankRefusal => ({
		code: 'shutting_down',
		message: 'the bank is shutting down',
	}),
	internalError: (): BankRefusal => ({
		code: 'internal_error',
		message: 'the bank could not complete the request',
	}),
} as const;

/** A refusal thrown by functions that return a value rather than an outcome (addAccount). */
export class BankError extends Error {
	override readonly name = 'BankError';
	readonly code: BankErrorCode;
	readonly refusal: BankRefusal;

	constructor(refusal: BankRefusal) {
		super(refusal.message);
		this.code = refusal.code;
		this.refusal = refusal;
	}
}

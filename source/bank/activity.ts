/**
 * What the bank tells the server's log: one event union, switched on `kind`.
 *
 * Events name the peer (the network layer's label for the connection) and the account, never a
 * password. A failed login carries the name as typed (it already passed the account-name rule,
 * so it is safe to print) because repeated failures on one name are what an operator looks for.
 */
import type {BankErrorCode} from './outcomes.js';
import type {BankOp} from './wire.js';

type Seen = {
	/** The network layer's label for the connection, e.g. "203.0.113.9:50312". */
	readonly peer: string;
};

export type BankActivity =
	| (Seen & {readonly kind: 'login'; readonly account: string})
	| (Seen & {readonly kind: 'login-failed'; readonly name: string})
	| (Seen & {readonly kind: 'login-locked'; readonly name: string; readonly lockedUntil: string})
	| (Seen & {readonly kind: 'signup'; readonly account: string})
	| (Seen & {readonly kind: 'logout'; readonly account: string})
	| (Seen & {
			readonly kind: 'deposit' | 'withdraw';
			readonly account: string;
			readonly requestId: string;
			readonly amount: number;
			readonly balance: number;
			/** A retry answered from the request table: nothing was applied this time. */
			readonly replayed: boolean;
	  })
	| (Seen & {
			readonly kind: 'transfer';
			readonly account: string;
			readonly to: string;
			readonly requestId: string;
			readonly amount: number;
			readonly balance: number;
			readonly replayed: boolean;
	  })
	| (Seen & {
			/** A request the bank refused (including malformed ones, whose op is null). */
			readonly kind: 'refused';
			readonly account: string | null;
			readonly op: BankOp | null;
			readonly code: BankErrorCode;
			readonly message: string;
	  })
	| (Seen & {
			/** A request failed on the bank's side (the store, a bug); the customer got internal_error. */
			readonly kind: 'internal-error';
			readonly account: string | null;
			readonly op: BankOp | null;
			readonly message: string;
	  });

export type BankActivityListener = (event: BankActivity) => void;

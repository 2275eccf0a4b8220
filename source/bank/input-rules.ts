/**
 * The rules for what a customer may send: account names, passwords and request ids.
 *
 * Shared by the wire codec (which refuses a bad field before anything runs) and the ledger (which
 * checks again, since the CLI's `accounts add` reaches it without the codec).
 *
 * - Account names are lower-case on purpose: "Alice" and "alice" must not be two accounts, and
 *   refusing upper case is clearer than folding it silently. 1 to 32 characters of a-z, 0-9, ".",
 *   "_" and "-", starting with a letter or a digit.
 * - Passwords are counted in Unicode code points: 8 to 256 for a new account, 1 to 256 to log in
 *   (so a login never reveals the signup rule; the password is checked against its hash anyway).
 * - Request ids (idempotency keys) are 1 to 64 characters of A-Z, a-z, 0-9, "_" and "-".
 * - A history page holds 1 to 100 entries, 10 unless asked.
 */

/** /^[a-z0-9][a-z0-9._-]{0,31}$/ */
export const ACCOUNT_NAME_PATTERN = /^[a-z\d][a-z\d._-]{0,31}$/u;
/** /^[A-Za-z0-9_-]{1,64}$/ */
export const REQUEST_ID_PATTERN = /^[\w-]{1,64}$/u;
export const PASSWORD_MIN_LENGTH = 8;
export const LOGIN_PASSWORD_MIN_LENGTH = 1;
export const PASSWORD_MAX_LENGTH = 256;
export const HISTORY_DEFAULT_LIMIT = 10;
export const HISTORY_MAX_LIMIT = 100;

/** Why a name cannot be an account name, or undefined when it can. */
export function accountNameProblem(name: string): string | undefined {
	if (ACCOUNT_NAME_PATTERN.test(name)) {
		return undefined;
	}

	if (ACCOUNT_NAME_PATTERN.test(name.toLowerCase())) {
		return 'must be lower-case';
	}

	return 'must be 1 to 32 characters of a-z, 0-9, ".", "_" or "-", starting with a letter or digit';
}

/** Why a password is refused for this purpose, or undefined when it is acceptable. */
export function passwordProblem(password: string, purpose: 'signup' | 'login'): string | undefined {
	const minimum = purpose === 'signup' ? PASSWORD_MIN_LENGTH : LOGIN_PASSWORD_MIN_LENGTH;
	const {length} = [...password];
	if (length < minimum || length > PASSWORD_MAX_LENGTH) {
		return `must be ${minimum} to ${PASSWORD_MAX_LENGTH} characters long`;
	}

	return undefined;
}

/** Why a string cannot be a request id, or undefined when it can. */
export function requestIdProblem(requestId: string): string | undefined {
	return REQUEST_ID_PATTERN.test(requestId)
		? undefined
		: 'must be 1 to 64 characters of A-Z, a-z, 0-9, "_" or "-"';
}

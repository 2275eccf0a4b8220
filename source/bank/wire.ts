/**
 * The bank's application protocol, carried over the secure channel: one request or response per
 * record, UTF-8 JSON. Used by both ends: the server's BankService decodes requests and encodes
 * responses, the client does the reverse with the same code and types.
 *
 * Decoding is strict both ways: unknown ops, unknown or missing fields, wrong types, fractional or
 * unsafe amounts and names outside the account-name rule are refused, each with a message naming
 * the field. Encoding checks its own message against the same rules, so a bug cannot put a
 * message on the wire that the peer would refuse.
 */

import {BankError, refusals, type BankRefusal, type BankResult} from './outcomes.js';
import {
	accountName,
	anyString,
	arrayOf,
	balanceCents,
	checkedShape,
	correlationId,
	entryId,
	historyEntry,
	historyLimit,
	isBoolean,
	isPlainObject,
	literal,
	loginPassword,
	nullOr,
	positiveCents,
	refusal,
	requestId,
	shapeProblem,
	signupPassword,
	type CheckedShape,
	type FieldCheck,
	type ObjectShape,
} from './wire-checks.js';
import {HISTORY_MAX_LIMIT} from './input-rules.js';

/** The most a request record may carry. */
export const MAX_REQUEST_BYTES = 4096;
/**
 * The most a response may carry: a full record of the secure channel (2^14, as TLS 1.3). A history
 * page that would not fit is shortened by the service, and its nextBefore leads on.
 */
export const MAX_RESPONSE_BYTES = 16_384;

export const BANK_OPS = [
	'login',
	'signup',
	'deposit',
	'withdraw',
	'balance',
	'history',
	'transfer',
	'logout',
	'info',
] as const;
export type BankOp = (typeof BANK_OPS)[number];

type Correlated = {
	/** Chosen by the client (an unsigned 32-bit integer) and echoed in the response. */
	readonly id: number;
};
export type LoginRequest = Correlated & {
	readonly op: 'login';
	readonly name: string;
	readonly password: string;
};
export type SignupRequest = Correlated & {
	readonly op: 'signup';
	readonly name: string;
	readonly password: string;
};
export type DepositRequest = Correlated & {
	readonly op: 'deposit';
	readonly requestId: string;
	readonly amount: number;
};
export type WithdrawRequest = Correlated & {
	readonly op: 'withdraw';
	readonly requestId: string;
	readonly amount: number;
};
export type TransferRequest = Correlated & {
	readonly op: 'transfer';
	readonly requestId: string;
	readonly amount: number;
	readonly to: string;
};
export type BalanceRequest = Correlated & {readonly op: 'balance'};
export type HistoryRequest = Correlated & {
	readonly op: 'history';
	readonly limit?: number;
	readonly before?: number;
};
export type LogoutRequest = Correlated & {readonly op: 'logout'};
export type InfoRequest = Correlated & {readonly op: 'info'};

export type BankRequest =
	| LoginRequest
	| SignupRequest
	| DepositRequest
	| WithdrawRequest
	| TransferRequest
	| BalanceRequest
	| HistoryRequest
	| LogoutRequest
	| InfoRequest;

export type RequestFor<Op extends BankOp> = Extract<BankRequest, {op: Op}>;
export type ResultFor<Op extends BankOp> = Extract<BankResult, {op: Op}>;

export type OkResponse = {readonly id: number; readonly ok: true} & BankResult;
export type ErrorResponse = {
	/** Null when the request was too broken to read its id. */
	readonly id: number | null;
	readonly ok: false;
	readonly error: BankRefusal;
};
export type BankResponse = OkResponse | ErrorResponse;

export type DecodedRequest =
	| {readonly ok: true; readonly request: BankRequest}
	| {readonly ok: false; readonly id: number | null; readonly error: BankRefusal};

export type DecodedResponse =
	| {readonly ok: true; readonly response: BankResponse}
	| {readonly ok: false; readonly error: string};

/** Each op's fields, besides id and op. The one place a request's shape is written down. */
const requestFields: Readonly<Record<BankOp, ObjectShape>> = {
	login: {required: {name: accountName, password: loginPassword}},
	signup: {required: {name: accountName, password: signupPassword}},
	deposit: {required: {requestId, amount: positiveCents}},
	withdraw: {required: {requestId, amount: positiveCents}},
	transfer: {required: {requestId, amount: positiveCents, to: accountName}},
	balance: {required: {}},
	history: {required: {}, optional: {limit: historyLimit, before: entryId}},
	logout: {required: {}},
	info: {required: {}},
};

/** Each op's result fields, besides id, ok and op. */
const resultFields: Readonly<Record<BankOp, Readonly<Record<string, FieldCheck>>>> = {
	login: {name: accountName, balance: balanceCents},
	signup: {name: accountName, balance: balanceCents},
	deposit: {requestId, amount: positiveCents, balance: balanceCents, entryId},
	withdraw: {requestId, amount: positiveCents, balance: balanceCents, entryId},
	transfer: {requestId, amount: positiveCents, to: accountName, balance: balanceCents, entryId},
	balance: {name: accountName, balance: balanceCents},
	history: {
		entries: arrayOf(historyEntry, HISTORY_MAX_LIMIT),
		nextBefore: nullOr(entryId),
		balance: balanceCents,
	},
	logout: {},
	info: {signup: isBoolean, maxAmount: positiveCents},
};

// The whole shapes, id, op and ok included, keyed by op and built once: every request and
// response is checked against one. A Map, so that an op such as "constructor" finds nothing.
const requestShapes = new Map<string, CheckedShape>(
	BANK_OPS.map((op) => [
		op,
		checkedShape(
			{
				required: {id: correlationId, op: anyString, ...requestFields[op].required},
				optional: requestFields[op].optional,
			},
			`${/^[aeiou]/u.test(op) ? 'an' : 'a'} ${op} request`,
		),
	]),
);
const resultShapes = new Map<string, CheckedShape>(
	BANK_OPS.map((op) => [
		op,
		checkedShape(
			{required: {id: correlationId, ok: literal(true), op: anyString, ...resultFields[op]}},
			'a response',
		),
	]),
);
const errorShape = checkedShape(
	{required: {id: nullOr(correlationId), ok: literal(false), error: refusal}},
	'a response',
);

const utf8Decoder = new TextDecoder('utf-8', {fatal: true});
const utf8Encoder = new TextEncoder();

type ParsedJson =
	{readonly ok: true; readonly value: unknown} | {readonly ok: false; readonly why: string};

function parseJsonRecord(bytes: Uint8Array, maxBytes: number, what: string): ParsedJson {
	if (bytes.byteLength > maxBytes) {
		return {ok: false, why: `the ${what} is ${bytes.byteLength} bytes, more than ${maxBytes}`};
	}

	let text: string;
	try {
		text = utf8Decoder.decode(bytes);
	} catch {
		return {ok: false, why: `the ${what} is not valid UTF-8`};
	}

	try {
		return {ok: true, value: JSON.parse(text) as unknown};
	} catch {
		return {ok: false, why: `the ${what} is not valid JSON`};
	}
}

/**
 * Request, one JSON object per record, at most 4096 bytes of UTF-8:
 *
 *   {"id": 7, "op": "login",    "name": "alice", "password": "correct horse"}
 *   {"id": 7, "op": "signup",   "name": "alice", "password": "correct horse"}   (8..256 chars)
 *   {"id": 8, "op": "deposit",  "requestId": "d-1f3a", "amount": 1250}
 *   {"id": 9, "op": "withdraw", "requestId": "w-77b0", "amount": 500}
 *   {"id": 10, "op": "transfer", "requestId": "t-0001", "amount": 300, "to": "bob"}
 *   {"id": 11, "op": "balance"}
 *   {"id": 12, "op": "history", "limit": 20, "before": 4711}        (both optional)
 *   {"id": 13, "op": "logout"}
 *   {"id": 14, "op": "info"}                        (before login too: what this server allows)
 *
 * - id: unsigned 32-bit integer, echoed in the response.
 * - amount: integer cents, 1 .. 2^53 - 1 (the ledger then refuses more than 1,000,000.00).
 * - requestId: 1..64 of [A-Za-z0-9_-], chosen by the client per mutation; a retry reuses it.
 * - name, to: /^[a-z0-9][a-z0-9._-]{0,31}$/ (lower-case only). password: 1..256 characters
 *   to log in, 8..256 to sign up (Unicode code points).
 * - limit: 1..100 (default 10); before: an entry id, for the next (older) page.
 *
 * Refusals: malformed_request (too long, not UTF-8, not JSON, not an object) and invalid_field
 * "id" reply with id null; unknown_op and invalid_field name the op or the field.
 */
export function decodeRequest(bytes: Uint8Array): DecodedRequest {
	const parsed = parseJsonRecord(bytes, MAX_REQUEST_BYTES, 'request');
	if (!parsed.ok) {
		return {ok: false, id: null, error: refusals.malformedRequest(parsed.why)};
	}

	const {value} = parsed;
	if (!isPlainObject(value)) {
		return {ok: false, id: null, error: refusals.malformedRequest('a request is a JSON object')};
	}

	return checkRequest(value);
}

/** decodeRequest's verdict on a request once it is known to be an object. */
function checkRequest(value: Readonly<Record<string, unknown>>): DecodedRequest {
	const idProblem = Object.hasOwn(value, 'id') ? correlationId(value.id) : 'is missing';
	if (idProblem !== undefined) {
		return {ok: false, id: null, error: refusals.invalidField('id', idProblem)};
	}

	const id = value.id as number;
	const {op} = value;
	if (typeof op !== 'string') {
		const why = op === undefined ? 'is missing' : 'must be a string';
		return {ok: false, id, error: refusals.invalidField('op', why)};
	}

	const shape = requestShapes.get(op);
	if (shape === undefined) {
		return {ok: false, id, error: refusals.unknownOp(op)};
	}

	const problem = shapeProblem(value, shape);
	if (problem) {
		return {ok: false, id, error: refusals.invalidField(problem.field, problem.why)};
	}

	return {ok: true, request: value as BankRequest};
}

/**
 * Encodes a request; throws BankError (with the refusal the server would send) if it is invalid.
 *
 * The encoders check the object they were given rather than parse their own JSON back, which
 * would cost as much again as encoding. The verdict is the decoder's: the checks accept only
 * strings, booleans, null, safe integers, and arrays and objects of those, which JSON.stringify
 * writes and JSON.parse reads back unchanged (-0 comes back as 0, which no check tells apart).
 * Our messages are object literals and store rows, without toJSON or getters. Whatever the object
 * check refuses, including what JSON would drop or change (an undefined field, NaN), is decoded
 * from its bytes, so the error is exactly the one the peer would give.
 */
export function encodeRequest(request: BankRequest): Uint8Array {
	const bytes = utf8Encoder.encode(JSON.stringify(request));
	if (bytes.byteLength <= MAX_REQUEST_BYTES && checkRequest(request).ok) {
		return bytes;
	}

	const decoded = decodeRequest(bytes);
	if (!decoded.ok) {
		throw new BankError(decoded.error);
	}

	return bytes;
}

/**
 * Response, one JSON object per record, at most 16384 bytes of UTF-8. Money is integer cents;
 * every money result carries the balance after it:
 *
 *   {"id": 7, "ok": true, "op": "login", "name": "alice", "balance": 1250}
 *   {"id": 8, "ok": true, "op": "deposit", "requestId": "d-1f3a", "amount": 1250,
 *    "balance": 2500, "entryId": 42}
 *   {"id": 10, "ok": true, "op": "transfer", "requestId": "t-0001", "amount": 300, "to": "bob",
 *    "balance": 2200, "entryId": 43}
 *   {"id": 11, "ok": true, "op": "balance", "name": "alice", "balance": 2200}
 *   {"id": 12, "ok": true, "op": "history", "balance": 2200, "nextBefore": 41, "entries": [
 *     {"entryId": 43, "kind": "transfer_out", "amount": 300, "balanceAfter": 2200,
 *      "requestId": "t-0001", "counterparty": "bob", "time": "2025-11-27T22:00:00.000Z"}, ...]}
 *   {"id": 13, "ok": true, "op": "logout"}
 *   {"id": 14, "ok": true, "op": "info", "signup": false, "maxAmount": 100000000}
 *   {"id": 9, "ok": false, "error": {"code": "insufficient_funds",
 *    "message": "insufficient funds: the balance is 12.50, the amount 20.00",
 *    "balance": 1250, "amount": 2000}}
 *   {"id": null, "ok": false, "error": {"code": "malformed_request",
 *    "message": "malformed request: the request is not valid JSON"}}
 *
 * kind is deposit, withdraw, transfer_out or transfer_in; amount is always positive. error.code is
 * one of BANK_ERROR_CODES; optional details: field, balance, amount, limit, lockedUntil,
 * requestId, to.
 */
export function decodeResponse(bytes: Uint8Array): DecodedResponse {
	const parsed = parseJsonRecord(bytes, MAX_RESPONSE_BYTES, 'response');
	if (!parsed.ok) {
		return {ok: false, error: parsed.why};
	}

	const {value} = parsed;
	if (!isPlainObject(value)) {
		return {ok: false, error: 'a response is a JSON object'};
	}

	return checkResponse(value);
}

/** decodeResponse's verdict on a response once it is known to be an object. */
function checkResponse(value: Readonly<Record<string, unknown>>): DecodedResponse {
	let shape: CheckedShape | undefined;
	if (value.ok === true) {
		const {op} = value;
		shape = typeof op === 'string' ? resultShapes.get(op) : undefined;
		if (shape === undefined) {
			return {ok: false, error: `"op" must be one of ${BANK_OPS.join(', ')}`};
		}
	} else if (value.ok === false) {
		shape = errorShape;
	} else {
		return {ok: false, error: '"ok" must be true or false'};
	}

	const problem = shapeProblem(value, shape);
	if (problem) {
		return {ok: false, error: `"${problem.field}" ${problem.why}`};
	}

	return {ok: true, response: value as BankResponse};
}

/** Encodes a response; throws if it is not one decodeResponse accepts (too long included). */
export function encodeResponse(response: BankResponse): Uint8Array {
	const bytes = utf8Encoder.encode(JSON.stringify(response));
	// As in encodeRequest: the object is checked, and only a refused one is decoded from its bytes.
	if (bytes.byteLength <= MAX_RESPONSE_BYTES && checkResponse(response).ok) {
		return bytes;
	}

	const decoded = decodeResponse(bytes);
	if (!decoded.ok) {
		throw new RangeError(`refusing to encode an invalid response: ${decoded.error}`);
	}

	return bytes;
}

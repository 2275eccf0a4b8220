/**
 * The bank's wire codec: every op round-trips, and everything else is refused with a message
 * naming the field (and id null when the request could not be read at all).
 */
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {BankError} from '../../source/bank/outcomes.js';
import {newRequestId} from '../../source/net/bank-client.js';
import {
	decodeRequest,
	decodeResponse,
	encodeRequest,
	encodeResponse,
	MAX_REQUEST_BYTES,
	MAX_RESPONSE_BYTES,
	type BankRequest,
	type BankResponse,
	type DecodedRequest,
} from '../../source/bank/wire.js';

const utf8 = new TextEncoder();

function refusalThrownBy(encode: () => unknown): unknown {
	try {
		encode();
	} catch (error) {
		expect(error).toBeInstanceOf(BankError);
		return (error as BankError).refusal;
	}

	throw new Error('expected a BankError');
}

// Values that JSON drops or changes, or that no field accepts.
const oddValue = fc.constantFrom(
	undefined,
	null,
	Number.NaN,
	-0,
	Infinity,
	2 ** 53,
	0.5,
	'',
	'Bob',
	'constructor',
	{},
	[],
);

/** One of the valid messages, or one with up to three fields (or an extra one) changed or removed. */
function mutated(
	valid: readonly object[],
	fields: readonly string[],
): fc.Arbitrary<Record<string, unknown>> {
	const change = fc.record({
		field: fc.constantFrom(...fields, 'extra'),
		value: oddValue,
		remove: fc.boolean(),
	});
	return fc
		.tuple(fc.constantFrom(...valid), fc.array(change, {maxLength: 3}))
		.map(([message, changes]) => {
			const copy: Record<string, unknown> = {...message};
			for (const {field, value, remove} of changes) {
				if (remove) {
					Reflect.deleteProperty(copy, field);
				} else {
					copy[field] = value;
				}
			}

			return copy;
		});
}

function decodeJson(value: unknown): DecodedRequest {
	return decodeRequest(utf8.encode(JSON.stringify(value)));
}

function refusalOf(decoded: DecodedRequest) {
	if (decoded.ok) {
		throw new Error(`expected a refusal, got ${JSON.stringify(decoded.request)}`);
	}

	return {id: decoded.id, ...decoded.error};
}

const everyRequest: BankRequest[] = [
	{id: 0, op: 'login', name: 'alice', password: 'x'},
	{id: 1, op: 'signup', name: 'bob.smith-2_x', password: 'eight ch'},
	{id: 2, op: 'deposit', requestId: 'd-1', amount: 1},
	{id: 3, op: 'withdraw', requestId: 'W_2', amount: 100_000_000},
	{id: 4, op: 'transfer', requestId: 'a'.repeat(64), amount: 300, to: 'bob'},
	{id: 5, op: 'balance'},
	{id: 6, op: 'history'},
	{id: 7, op: 'history', limit: 100, before: 4711},
	{id: 0xff_ff_ff_ff, op: 'logout'},
	{id: 8, op: 'info'},
];

const requestFields = [...new Set(everyRequest.flatMap((request) => Object.keys(request)))];

describe('requests', () => {
	it.each(everyRequest)('round-trips $op (id $id)', (request) => {
		expect(decodeRequest(encodeRequest(request))).toEqual({ok: true, request});
	});

	it('refuses an unknown op, echoing the id', () => {
		expect(refusalOf(decodeJson({id: 9, op: 'steal', amount: 5}))).toEqual({
			id: 9,
			code: 'unknown_op',
			message: 'unknown op "steal"',
		});
	});

	it.each([
		[{id: 1, op: 'balance', extra: 1}, 'extra', '"extra" is not a field of a balance request'],
		[
			{id: 1, op: 'deposit', requestId: 'r', amount: 5, to: 'bob'},
			'to',
			'"to" is not a field of a deposit request',
		],
		[
			{id: 1, op: 'deposit', requestId: 'r'},
			'amount',
			'"amount" is missing from a deposit request',
		],
		[
			{id: 1, op: 'transfer', requestId: 'r', amount: 5},
			'to',
			'"to" is missing from a transfer request',
		],
		[
			{id: 1, op: 'deposit', requestId: 'r', amount: 12.5},
			'amount',
			'"amount" must be a whole number of cents',
		],
		[
			{id: 1, op: 'deposit', requestId: 'r', amount: '1250'},
			'amount',
			'"amount" must be a number (cents), not string',
		],
		[
			{id: 1, op: 'deposit', requestId: 'r', amount: null},
			'amount',
			'"amount" must be a number (cents), not null',
		],
		[
			{id: 1, op: 'withdraw', requestId: 'r', amount: 0},
			'amount',
			'"amount" must be greater than zero',
		],
		[
			{id: 1, op: 'withdraw', requestId: 'r', amount: -5},
			'amount',
			'"amount" must be greater than zero',
		],
		[
			{id: 1, op: 'deposit', requestId: 'r', amount: 2 ** 53},
			'amount',
			`"amount" must be at most ${Number.MAX_SAFE_INTEGER} (a safe integer)`,
		],
		[
			{id: 1, op: 'deposit', requestId: 'r', amount: 1e300},
			'amount',
			`"amount" must be at most ${Number.MAX_SAFE_INTEGER} (a safe integer)`,
		],
		[
			{id: 1, op: 'deposit', requestId: 'a'.repeat(65), amount: 5},
			'requestId',
			'"requestId" must be 1 to 64 characters of A-Z, a-z, 0-9, "_" or "-"',
		],
		[
			{id: 1, op: 'deposit', requestId: 'r 1', amount: 5},
			'requestId',
			'"requestId" must be 1 to 64 characters of A-Z, a-z, 0-9, "_" or "-"',
		],
		[
			{id: 1, op: 'deposit', requestId: '', amount: 5},
			'requestId',
			'"requestId" must be 1 to 64 characters of A-Z, a-z, 0-9, "_" or "-"',
		],
		[{id: 1, op: 'login', name: 'Alice', password: 'pw'}, 'name', '"name" must be lower-case'],
		[
			{id: 1, op: 'login', name: '-alice', password: 'pw'},
			'name',
			'"name" must be 1 to 32 characters of a-z, 0-9, ".", "_" or "-", starting with a letter or digit',
		],
		[
			{id: 1, op: 'login', name: 'a'.repeat(33), password: 'pw'},
			'name',
			'"name" must be 1 to 32 characters of a-z, 0-9, ".", "_" or "-", starting with a letter or digit',
		],
		[
			{id: 1, op: 'login', name: 'alice', password: ''},
			'password',
			'"password" must be 1 to 256 characters long',
		],
		[{id: 1, op: 'login', name: 'alice', password: 7}, 'password', '"password" must be a string'],
		[
			{id: 1, op: 'login', name: 'alice', password: 'p'.repeat(257)},
			'password',
			'"password" must be 1 to 256 characters long',
		],
		[
			{id: 1, op: 'signup', name: 'alice', password: 'seven c'},
			'password',
			'"password" must be 8 to 256 characters long',
		],
		[{id: 1, op: 'history', limit: 0}, 'limit', '"limit" must be from 1 to 100'],
		[{id: 1, op: 'history', limit: 101}, 'limit', '"limit" must be from 1 to 100'],
		[{id: 1, op: 'history', before: 0}, 'before', '"before" must be from 1 to 9007199254740991'],
		[{id: 1, op: 7}, 'op', '"op" must be a string'],
		[{id: 1, op: 'info', verbose: true}, 'verbose', '"verbose" is not a field of an info request'],
		[{id: 1}, 'op', '"op" is missing'],
	])('refuses %j: %s', (request, field, message) => {
		expect(refusalOf(decodeJson(request))).toEqual({id: 1, code: 'invalid_field', field, message});
	});

	it('refuses a "__proto__" field like any other unknown field', () => {
		const text = '{"id": 1, "op": "deposit", "requestId": "r", "amount": 5, "__proto__": {"x": 1}}';
		expect(refusalOf(decodeRequest(utf8.encode(text)))).toEqual({
			id: 1,
			code: 'invalid_field',
			field: '__proto__',
			message: '"__proto__" is not a field of a deposit request',
		});
	});

	it.each([
		[{op: 'balance'}, '"id" is missing'],
		[{id: 1.5, op: 'balance'}, '"id" must be a whole number of an unsigned 32-bit id'],
		[{id: -1, op: 'balance'}, '"id" must be from 0 to 4294967295'],
		[{id: 2 ** 32, op: 'balance'}, '"id" must be from 0 to 4294967295'],
		[{id: '1', op: 'balance'}, '"id" must be a number (an unsigned 32-bit id), not string'],
	])('refuses a bad id %j with id null', (request, message) => {
		expect(refusalOf(decodeJson(request))).toEqual({
			id: null,
			code: 'invalid_field',
			field: 'id',
			message,
		});
	});

	it.each([
		['{"id": 1, "op": "balance"', 'malformed request: the request is not valid JSON'],
		['', 'malformed request: the request is not valid JSON'],
		['[1, 2]', 'malformed request: a request is a JSON object'],
		['null', 'malformed request: a request is a JSON object'],
		['"balance"', 'malformed request: a request is a JSON object'],
	])('refuses the unparseable %j with id null', (text, message) => {
		expect(refusalOf(decodeRequest(utf8.encode(text)))).toEqual({
			id: null,
			code: 'malformed_request',
			message,
		});
	});

	it('refuses bytes that are not UTF-8', () => {
		const bytes = Uint8Array.from([0x7b, 0x22, 0xff, 0x22, 0x7d]);
		expect(refusalOf(decodeRequest(bytes))).toEqual({
			id: null,
			code: 'malformed_request',
			message: 'malformed request: the request is not valid UTF-8',
		});
	});

	it('refuses a request over 4096 bytes before reading it, and takes one of exactly 4096', () => {
		const prefix = '{"id":1,"op":"login","name":"alice","password":"';
		const fits = prefix + 'p'.repeat(MAX_REQUEST_BYTES - prefix.length - 2) + '"}';
		expect(utf8.encode(fits).byteLength).toBe(MAX_REQUEST_BYTES);
		// The password is then too long for the login rule, but the size check passed.
		expect(refusalOf(decodeRequest(utf8.encode(fits))).field).toBe('password');
		const tooLong = utf8.encode(`{"id":1,"op":"balance","pad":"${' '.repeat(MAX_REQUEST_BYTES)}"}`);
		expect(refusalOf(decodeRequest(tooLong))).toEqual({
			id: null,
			code: 'malformed_request',
			message: `malformed request: the request is ${tooLong.byteLength} bytes, more than 4096`,
		});
	});

	it('encodeRequest throws the refusal the server would send', () => {
		const bad = JSON.parse(
			'{"id": 1, "op": "deposit", "requestId": "r", "amount": 0.5}',
		) as BankRequest;
		expect(() => encodeRequest(bad)).toThrow(BankError);
		expect(() => encodeRequest(bad)).toThrow('"amount" must be a whole number of cents');
	});

	it('encodeRequest judges what JSON drops or changes as the server would', () => {
		const noLimit = {id: 1, op: 'history', limit: undefined} as unknown as BankRequest;
		expect(decodeRequest(encodeRequest(noLimit))).toEqual({
			ok: true,
			request: {id: 1, op: 'history'},
		});
		const notANumber = {id: 1, op: 'deposit', requestId: 'r', amount: Number.NaN} as const;
		expect(() => encodeRequest(notANumber)).toThrow('"amount" must be a number (cents), not null');
		const tooLong = {id: 1, op: 'login', name: 'alice', password: 'p'.repeat(MAX_REQUEST_BYTES)};
		expect(() => encodeRequest(tooLong as BankRequest)).toThrow('more than 4096');
		const unknown = {id: 1, op: 'constructor'} as unknown as BankRequest;
		expect(() => encodeRequest(unknown)).toThrow('unknown op "constructor"');
	});

	it('encodeRequest accepts and refuses exactly what decodeRequest does with its JSON', () => {
		fc.assert(
			fc.property(mutated(everyRequest, requestFields), (request) => {
				const decoded = decodeRequest(utf8.encode(JSON.stringify(request)));
				if (decoded.ok) {
					expect(encodeRequest(request as BankRequest)).toEqual(
						utf8.encode(JSON.stringify(request)),
					);
				} else {
					expect(refusalThrownBy(() => encodeRequest(request as BankRequest))).toEqual(
						decoded.error,
					);
				}
			}),
			{numRuns: 2000},
		);
	});

	it('never throws, whatever arrives, and what it accepts it can send back', () => {
		fc.assert(
			fc.property(
				fc.oneof(
					fc.jsonValue().map((value) => JSON.stringify(value)),
					fc
						.record(
							{
								id: fc.oneof(fc.nat(), fc.double()),
								op: fc.constantFrom('login', 'deposit', 'history', 'transfer', 'x'),
								amount: fc.oneof(fc.integer(), fc.double()),
								requestId: fc.string({maxLength: 70}),
								limit: fc.integer({min: -5, max: 120}),
							},
							{requiredKeys: []},
						)
						.map((value) => JSON.stringify(value)),
					fc.string(),
				),
				(text) => {
					const decoded = decodeRequest(utf8.encode(text));
					if (decoded.ok) {
						expect(decodeRequest(encodeRequest(decoded.request))).toEqual(decoded);
					} else {
						expect(decoded.error.message.length).toBeGreaterThan(0);
					}
				},
			),
			{numRuns: 500},
		);
	});
});

describe('responses', () => {
	const everyResponse: BankResponse[] = [
		{id: 1, ok: true, op: 'login', name: 'alice', balance: 0},
		{id: 1, ok: true, op: 'signup', name: 'alice', balance: 0},
		{id: 2, ok: true, op: 'deposit', requestId: 'd-1', amount: 1250, balance: 2500, entryId: 42},
		{id: 3, ok: true, op: 'withdraw', requestId: 'w', amount: 5, balance: 0, entryId: 43},
		{
			id: 4,
			ok: true,
			op: 'transfer',
			requestId: 't',
			amount: 3,
			to: 'bob',
			balance: 7,
			entryId: 44,
		},
		{id: 5, ok: true, op: 'balance', name: 'alice', balance: Number.MAX_SAFE_INTEGER},
		{
			id: 6,
			ok: true,
			op: 'history',
			balance: 7,
			nextBefore: 44,
			entries: [
				{
					entryId: 45,
					kind: 'transfer_in',
					amount: 3,
					balanceAfter: 7,
					requestId: 't',
					counterparty: 'bob',
					time: '2025-11-27T22:00:00.000Z',
				},
			],
		},
		{id: 7, ok: true, op: 'logout'},
		{id: 9, ok: true, op: 'info', signup: false, maxAmount: 100_000_000},
		{
			id: 8,
			ok: false,
			error: {code: 'insufficient_funds', message: 'insufficient funds', balance: 1, amount: 2},
		},
		{id: null, ok: false, error: {code: 'malformed_request', message: 'not JSON'}},
	];

	const responseFields = [...new Set(everyResponse.flatMap((response) => Object.keys(response)))];

	it.each(everyResponse)('round-trips %j', (response) => {
		expect(decodeResponse(encodeResponse(response))).toEqual({ok: true, response});
	});

	it.each([
		[
			{id: 1, ok: true, op: 'balance', name: 'alice', balance: 1, spare: 1},
			'"spare" is not a field of a response',
		],
		[
			{id: 1, ok: true, op: 'balance', name: 'alice', balance: 0.5},
			'"balance" must be a whole number of cents',
		],
		[{id: 1, ok: true, op: 'balance', name: 'alice'}, '"balance" is missing from a response'],
		[
			{id: 1, ok: true, op: 'rob'},
			'"op" must be one of login, signup, deposit, withdraw, balance, history, transfer, logout, info',
		],
		[{id: 1, ok: 'yes'}, '"ok" must be true or false'],
		[
			{id: 1, ok: false, error: {code: 'oops', message: 'x'}},
			'"error" has a bad field "code": must be one of malformed_request, unknown_op, invalid_field, too_many_malformed, not_logged_in, already_logged_in, login_failed, account_locked, signup_disabled, name_taken, invalid_name, invalid_password, invalid_request_id, invalid_amount, amount_too_large, insufficient_funds, balance_limit, unknown_account, self_transfer, request_id_reused, shutting_down, internal_error',
		],
		[{id: null, ok: true, op: 'logout'}, '"id" must be a number (an unsigned 32-bit id), not null'],
	])('refuses %j', (response, error) => {
		expect(decodeResponse(utf8.encode(JSON.stringify(response)))).toEqual({ok: false, error});
	});

	it('will not encode a response larger than one record', () => {
		const huge = {
			id: 1,
			ok: false,
			error: {code: 'internal_error', message: 'x'.repeat(MAX_RESPONSE_BYTES)},
		} as const;
		expect(() => encodeResponse(huge)).toThrow('more than 16384');
	});

	it('will not encode a response the client would refuse, and says why as the client would', () => {
		const bad = {id: 1, ok: true, op: 'balance', name: 'alice', balance: 0.5} as const;
		expect(() => encodeResponse(bad)).toThrow(
			'refusing to encode an invalid response: "balance" must be a whole number of cents',
		);
		const nullBalance = {...bad, balance: Number.NaN};
		expect(() => encodeResponse(nullBalance)).toThrow(
			'refusing to encode an invalid response: "balance" must be a number (cents), not null',
		);
		const extra = {id: 1, ok: true, op: 'logout', spare: 1} as unknown as BankResponse;
		expect(() => encodeResponse(extra)).toThrow('"spare" is not a field of a response');
	});

	it('encodeResponse accepts and refuses exactly what decodeResponse does with its JSON', () => {
		fc.assert(
			fc.property(mutated(everyResponse, responseFields), (response) => {
				const bytes = utf8.encode(JSON.stringify(response));
				const decoded = decodeResponse(bytes);
				if (decoded.ok) {
					expect(encodeResponse(response as BankResponse)).toEqual(bytes);
				} else {
					expect(() => encodeResponse(response as BankResponse)).toThrow(
						`refusing to encode an invalid response: ${decoded.error}`,
					);
				}
			}),
			{numRuns: 2000},
		);
	});

	it('encodes a field that JSON drops as absent', () => {
		const response = {
			id: 1,
			ok: false,
			error: {code: 'internal_error', message: 'x', field: undefined},
		} as const;
		expect(decodeResponse(encodeResponse(response))).toEqual({
			ok: true,
			response: {id: 1, ok: false, error: {code: 'internal_error', message: 'x'}},
		});
	});
});

describe('request ids', () => {
	it('are the time in hex then 16 base64url characters (96 bits), fresh each time, and pass the requestId rule', () => {
		// 1000 draws go through several refills of the client's random pool.
		const earliest = Date.now();
		const ids = Array.from({length: 1000}, () => newRequestId());
		const latest = Date.now();
		expect(new Set(ids).size).toBe(ids.length);
		expect(new Set(ids.map((requestId) => requestId.slice(12))).size).toBe(ids.length);
		for (const requestId of ids) {
			expect(requestId).toMatch(/^[\da-f]{12}[\w-]{16}$/u);
			const time = Number.parseInt(requestId.slice(0, 12), 16);
			expect(time).toBeGreaterThanOrEqual(earliest);
			expect(time).toBeLessThanOrEqual(latest);
		}

		// Later ids sort after earlier ones (byte order, as SQLite compares TEXT keys) once the
		// millisecond has moved on.
		const sorted = [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
		expect(sorted.map((requestId) => requestId.slice(0, 12))).toEqual(
			ids.map((requestId) => requestId.slice(0, 12)),
		);

		const request = {id: 1, op: 'deposit', requestId: ids[0]!, amount: 5} as const;
		expect(decodeRequest(encodeRequest(request))).toEqual({ok: true, request});
	});
});

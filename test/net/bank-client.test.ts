/**
 * BankClient over an in-memory channel that answers as the server would (PROTOCOL.md §11): what
 * goes on the wire for a history page, and what the screens get back.
 */
import {describe, expect, it} from 'vitest';
import {
	decodeRequest,
	encodeResponse,
	type BankRequest,
	type BankResponse,
} from '../../source/bank/wire.js';
import {BankClient, type RequestChannel} from '../../source/net/bank-client.js';

/** A channel whose peer answers each request with `respond`, recording what it was sent. */
function answering(respond: (request: BankRequest) => BankResponse): {
	channel: RequestChannel;
	requests: BankRequest[];
} {
	const requests: BankRequest[] = [];
	let deliver: (data: Uint8Array) => void = () => undefined;
	const channel: RequestChannel = {
		send(data) {
			const decoded = decodeRequest(data);
			if (!decoded.ok) throw new Error(`unreadable request: ${decoded.error.message}`);
			requests.push(decoded.request);
			const reply = encodeResponse(respond(decoded.request));
			queueMicrotask(() => {
				deliver(reply);
			});
		},
		onData(listener) {
			deliver = listener;
		},
		closed: new Promise<string>(() => {
			// Stays open for the test.
		}),
	};
	return {channel, requests};
}

const entry = (entryId: number) => ({
	entryId,
	kind: 'deposit' as const,
	amount: 100,
	balanceAfter: entryId * 100,
	requestId: `d-${entryId}`,
	counterparty: null,
	time: '2025-11-27T22:00:00.000Z',
});

describe('BankClient history pages', () => {
	it('sends before as given and returns the nextBefore the server answered', async () => {
		const {channel, requests} = answering((request) =>
			request.op === 'history'
				? {
						id: request.id,
						ok: true,
						op: 'history',
						balance: 4200,
						nextBefore: request.before === undefined ? 41 : null,
						entries: request.before === undefined ? [entry(42), entry(41)] : [entry(40)],
					}
				: {id: request.id, ok: false, error: {code: 'unknown_op', message: 'not here'}},
		);
		const bank = new BankClient(channel);

		const newest = await bank.history({limit: 2});
		expect(newest).toMatchObject({
			ok: true,
			value: {nextBefore: 41, balanceCents: 4200, entries: [{id: 42}, {id: 41}]},
		});
		const older = await bank.history({limit: 2, before: 41});
		expect(older).toMatchObject({ok: true, value: {nextBefore: null, entries: [{id: 40}]}});
		expect(requests).toEqual([
			{id: 1, op: 'history', limit: 2},
			{id: 2, op: 'history', limit: 2, before: 41},
		]);
	});

	it("a before that is not one of the account's entries comes back as a refusal", async () => {
		const {channel} = answering((request) => ({
			id: request.id,
			ok: false,
			error: {
				code: 'invalid_field',
				message: "before is not one of this account's entries",
				field: 'before',
			},
		}));
		const result = await new BankClient(channel).history({before: 7});
		expect(result).toEqual({
			ok: false,
			error: {code: 'invalid_field', message: "before is not one of this account's entries"},
		});
	});
});

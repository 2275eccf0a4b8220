/**
 * The bank as a client sees it: typed calls over a secure session, one request per record,
 * answered in order. Every mutating call carries a request id, chosen here unless the caller
 * gives one (a retry after a dropped connection must reuse its id to be applied at most once).
 */
import {randomFillSync} from 'node:crypto';
import {decodeResponse, encodeRequest, type BankRequest, type BankResponse} from '../bank/wire.js';
import type {BankApi, BankResult, HistoryEntry, HistoryPage} from './api.js';

/** Anything a BankClient can talk through: a client session, or a test double. */
export type RequestChannel = {
	send(data: Uint8Array): void;
	onData(listener: (data: Uint8Array) => void): void;
	readonly closed: Promise<string>;
};

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type BankRequestBody = DistributiveOmit<BankRequest, 'id'>;

type Pending = {resolve: (response: BankResponse) => void; reject: (error: Error) => void};

export class BankConnectionError extends Error {
	override readonly name = 'BankConnectionError';
}

/**
 * A request id is the time, then 96 random bits: 12 lowercase hex digits of milliseconds since the
 * epoch and 16 characters of base64url. The time comes first, as in a UUIDv7, so that ids sort
 * roughly by age: the server's request table is keyed by request id (schema version 3), and ids
 * that grow land on its last page, so a group commit of many customers' requests writes one leaf
 * instead of one each. The random part alone keeps ids unique; the time is no secret from the
 * server, which stamps every request anyway.
 */
const REQUEST_ID_BYTES = 12;
// A call into the CSPRNG (OpenSSL) costs about as much for 12 bytes as for 3 KB, a few
// microseconds, so ids are drawn from a pool refilled for 256 ids at a time, as node:crypto's own
// randomUUID does. Each random byte goes into one id only.
const requestIdPool = Buffer.alloc(REQUEST_ID_BYTES * 256);
let requestIdOffset = requestIdPool.byteLength;

/** A fresh request id: 12 hex digits of Date.now(), then 96 bits from node:crypto's CSPRNG. */
export function newRequestId(): string {
	if (requestIdOffset === requestIdPool.byteLength) {
		randomFillSync(requestIdPool);
		requestIdOffset = 0;
	}

	const start = requestIdOffset;
	requestIdOffset += REQUEST_ID_BYTES;
	return (
		Date.now().toString(16).padStart(12, '0') +
		requestIdPool.toString('base64url', start, requestIdOffset)
	);
}

const kindNames: Record<string, HistoryEntry['kind']> = {
	deposit: 'deposit',
	withdraw: 'withdraw',
	transfer_in: 'transfer-in',
	transfer_out: 'transfer-out',
};

export class BankClient implements BankApi {
	private nextId = 1;
	private readonly pending = new Map<number, Pending>();
	private closedReason: string | undefined;

	constructor(private readonly channel: RequestChannel) {
		channel.onData((data) => {
			this.receive(data);
		});
		void channel.closed.then((reason) => {
			this.closedReason = reason;
			for (const waiter of this.pending.values())
				waiter.reject(new BankConnectionError(`connection closed: ${reason}`));
			this.pending.clear();
		});
	}

	/** Sends one request and resolves with the server's response (a refusal is a response too). */
	async call(body: BankRequestBody): Promise<BankResponse> {
		if (this.closedReason !== undefined)
			throw new BankConnectionError(`connection closed: ${this.closedReason}`);
		const id = this.nextId;
		this.nextId = (this.nextId % 0xff_ff_ff_ff) + 1;
		const request: BankRequest = {...body, id};
		const bytes = encodeRequest(request);
		return new Promise<BankResponse>((resolve, reject) => {
			this.pending.set(id, {resolve, reject});
			this.channel.send(bytes);
		});
	}

	async serverInfo(): Promise<
		BankResult<{readonly signup: boolean; readonly maxAmountCents: number}>
	> {
		return this.toResult(await this.call({op: 'info'}), (response) =>
			response.op === 'info'
				? {signup: response.signup, maxAmountCents: response.maxAmount}
				: undefined,
		);
	}

	async login(
		name: string,
		password: string,
	): Promise<BankResult<{readonly name: string; readonly balanceCents: number}>> {
		return this.toResult(await this.call({op: 'login', name, password}), (response) =>
			response.op === 'login' ? {name: response.name, balanceCents: response.balance} : undefined,
		);
	}

	async signup(
		name: string,
		password: string,
	): Promise<BankResult<{readonly name: string; readonly balanceCents: number}>> {
		return this.toResult(await this.call({op: 'signup', name, password}), (response) =>
			response.op === 'signup' ? {name: response.name, balanceCents: response.balance} : undefined,
		);
	}

	async deposit(
		amountCents: number,
		requestId = newRequestId(),
	): Promise<BankResult<{readonly balanceCents: number}>> {
		return this.balanceOf(await this.call({op: 'deposit', amount: amountCents, requestId}));
	}

	async withdraw(
		amountCents: number,
		requestId = newRequestId(),
	): Promise<BankResult<{readonly balanceCents: number}>> {
		return this.balanceOf(await this.call({op: 'withdraw', amount: amountCents, requestId}));
	}

	async transfer(
		amountCents: number,
		to: string,
		requestId = newRequestId(),
	): Promise<BankResult<{readonly balanceCents: number}>> {
		return this.balanceOf(await this.call({op: 'transfer', amount: amountCents, to, requestId}));
	}

	async balance(): Promise<BankResult<{readonly balanceCents: number}>> {
		return this.balanceOf(await this.call({op: 'balance'}));
	}

	async history(
		options: {readonly limit?: number; readonly before?: number} = {},
	): Promise<BankResult<HistoryPage>> {
		return this.toResult(await this.call({op: 'history', ...options}), (response) =>
			response.op === 'history'
				? {
						balanceCents: response.balance,
						nextBefore: response.nextBefore,
						entries: response.entries.map((entry) => ({
							id: entry.entryId,
							kind: kindNames[entry.kind] ?? 'deposit',
							amountCents: entry.amount,
							balanceAfterCents: entry.balanceAfter,
							time: entry.time,
							...(entry.counterparty ? {counterparty: entry.counterparty} : {}),
						})),
					}
				: undefined,
		);
	}

	async logout(): Promise<BankResult<Record<string, never>>> {
		return this.toResult(await this.call({op: 'logout'}), (response) =>
			response.op === 'logout' ? {} : undefined,
		);
	}

	private receive(data: Uint8Array): void {
		const decoded = decodeResponse(data);
		if (!decoded.ok) {
			// A response we cannot read means the two ends disagree: fail everything waiting.
			for (const waiter of this.pending.values())
				waiter.reject(
					new BankConnectionError(`unreadable response from the server: ${decoded.error}`),
				);
			this.pending.clear();
			return;
		}

		const {response} = decoded;
		const id = response.id ?? [...this.pending.keys()][0];
		if (id === undefined) return;
		const waiter = this.pending.get(id);
		if (!waiter) return;
		this.pending.delete(id);
		waiter.resolve(response);
	}

	private balanceOf(response: BankResponse): BankResult<{readonly balanceCents: number}> {
		const pickBalance = (ok: Extract<BankResponse, {ok: true}>) =>
			'balance' in ok && typeof ok.balance === 'number' ? {balanceCents: ok.balance} : undefined;
		return this.toResult(response, pickBalance);
	}

	private toResult<T>(
		response: BankResponse,
		pick: (response: Extract<BankResponse, {ok: true}>) => T | undefined,
	): BankResult<T> {
		if (!response.ok)
			return {ok: false, error: {code: response.error.code, message: response.error.message}};
		const value = pick(response);
		if (value === undefined)
			return {
				ok: false,
				error: {code: 'unexpected_response', message: `the server answered ${response.op}`},
			};
		return {ok: true, value};
	}
}

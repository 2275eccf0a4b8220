/**
 * Shared set-up for the bank's tests: temporary data folders, fast stores, a cheap scrypt cost,
 * a settable clock, and a client that speaks the wire format to a BankSession.
 */
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {expect} from 'vitest';
import type {ScryptCost} from '../../source/bank/passwords.js';
import type {BankSession} from '../../source/bank/service.js';
import {openSqliteLedgerStore, type SqliteLedgerStore} from '../../source/bank/store-sqlite.js';
import {
	decodeResponse,
	encodeRequest,
	type BankRequest,
	type BankResponse,
} from '../../source/bank/wire.js';

/** Far below the real cost (2^14, r = 8): each hash takes well under a millisecond. */
export const TEST_SCRYPT_COST: ScryptCost = {N: 2 ** 8, r: 2, p: 1};

/** A fresh folder under the system's temp folder, and a function removing it. */
export function makeTempFolder(): {folder: string; remove: () => void} {
	const folder = mkdtempSync(path.join(tmpdir(), 'securebank-bank-'));
	return {
		folder,
		remove() {
			rmSync(folder, {recursive: true, force: true});
		},
	};
}

/** A store in a fresh folder with synchronous=NORMAL (fast; tests that need FULL ask for it). */
export function openFastStore(folder: string): SqliteLedgerStore {
	return openSqliteLedgerStore(folder, {synchronous: 'normal'});
}

/** A clock tests move by hand. */
export function makeClock(start = Date.UTC(2025, 0, 1, 9, 0, 0)) {
	let time = start;
	return {
		now: () => time,
		advance(ms: number) {
			time += ms;
		},
	};
}

type WithoutId<Request> = Request extends unknown ? Omit<Request, 'id'> : never;
/** A request without its correlation id (the client numbers them). */
export type RequestBody = WithoutId<BankRequest>;

/** Speaks to a session as a client would: encodes requests, decodes (and checks) responses. */
export function makeClient(session: BankSession) {
	let nextId = 1;
	return {
		session,
		/** Sends one request and returns the decoded response and the close flag. */
		async send(body: RequestBody): Promise<{response: BankResponse; close: boolean}> {
			const id = nextId++;
			const handled = await session.handle(encodeRequest({id, ...body}));
			const decoded = decodeResponse(handled.response);
			if (!decoded.ok) {
				throw new Error(`the service sent an invalid response: ${decoded.error}`);
			}

			expect(decoded.response.id).toBe(id);
			return {response: decoded.response, close: handled.close};
		},
		/** Sends one request and returns the decoded response only. */
		async reply(body: RequestBody): Promise<BankResponse> {
			const {response} = await this.send(body);
			return response;
		},
		/** Sends raw bytes (malformed requests) and decodes the response. */
		async sendRaw(bytes: Uint8Array | string): Promise<{response: BankResponse; close: boolean}> {
			const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
			const handled = await session.handle(data);
			const decoded = decodeResponse(handled.response);
			if (!decoded.ok) {
				throw new Error(`the service sent an invalid response: ${decoded.error}`);
			}

			return {response: decoded.response, close: handled.close};
		},
	};
}

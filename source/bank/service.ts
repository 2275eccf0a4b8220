/**
 * BankService: bytes of one request in, bytes of one response out, per customer session.
 *
 * The network layer opens a session per connection once the secure channel is up, hands it each
 * decrypted record, and sends back the response record. It knows nothing of the ledger; the
 * service knows nothing of sockets.
 *
 * - Before login only login, signup and info are served (not_logged_in otherwise); signup only
 *   when allowSignup. A successful signup logs the session in. info (not in the first brief; the
 *   client asks it to decide whether to offer signup) says whether signup is open and the
 *   per-operation maximum.
 * - A session's requests are answered one at a time, in order, so "login then deposit" sent back
 *   to back works; different sessions run concurrently and meet in the ledger's group commit.
 * - A malformed request (see wire.ts) gets a refusal and the session stays usable; the
 *   MAX_MALFORMED_IN_A_ROW-th in a row gets too_many_malformed and `close: true`, after which the
 *   network layer sends its alert and closes.
 * - Every outcome is reported to the activity listeners (never a password).
 */
import type {BankActivity, BankActivityListener} from './activity.js';
import {createLedger, type Ledger, type LedgerOptions} from './ledger.js';
import {MAX_AMOUNT_CENTS} from './money.js';
import {
	accept,
	refusals,
	refuse,
	type BankRefusal,
	type BankResult,
	type Outcome,
} from './outcomes.js';
import {
	decodeRequest,
	encodeResponse,
	MAX_RESPONSE_BYTES,
	type BankOp,
	type BankRequest,
	type BankResponse,
} from './wire.js';

export const MAX_MALFORMED_IN_A_ROW = 5;

export type BankServiceOptions = LedgerOptions & {
	/** Whether customers may open accounts over the network (the signup op). */
	readonly allowSignup: boolean;
};

export type HandledRequest = {
	readonly response: Uint8Array;
	/** True when the session must end: send an alert and close the connection. */
	readonly close: boolean;
};

export type BankSession = {
	readonly peer: string;
	/** The logged-in account, if any. */
	readonly account: string | undefined;
	handle(requestBytes: Uint8Array): Promise<HandledRequest>;
};

export type BankService = {
	openSession(peerLabel: string): BankSession;
	/** Lets the listener see every activity event; returns a function that stops it. */
	onActivity(listener: BankActivityListener): () => void;
	/** Refuses new requests, waits for those running and their commits, then closes the store. */
	close(): Promise<void>;
	/** The ledger underneath, for benchmarks and tests (commitStats). */
	readonly ledger: Ledger;
};

type SessionState = {
	readonly peer: string;
	account: string | undefined;
	malformedInARow: number;
	ended: boolean;
};

type Answer = {readonly outcome: Outcome<BankResult>; readonly events: readonly BankActivity[]};

/** Drops the oldest entries of a history page until it fits one response record. */
function fitHistory(response: BankResponse): BankResponse {
	if (!response.ok || response.op !== 'history') {
		return response;
	}

	let fitted = response;
	const size = (candidate: BankResponse): number => Buffer.byteLength(JSON.stringify(candidate));
	while (size(fitted) > MAX_RESPONSE_BYTES && fitted.entries.length > 1) {
		const entries = fitted.entries.slice(0, -1);
		fitted = {...fitted, entries, nextBefore: entries.at(-1)?.entryId ?? null};
	}

	return fitted;
}

export function createBankService(options: BankServiceOptions): BankService {
	const ledger = createLedger(options);
	const listeners = new Set<BankActivityListener>();
	const running = new Set<Promise<unknown>>();
	let closing: Promise<void> | undefined;

	function report(event: BankActivity): void {
		for (const listener of listeners) {
			try {
				listener(event);
			} catch {
				// A broken log listener must not break a customer's request.
			}
		}
	}

	function refusedEvent(state: SessionState, op: BankOp | null, error: BankRefusal): BankActivity {
		return {
			kind: 'refused',
			peer: state.peer,
			account: state.account ?? null,
			op,
			code: error.code,
			message: error.message,
		};
	}

	async function answerLogin(
		state: SessionState,
		request: Extract<BankRequest, {op: 'login' | 'signup'}>,
	): Promise<Answer> {
		const {peer} = state;
		if (state.account !== undefined) {
			return {outcome: refuse(refusals.alreadyLoggedIn(state.account)), events: []};
		}

		if (request.op === 'signup' && !options.allowSignup) {
			return {outcome: refuse(refusals.signupDisabled()), events: []};
		}

		const outcome =
			request.op === 'login'
				? await ledger.login(request.name, request.password)
				: await ledger.signup(request.name, request.password);
		if (outcome.ok) {
			state.account = request.name;
			return {outcome, events: [{kind: outcome.op, peer, account: request.name}]};
		}

		const {code, lockedUntil = ''} = outcome.error;
		if (code === 'login_failed') {
			return {outcome, events: [{kind: 'login-failed', peer, name: request.name}]};
		}

		if (code === 'account_locked') {
			return {outcome, events: [{kind: 'login-locked', peer, name: request.name, lockedUntil}]};
		}

		return {outcome, events: []};
	}

	async function answer(state: SessionState, request: BankRequest): Promise<Answer> {
		const {peer} = state;
		if (request.op === 'login' || request.op === 'signup') {
			return answerLogin(state, request);
		}

		if (request.op === 'info') {
			const outcome = accept({
				op: 'info',
				signup: options.allowSignup,
				maxAmount: MAX_AMOUNT_CENTS,
			});
			return {outcome, events: []};
		}

		const {account} = state;
		if (account === undefined) {
			return {outcome: refuse(refusals.notLoggedIn()), events: []};
		}

		switch (request.op) {
			case 'deposit':
			case 'withdraw': {
				const {requestId, amount} = request;
				const {outcome, replayed} =
					request.op === 'deposit'
						? await ledger.deposit(account, requestId, amount)
						: await ledger.withdraw(account, requestId, amount);
				const events: BankActivity[] = outcome.ok
					? [
							{
								kind: outcome.op,
								peer,
								account,
								requestId,
								amount,
								balance: outcome.balance,
								replayed,
							},
						]
					: [];
				return {outcome, events};
			}

			case 'transfer': {
				const {requestId, amount, to} = request;
				const {outcome, replayed} = await ledger.transfer(account, requestId, amount, to);
				const events: BankActivity[] = outcome.ok
					? [
							{
								kind: 'transfer',
								peer,
								account,
								to,
								requestId,
								amount,
								balance: outcome.balance,
								replayed,
							},
						]
					: [];
				return {outcome, events};
			}

			case 'balance': {
				return {outcome: await ledger.balance(account), events: []};
			}

			case 'history': {
				const outcome = await ledger.history(account, {
					limit: request.limit,
					before: request.before,
				});
				return {outcome, events: []};
			}

			case 'logout': {
				state.account = undefined;
				return {outcome: {ok: true, op: 'logout'}, events: [{kind: 'logout', peer, account}]};
			}
		}
	}

	async function handle(
		state: SessionState,
		requestBytes: Uint8Array,
		arrivedWhileClosing: boolean,
	): Promise<HandledRequest> {
		const decoded = decodeRequest(requestBytes);
		if (state.ended || arrivedWhileClosing) {
			const error = state.ended
				? refusals.tooManyMalformed(
						state.malformedInARow,
						refusals.malformedRequest('session ended'),
					)
				: refusals.shuttingDown();
			const id = decoded.ok ? decoded.request.id : decoded.id;
			return {response: encodeResponse({id, ok: false, error}), close: true};
		}

		if (!decoded.ok) {
			state.malformedInARow += 1;
			const close = state.malformedInARow >= MAX_MALFORMED_IN_A_ROW;
			const error = close
				? refusals.tooManyMalformed(state.malformedInARow, decoded.error)
				: decoded.error;
			state.ended = close;
			report(refusedEvent(state, null, error));
			return {response: encodeResponse({id: decoded.id, ok: false, error}), close};
		}

		state.malformedInARow = 0;
		const {request} = decoded;
		let response: BankResponse;
		try {
			const {outcome, events} = await answer(state, request);
			for (const event of events) {
				report(event);
			}

			// Login refusals have their own events; every other refusal is reported as such.
			if (!outcome.ok && events.length === 0) {
				report(refusedEvent(state, request.op, outcome.error));
			}

			response = fitHistory({id: request.id, ...outcome});
			return {response: encodeResponse(response), close: false};
		} catch (error) {
			report({
				kind: 'internal-error',
				peer: state.peer,
				account: state.account ?? null,
				op: request.op,
				message: error instanceof Error ? error.message : String(error),
			});
			response = {id: request.id, ok: false, error: refusals.internalError()};
			return {response: encodeResponse(response), close: false};
		}
	}

	return {
		ledger,
		openSession(peerLabel) {
			const state: SessionState = {
				peer: peerLabel,
				account: undefined,
				malformedInARow: 0,
				ended: false,
			};
			// One request at a time per session, in arrival order.
			let previous: Promise<unknown> = Promise.resolve();
			return {
				peer: peerLabel,
				get account() {
					return state.account;
				},
				async handle(requestBytes) {
					// Whatever arrived before close() is still answered; whatever arrives after is not.
					const arrivedWhileClosing = closing !== undefined;
					const turn = previous.then(async () => handle(state, requestBytes, arrivedWhileClosing));
					previous = turn.catch(() => undefined);
					running.add(turn);
					try {
						return await turn;
					} finally {
						running.delete(turn);
					}
				},
			};
		},
		onActivity(listener) {
			listeners.add(listener);
			return () => {
				listeners.delete(listener);
			};
		},
		async close() {
			closing ??= (async () => {
				await Promise.allSettled(running);
				await ledger.drain();
				await options.store.close();
			})();
			return closing;
		},
	};
}

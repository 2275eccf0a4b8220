/**
 * Test helpers for the screens: ANSI stripping, key codes, real event sequences from the in-memory
 * Pair, and fakes of the network layer (a BankApi that records its calls, a connection handle, a
 * start() function and a ServerController).
 */
import {stripVTControlCharacters} from 'node:util';
import type {
	BankApi,
	BankResult,
	ClientConnectionHandle,
	HistoryEntry,
	LedgerActivity,
	ServerActivity,
	ServerController,
	SessionInfo,
	UnknownHostKey,
} from '../../source/net/api.js';
import type {ProtocolEvent} from '../../source/protocol/events.js';
import {suiteById} from '../../source/crypto/suites.js';
import type {StartHooks} from '../../source/ui/use-client-session.js';
import {Pair} from '../helpers/pair.js';

/** The text without colours and other terminal escapes. */
export function stripAnsi(text: string): string {
	return stripVTControlCharacters(text);
}

export async function delay(milliseconds = 0): Promise<void> {
	await new Promise((resolve) => {
		setTimeout(resolve, milliseconds);
	});
}

/** The last frame without colours. */
export function plain(instance: {lastFrame: () => string | undefined}): string {
	return stripAnsi(instance.lastFrame() ?? '');
}

export const keys = {
	up: '\u001B[A',
	down: '\u001B[B',
	enter: '\r',
	escape: '\u001B',
	tab: '\t',
	shiftTab: '\u001B[Z',
	home: '\u001B[H',
	end: '\u001B[F',
	pageUp: '\u001B[5~',
	pageDown: '\u001B[6~',
	backspace: '\u007F',
	ctrlO: '\u000F',
} as const;

type Rendered = {
	stdin: {write: (data: string) => void};
	lastFrame: () => string | undefined;
	frames: string[];
};

/**
 * Writes keys one at a time. After a key that may move focus (Tab, Enter, Escape) it waits for
 * the screen to settle, as RECIPES.md asks; after others, a moment.
 */
export async function press(app: Rendered, ...sequence: string[]): Promise<void> {
	const movesFocus = new Set<string>([keys.tab, keys.shiftTab, keys.enter, keys.escape]);
	for (const key of sequence) {
		app.stdin.write(key);

		await (movesFocus.has(key) ? settle(app) : delay(5));
	}
}

/** Types text character by character. */
export async function type(app: Rendered, text: string): Promise<void> {
	await press(app, ...text);
}

/**
 * Waits until no new frame has been drawn for a moment. Ink draws a frame before React runs the
 * effects that bind the keys of what it shows (and those effects may draw again): a key sent
 * before they ran goes to the previous screen's handler.
 */
export async function settle(
	instance: {lastFrame: () => string | undefined; frames?: string[]},
	quiet = 30,
): Promise<void> {
	for (let rounds = 0; rounds < 100; rounds++) {
		const count = instance.frames?.length ?? 0;

		await delay(quiet);
		if ((instance.frames?.length ?? 0) === count) return;
	}
}

/** Waits until the frame contains the text (or fails with the last frame), then lets effects settle. */
export async function waitFor(
	instance: {lastFrame: () => string | undefined; frames?: string[]},
	text: string | RegExp,
	timeout = 3000,
): Promise<string> {
	const until = Date.now() + timeout;
	for (;;) {
		const frame = plain(instance);
		if (typeof text === 'string' ? frame.includes(text) : text.test(frame)) {
			await settle(instance);
			return plain(instance);
		}

		if (Date.now() > until) throw new Error(`timed out waiting for ${String(text)} in:\n${frame}`);

		await delay(10);
	}
}

// ---------------------------------------------------------------------------------------------
// Real events

const eventCache = new Map<string, {client: ProtocolEvent[]; server: ProtocolEvent[]}>();

/** The client's and server's events of one real in-memory handshake with this suite. */
export function realEvents(
	suiteId: number,
	showSecrets = false,
): {client: ProtocolEvent[]; server: ProtocolEvent[]} {
	const cacheKey = `${suiteId}:${showSecrets}`;
	let events = eventCache.get(cacheKey);
	if (!events) {
		const pair = new Pair({client: {suites: [suiteId], showSecrets}}).handshake();
		events = {client: [...pair.clientEvents], server: [...pair.serverEvents]};
		eventCache.set(cacheKey, events);
	}

	return events;
}

export function suiteName(id: number): string {
	return suiteById(id)?.name ?? String(id);
}

// ---------------------------------------------------------------------------------------------
// A fake bank

export type BankCall = {readonly op: string; readonly args: readonly unknown[]};

type Outcome<T> = BankResult<T> | ((...args: any[]) => BankResult<T>);

export class FakeBank implements BankApi {
	readonly calls: BankCall[] = [];
	balanceCents = 10_000;
	signupAllowed = false;
	password = 'correct horse';
	entries: HistoryEntry[] = [];
	/** The most entries one history page holds, whatever the limit asked. */
	pageSize = 100;
	/** Overrides for the next answers, by operation. */
	readonly next = new Map<string, Outcome<any>>();

	private async answer<T>(
		op: string,
		args: unknown[],
		fallback: () => BankResult<T>,
	): Promise<BankResult<T>> {
		this.calls.push({op, args});
		const override = this.next.get(op);
		if (override) {
			this.next.delete(op);
			return typeof override === 'function' ? override(...args) : override;
		}

		return fallback();
	}

	callsOf(op: string): BankCall[] {
		return this.calls.filter((call) => call.op === op);
	}

	async serverInfo() {
		return this.answer('serverInfo', [], () => ({
			ok: true as const,
			value: {signup: this.signupAllowed, maxAmountCents: 1_000_000_00},
		}));
	}

	async login(name: string, password: string) {
		return this.answer('login', [name, password], () =>
			password === this.password
				? {ok: true as const, value: {name, balanceCents: this.balanceCents}}
				: {ok: false as const, error: {code: 'login_failed', message: 'wrong name or password'}},
		);
	}

	async signup(name: string, password: string) {
		return this.answer('signup', [name, password], () => ({
			ok: true as const,
			value: {name, balanceCents: 0},
		}));
	}

	async deposit(amountCents: number) {
		return this.answer('deposit', [amountCents], () => {
			this.balanceCents += amountCents;
			return {ok: true as const, value: {balanceCents: this.balanceCents}};
		});
	}

	async withdraw(amountCents: number) {
		return this.answer('withdraw', [amountCents], () => {
			if (amountCents > this.balanceCents) {
				return {
					ok: false as const,
					error: {
						code: 'insufficient_funds',
						message: `insufficient funds: the balance is ${(this.balanceCents / 100).toFixed(2)}`,
					},
				};
			}

			this.balanceCents -= amountCents;
			return {ok: true as const, value: {balanceCents: this.balanceCents}};
		});
	}

	async balance() {
		return this.answer('balance', [], () => ({
			ok: true as const,
			value: {balanceCents: this.balanceCents},
		}));
	}

	/**
	 * Pages `entries` (newest first) as the server does: up to `limit` (default 10), and never more
	 * than `pageSize` (a server shortens a page that would not fit a record), older than `before`,
	 * which must be one of the entries' ids (invalid_field otherwise).
	 */
	async history(options?: {readonly limit?: number; readonly before?: number}) {
		return this.answer('history', [options], () => {
			let start = 0;
			if (options?.before !== undefined) {
				const index = this.entries.findIndex((entry) => entry.id === options.before);
				if (index === -1) {
					return {
						ok: false as const,
						error: {
							code: 'invalid_field',
							message: "before is not one of this account's entries",
						},
					};
				}

				start = index + 1;
			}

			const size = Math.min(options?.limit ?? 10, this.pageSize);
			const entries = this.entries.slice(start, start + size);
			const more = start + entries.length < this.entries.length;
			return {
				ok: true as const,
				value: {
					entries,
					nextBefore: more ? (entries.at(-1)?.id ?? null) : null,
					balanceCents: this.balanceCents,
				},
			};
		});
	}

	async transfer(amountCents: number, to: string) {
		return this.answer('transfer', [amountCents, to], () => {
			this.balanceCents -= amountCents;
			return {ok: true as const, value: {balanceCents: this.balanceCents}};
		});
	}

	async logout() {
		return this.answer('logout', [], () => ({
			ok: true as const,
			value: {},
		}));
	}
}

// ---------------------------------------------------------------------------------------------
// A fake connection and start()

export type FakeHandle = ClientConnectionHandle & {
	readonly closeCalls: number;
	end: (reason: string) => void;
};

export function fakeHandle(bank: BankApi, suiteId = 1): FakeHandle {
	const suite = suiteById(suiteId)!;
	let endConnection: (reason: string) => void = () => undefined;
	const closed = new Promise<string>((resolve) => {
		endConnection = resolve;
	});
	const info: SessionInfo = {
		peer: '127.0.0.1:6001',
		suite: {
			id: suite.id,
			name: suite.name,
			forwardSecrecy: suite.forwardSecrecy,
			insecure: suite.insecure,
			parts: suite.parts,
		},
		hostKeyType: suite.hostKey,
		hostKeyFingerprint: 'SHA256:test',
		trust: 'known',
		forwardSecrecy: suite.forwardSecrecy,
		insecure: suite.insecure,
	};
	const handle = {
		info,
		bank,
		closed,
		closeCalls: 0,
		close() {
			handle.closeCalls++;
			endConnection('closed by client');
		},
		end(reason: string) {
			endConnection(reason);
		},
	};
	return handle;
}

export type StartScript = {
	/** Events emitted before start() settles. */
	readonly events?: readonly ProtocolEvent[];
	/** Asked through decideUnknownHost before settling; declining rejects with host_key_rejected. */
	readonly unknownHost?: UnknownHostKey;
	/** Settles with this handle, rejects with this error, or never settles. */
	readonly result: FakeHandle | Error | 'pending';
};

/** A start() that plays a script, recording the hooks it was given and how many times it ran. */
export function scriptedStart(script: StartScript): {
	start: (hooks: StartHooks) => Promise<ClientConnectionHandle>;
	readonly calls: number;
	readonly decisions: boolean[];
	hooks: StartHooks | undefined;
} {
	const recorder = {
		calls: 0,
		decisions: [] as boolean[],
		hooks: undefined as StartHooks | undefined,
		async start(hooks: StartHooks): Promise<ClientConnectionHandle> {
			recorder.calls++;
			recorder.hooks = hooks;
			await delay(1);
			for (const event of script.events ?? []) hooks.onEvent(event);
			if (script.unknownHost) {
				const trusted = await hooks.decideUnknownHost(script.unknownHost);
				recorder.decisions.push(trusted);
				if (!trusted) {
					throw Object.assign(
						new Error(`host key for ${script.unknownHost.host} was not accepted`),
						{code: 'host_key_rejected'},
					);
				}
			}

			if (script.result === 'pending') {
				return new Promise<ClientConnectionHandle>(() => {
					// Never settles: the handshake is still going on.
				});
			}

			if (script.result instanceof Error) throw script.result;
			return script.result;
		},
	};
	return recorder;
}

// ---------------------------------------------------------------------------------------------
// A fake server controller

export class FakeController implements ServerController {
	readonly address = '127.0.0.1:6001';
	readonly hostKeys = [
		{type: 'ed25519', fingerprint: 'SHA256:BO4zbx51NLlmR+bH8obOSiT9E20pqq/xpUZRJ11pC5o'},
		{type: 'rsa-3072', fingerprint: 'SHA256:99LYwGmOm5n0ZgcDSKDYaLpT68qtzUhosoU0RijtqnA'},
	];

	stopCalls = 0;
	private readonly listeners = new Set<(activity: ServerActivity) => void>();
	private finishStop: () => void = () => undefined;

	private readonly stopsAtOnce: boolean;

	constructor(stopsAtOnce = true) {
		this.stopsAtOnce = stopsAtOnce;
	}

	subscribe(listener: (activity: ServerActivity) => void): () => void {
		this.listeners.add(listener);
		return () => {
			this.listeners.delete(listener);
		};
	}

	get subscribers(): number {
		return this.listeners.size;
	}

	async stop(): Promise<void> {
		this.stopCalls++;
		if (this.stopsAtOnce) return;
		await new Promise<void>((resolve) => {
			this.finishStop = resolve;
		});
	}

	/** Lets a stop() that was held back finish. */
	releaseStop(): void {
		this.finishStop();
	}

	emit(activity: ServerActivity): void {
		for (const listener of this.listeners) listener(activity);
	}

	connection(connectionId: number, peer: string, events: readonly ProtocolEvent[]): void {
		for (const event of events) this.emit({type: 'connection-event', connectionId, peer, event});
	}
}

export function ledger(overrides: Partial<LedgerActivity> = {}): ServerActivity {
	return {
		type: 'ledger',
		activity: {
			time: new Date().toISOString(),
			connectionId: 1,
			account: 'alice',
			kind: 'deposit',
			amountCents: 1234,
			balanceAfterCents: 11_234,
			ok: true,
			detail: 'applied',
			...overrides,
		},
	};
}

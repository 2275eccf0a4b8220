/**
 * What one connection's events add up to, for the header, the handshake log and the key details
 * pane. A pure reducer over the one ProtocolEvent union (after Gemini CLI: the core emits events,
 * the UI reduces them with a `switch`), so tests can fold real event arrays without rendering.
 */
import type {ProtocolEvent, Role, SuiteSummary, TrustStatus} from '../protocol/events.js';
import {summarizeEvent} from './event-text.js';
import type {Tone} from './format.js';

export type ConnectionState = 'connecting' | 'handshaking' | 'awaiting trust' | 'secure' | 'closed';

export type LogEntry = {
	readonly id: number;
	/** When the UI reduced the event (Date.now()), or undefined when folded without a clock. */
	readonly at: number | undefined;
	readonly event: ProtocolEvent;
	readonly text: string;
	readonly tone: Tone;
};

export type TrustInfo = {
	readonly host: string;
	readonly status: TrustStatus;
	readonly keyType: string;
	readonly fingerprint: string;
	readonly knownFingerprint?: string;
	readonly knownHostsFile?: string;
	readonly knownHostsLine?: number;
	readonly detail: string;
};

export type DerivedKey = {
	readonly name: string;
	readonly fingerprint: string;
	readonly length: number;
	readonly secret?: string;
};

/** Why the connection ended badly, in words a person reads; `code` when the protocol gave one. */
export type Failure = {
	readonly kind: 'error' | 'alert' | 'closed' | 'lost';
	readonly message: string;
	readonly code?: string;
};

export type HandshakeView = {
	readonly role: Role | undefined;
	readonly state: ConnectionState;
	readonly peer: string | undefined;
	readonly entries: readonly LogEntry[];
	readonly nextId: number;
	readonly suite: SuiteSummary | undefined;
	readonly offered: readonly string[];
	readonly hostKey:
		| {readonly keyType: string; readonly fingerprint: string; readonly publicKey: string}
		| undefined;
	readonly trust: TrustInfo | undefined;
	readonly ephemeralKeys: {readonly client?: string; readonly server?: string};
	readonly transcripts: ReadonlyArray<{readonly label: string; readonly hash: string}>;
	readonly keys: readonly DerivedKey[];
	readonly complete: boolean;
	readonly checks: {readonly passed: number; readonly failed: number};
	readonly failure: Failure | undefined;
	readonly closedReason: string | undefined;
};

/** Entries kept for one connection: a long banking session logs every record. */
export const MAX_LOG_ENTRIES = 2000;

export const initialHandshakeView: HandshakeView = {
	role: undefined,
	state: 'connecting',
	peer: undefined,
	entries: [],
	nextId: 0,
	suite: undefined,
	offered: [],
	hostKey: undefined,
	trust: undefined,
	ephemeralKeys: {},
	transcripts: [],
	keys: [],
	complete: false,
	checks: {passed: 0, failed: 0},
	failure: undefined,
	closedReason: undefined,
};

/** The state after an event, given the state before it. */
function nextState(state: ConnectionState, event: ProtocolEvent): ConnectionState {
	if (state === 'closed' || event.type === 'error' || event.type === 'closed') return 'closed';
	if (event.type === 'connection') {
		if (event.state === 'connecting') return 'connecting';
		if (event.state === 'connected') return state === 'connecting' ? 'handshaking' : state;
		return 'closed';
	}

	if (event.type === 'trust-needed') return 'awaiting trust';
	if (event.type === 'trust') {
		if (event.status === 'changed' || event.status === 'rejected') return 'closed';
		return event.status === 'new' ? 'awaiting trust' : 'handshaking';
	}

	if (event.type === 'handshake-complete') return 'secure';
	// A close_notify after the handshake is the polite start of a close, not a failure.
	if (event.type === 'alert') return event.code === 0 && state === 'secure' ? state : 'closed';
	if (event.type === 'listening' || event.type === 'timing') return state;
	return state === 'connecting' ? 'handshaking' : state;
}

function withDetail(text: string, detail: string | undefined): string {
	return detail ? `${text}: ${detail}` : text;
}

function failureOf(event: ProtocolEvent, state: HandshakeView): Failure | undefined {
	if (event.type === 'error') return {kind: 'error', message: event.message, code: event.code};
	if (event.type === 'closed')
		return {kind: 'closed', message: `connection closed: ${event.reason}`};
	if (event.type === 'alert') {
		if (event.code === 0) return undefined;
		const who = event.direction === 'received' ? 'the peer sent' : 'we sent';
		return {
			kind: 'alert',
			message: `${who} alert ${event.description}: ${event.reason}`,
			code: event.description,
		};
	}

	if (event.type === 'trust') {
		if (event.status === 'changed') {
			return {
				kind: 'error',
				message: `host key for ${event.host} has changed`,
				code: 'host_key_rejected',
			};
		}

		if (event.status === 'rejected') {
			return {
				kind: 'error',
				message: `host key for ${event.host} was not accepted`,
				code: 'host_key_rejected',
			};
		}

		return undefined;
	}

	if (event.type === 'connection') {
		if (event.state === 'lost')
			return {kind: 'lost', message: withDetail('connection lost', event.detail)};
		if (event.state === 'refused')
			return {kind: 'lost', message: withDetail('connection refused', event.detail)};
		if (event.state === 'closed' && !state.complete) {
			return {kind: 'closed', message: withDetail('connection closed', event.detail)};
		}
	}

	return undefined;
}

function withKey(keys: readonly DerivedKey[], key: DerivedKey): DerivedKey[] {
	return [...keys.filter((existing) => existing.name !== key.name), key];
}

/** What an event adds to the header and the key details pane. */
function details(view: HandshakeView, event: ProtocolEvent): Partial<HandshakeView> {
	if (event.type === 'connection') return {peer: view.peer ?? event.peer};
	if (event.type === 'check') {
		const {passed, failed} = view.checks;
		return {checks: event.ok ? {passed: passed + 1, failed} : {passed, failed: failed + 1}};
	}

	if (event.type === 'suite') return {suite: event.suite, offered: event.offered};
	if (event.type === 'host-key') {
		return {
			hostKey: {keyType: event.keyType, fingerprint: event.fingerprint, publicKey: event.publicKey},
		};
	}

	if (event.type === 'trust') {
		const {type: _type, role: _role, ...trust} = event;
		return {trust};
	}

	if (event.type === 'ephemeral-key')
		return {ephemeralKeys: {...view.ephemeralKeys, [event.owner]: event.publicKey}};
	if (event.type === 'transcript')
		return {transcripts: [...view.transcripts, {label: event.label, hash: event.hash}]};
	if (event.type === 'key') {
		const {name, fingerprint, length, secret} = event;
		return {
			keys: withKey(view.keys, {
				name,
				fingerprint,
				length,
				...(secret === undefined ? {} : {secret}),
			}),
		};
	}

	if (event.type === 'key-update') {
		const name = `${event.direction} traffic key (generation ${event.generation})`;
		return {keys: withKey(view.keys, {name, fingerprint: event.fingerprint, length: 32})};
	}

	if (event.type === 'handshake-complete') return {suite: event.suite, complete: true};
	if (event.type === 'closed') return {closedReason: event.reason};
	return {};
}

/** Folds one event into the view; `at` is when the UI received it (Date.now()), if known. */
export function handshakeViewReducer(
	state: HandshakeView,
	event: ProtocolEvent,
	at?: number,
): HandshakeView {
	const summary = summarizeEvent(event);
	let {entries} = state;
	if (summary) {
		entries = [...entries, {id: state.nextId, at, event, text: summary.text, tone: summary.tone}];
		if (entries.length > MAX_LOG_ENTRIES) entries = entries.slice(entries.length - MAX_LOG_ENTRIES);
	}

	const next: HandshakeView = {
		...state,
		role: state.role ?? event.role,
		state: nextState(state.state, event),
		entries,
		nextId: summary ? state.nextId + 1 : state.nextId,
		failure: state.failure ?? failureOf(event, state),
	};

	return {...next, ...details(next, event)};
}

/** Folds a list of events (tests, replays): `at` stamps them all with one time, if given. */
export function reduceHandshakeEvents(
	events: readonly ProtocolEvent[],
	at?: number,
	initial: HandshakeView = initialHandshakeView,
): HandshakeView {
	let view = initial;
	for (const event of events) view = handshakeViewReducer(view, event, at);
	return view;
}

/** The forward-secrecy answer for the header: unknown until the suite is. */
export function forwardSecrecy(view: HandshakeView): boolean | undefined {
	return view.suite?.forwardSecrecy;
}

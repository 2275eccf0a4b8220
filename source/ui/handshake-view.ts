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
	readonly hostKey: {readonly keyType: string; readonly fingerprint: string; readonly publicKey: string} | undefined;
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
	if (state === 'closed') return 'closed';
	switch (event.type) {
		case 'connection': {
			if (event.state === 'connecting') return 'connecting';
			if (event.state === 'connected') return state === 'connecting' ? 'handshaking' : state;
			return 'closed';
		}

		case 'trust-needed': {
			return 'awaiting trust';
		}

		case 'trust': {
			if (event.status === 'changed' || event.status === 'rejected') return 'closed';
			return event.status === 'new' ? 'awaiting trust' : 'handshaking';
		}

		case 'handshake-complete': {
			return 'secure';
		}

		case 'error':
		case 'closed': {
			return 'closed';
		}

		case 'alert': {
			return event.code === 0 && state === 'secure' ? state : 'closed';
		}

		case 'listening':
		case 'timing': {
			return state;
		}

		default: {
			return state === 'connecting' ? 'handshaking' : state;
		}
	}
}

function failureOf(event: ProtocolEvent, state: HandshakeView): Failure | undefined {
	switch (event.type) {
		case 'error': {
			return {kind: 'error', message: event.message, code: event.code};
		}

		case 'alert': {
			if (event.code === 0) return undefined;
			const who = event.direction === 'received' ? 'the peer sent' : 'we sent';
			return {kind: 'alert', message: `${who} alert ${event.description}: ${event.reason}`, code: event.description};
		}

		case 'trust': {
			if (event.status === 'changed') {
				return {kind: 'error', message: `host key for ${event.host} has changed`, code: 'host_key_rejected'};
			}

			return event.status === 'rejected'
				? {kind: 'error', message: `host key for ${event.host} was not accepted`, code: 'host_key_rejected'}
				: undefined;
		}

		case 'closed': {
			return {kind: 'closed', message: `connection closed: ${event.reason}`};
		}

		case 'connection': {
			if (event.state === 'lost') return {kind: 'lost', message: `connection lost${event.detail ? `: ${event.detail}` : ''}`};
			if (event.state === 'refused') return {kind: 'lost', message: `connection refused${event.detail ? `: ${event.detail}` : ''}`};
			return event.state === 'closed' && !state.complete
				? {kind: 'closed', message: `connection closed${event.detail ? `: ${event.detail}` : ''}`}
				: undefined;
		}

		default: {
			return undefined;
		}
	}
}

function withKey(keys: readonly DerivedKey[], key: DerivedKey): DerivedKey[] {
	return [...keys.filter((existing) => existing.name !== key.name), key];
}

/** Folds one event into the view; `at` is when the UI received it (Date.now()), if known. */
export function handshakeViewReducer(state: HandshakeView, event: ProtocolEvent, at?: number): HandshakeView {
	const summary = summarizeEvent(event);
	let entries = state.entries;
	if (summary) {
		entries = [...entries, {id: state.nextId, at, event, text: summary.text, tone: summary.tone}];
		if (entries.length > MAX_LOG_ENTRIES) entries = entries.slice(entries.length - MAX_LOG_ENTRIES);
	}

	let next: HandshakeView = {
		...state,
		role: state.role ?? event.role,
		state: nextState(state.state, event),
		entries,
		nextId: summary ? state.nextId + 1 : state.nextId,
		failure: state.failure ?? failureOf(event, state),
	};

	switch (event.type) {
		case 'connection': {
			next = {...next, peer: next.peer ?? event.peer};
			break;
		}

		case 'check': {
			next = {
				...next,
				checks: event.ok
					? {...next.checks, passed: next.checks.passed + 1}
					: {...next.checks, failed: next.checks.failed + 1},
			};
			break;
		}

		case 'suite': {
			next = {...next, suite: event.suite, offered: event.offered};
			break;
		}

		case 'host-key': {
			next = {...next, hostKey: {keyType: event.keyType, fingerprint: event.fingerprint, publicKey: event.publicKey}};
			break;
		}

		case 'trust': {
			const {type: _type, role: _role, ...trust} = event;
			next = {...next, trust};
			break;
		}

		case 'ephemeral-key': {
			next = {...next, ephemeralKeys: {...next.ephemeralKeys, [event.owner]: event.publicKey}};
			break;
		}

		case 'transcript': {
			next = {...next, transcripts: [...next.transcripts, {label: event.label, hash: event.hash}]};
			break;
		}

		case 'key': {
			next = {
				...next,
				keys: withKey(next.keys, {
					name: event.name,
					fingerprint: event.fingerprint,
					length: event.length,
					...(event.secret === undefined ? {} : {secret: event.secret}),
				}),
			};
			break;
		}

		case 'key-update': {
			const name = `${event.direction} traffic key (generation ${event.generation})`;
			next = {...next, keys: withKey(next.keys, {name, fingerprint: event.fingerprint, length: 32})};
			break;
		}

		case 'handshake-complete': {
			next = {...next, suite: event.suite, complete: true};
			break;
		}

		case 'closed': {
			next = {...next, closedReason: event.reason};
			break;
		}

		default: {
			break;
		}
	}

	return next;
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

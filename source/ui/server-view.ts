/**
 * What the server's activity adds up to: a live list of connections (each with its own handshake
 * view, reduced by the same handshakeViewReducer), the ledger feed and the counts. Pure.
 */
import type {LedgerActivity, ServerActivity} from '../net/api.js';
import {handshakeViewReducer, initialHandshakeView, type HandshakeView} from './handshake-view.js';

export type ServerConnectionState = 'handshaking' | 'secure' | 'closed' | 'failed';

export type ServerConnectionView = {
	readonly id: number;
	readonly peer: string;
	readonly state: ServerConnectionState;
	readonly account: string | undefined;
	readonly operations: number;
	readonly handshake: HandshakeView;
	/** 'ok' once the handshake completed, 'failed' if it ended before; counted once. */
	readonly outcome: 'ok' | 'failed' | undefined;
};

export type ServerCounts = {
	readonly connections: number;
	readonly open: number;
	readonly handshakesOk: number;
	readonly handshakesFailed: number;
	readonly operations: number;
};

export type ServerView = {
	readonly connections: readonly ServerConnectionView[];
	readonly ledger: readonly LedgerActivity[];
	readonly counts: ServerCounts;
};

/** Ledger lines and closed connections kept (the oldest go first). */
export const MAX_LEDGER_ENTRIES = 500;
export const MAX_CLOSED_CONNECTIONS = 200;

export const initialServerView: ServerView = {
	connections: [],
	ledger: [],
	counts: {connections: 0, open: 0, handshakesOk: 0, handshakesFailed: 0, operations: 0},
};

function connectionState(handshake: HandshakeView): ServerConnectionState {
	if (handshake.state === 'secure') return 'secure';
	if (handshake.state !== 'closed') return 'handshaking';
	const {failure} = handshake;
	return !handshake.complete || failure?.kind === 'error' || failure?.kind === 'alert'
		? 'failed'
		: 'closed';
}

function newConnection(id: number, peer: string): ServerConnectionView {
	return {
		id,
		peer,
		state: 'handshaking',
		account: undefined,
		operations: 0,
		handshake: initialHandshakeView,
		outcome: undefined,
	};
}

function pruned(connections: ServerConnectionView[]): ServerConnectionView[] {
	const closed = connections.filter(
		(connection) => connection.state === 'closed' || connection.state === 'failed',
	);
	if (closed.length <= MAX_CLOSED_CONNECTIONS) return connections;
	const drop = new Set(
		closed.slice(0, closed.length - MAX_CLOSED_CONNECTIONS).map((connection) => connection.id),
	);
	return connections.filter((connection) => !drop.has(connection.id));
}

export function serverViewReducer(
	state: ServerView,
	activity: ServerActivity,
	at?: number,
): ServerView {
	switch (activity.type) {
		case 'connection-event': {
			const existing = state.connections.find(
				(connection) => connection.id === activity.connectionId,
			);
			const before = existing ?? newConnection(activity.connectionId, activity.peer);
			const handshake = handshakeViewReducer(before.handshake, activity.event, at);
			const stateNow = connectionState(handshake);
			let {outcome} = before;
			if (outcome === undefined && handshake.complete) outcome = 'ok';
			if (outcome === undefined && stateNow === 'failed') outcome = 'failed';
			const after: ServerConnectionView = {
				...before,
				peer: activity.peer,
				handshake,
				state: stateNow,
				outcome,
			};
			const connections = existing
				? state.connections.map((connection) => (connection.id === after.id ? after : connection))
				: pruned([...state.connections, after]);
			const newlyOk = outcome === 'ok' && before.outcome === undefined ? 1 : 0;
			const newlyFailed = outcome === 'failed' && before.outcome === undefined ? 1 : 0;
			return {
				...state,
				connections,
				counts: {
					...state.counts,
					connections: state.counts.connections + (existing ? 0 : 1),
					open: connections.filter(
						(connection) => connection.state === 'handshaking' || connection.state === 'secure',
					).length,
					handshakesOk: state.counts.handshakesOk + newlyOk,
					handshakesFailed: state.counts.handshakesFailed + newlyFailed,
				},
			};
		}

		case 'session-update': {
			const existing = state.connections.find(
				(connection) => connection.id === activity.connectionId,
			);
			const before = existing ?? newConnection(activity.connectionId, 'unknown peer');
			const added = Math.max(0, activity.operations - before.operations);
			const after = {
				...before,
				account: activity.account ?? before.account,
				operations: activity.operations,
			};
			const connections = existing
				? state.connections.map((connection) => (connection.id === after.id ? after : connection))
				: [...state.connections, after];
			return {
				...state,
				connections,
				counts: {
					...state.counts,
					connections: state.counts.connections + (existing ? 0 : 1),
					operations: state.counts.operations + added,
				},
			};
		}

		case 'ledger': {
			const ledger = [...state.ledger, activity.activity];
			return {
				...state,
				ledger:
					ledger.length > MAX_LEDGER_ENTRIES
						? ledger.slice(ledger.length - MAX_LEDGER_ENTRIES)
						: ledger,
			};
		}
	}
}

/** Folds a list of activities (tests, replays). */
export function reduceServerActivity(
	activities: readonly ServerActivity[],
	at?: number,
	initial: ServerView = initialServerView,
): ServerView {
	let view = initial;
	for (const activity of activities) view = serverViewReducer(view, activity, at);
	return view;
}

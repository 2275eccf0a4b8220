/**
 * The client connection's life around the handshake view: starting, asking whether to trust a new
 * host, connected, failed or exiting; and which pane has focus. Pure reducer and helpers; the
 * effects (start(), resolving the trust promise, exiting) are in use-client-session.ts.
 */
import type {UnknownHostKey} from '../net/api.js';
import type {HandshakeView} from './handshake-view.js';

export type ClientFocus = 'log' | 'keys' | 'bank';

export type TrustPrompt = {
	readonly key: UnknownHostKey;
	readonly answer: string;
	readonly error?: string;
	/** Set by Enter on a valid answer; the hook then resolves decideUnknownHost. */
	readonly decision?: boolean;
};

export type ClientSession = {
	readonly phase: 'starting' | 'connected' | 'exiting';
	readonly trust: TrustPrompt | undefined;
	/** Set when start() rejected or the connection ended while in use. */
	readonly failure: {readonly message: string; readonly exitCode: number} | undefined;
	readonly focus: ClientFocus;
};

export const initialClientSession: ClientSession = {
	phase: 'starting',
	trust: undefined,
	failure: undefined,
	// The bank, as soon as it can take input (the log has focus until then: see useClientApp).
	focus: 'bank',
};

export type ClientSessionAction =
	| {readonly type: 'trust-asked'; readonly key: UnknownHostKey}
	| {readonly type: 'trust-type'; readonly text: string}
	| {readonly type: 'trust-erase'}
	/** Enter: decide on the answer typed, or ask again. */
	| {readonly type: 'trust-submit'}
	| {readonly type: 'trust-answered'}
	| {readonly type: 'started'}
	| {readonly type: 'start-failed'; readonly message: string; readonly exitCode: number}
	| {readonly type: 'ended'; readonly message: string}
	| {readonly type: 'exiting'}
	| {readonly type: 'focus'; readonly focus: ClientFocus};

/** Exit codes: 3 for a host key not trusted (rejected, changed, unknown and declined), 5 otherwise. */
export const EXIT_OK = 0;
export const EXIT_HOST_KEY = 3;
export const EXIT_AUTH = 4;
export const EXIT_CONNECTION = 5;

export function exitCodeFor(code: unknown): number {
	return code === 'host_key_rejected' ? EXIT_HOST_KEY : EXIT_CONNECTION;
}

/** "yes"/"y" trusts, "no"/"n" declines; pasting the fingerprint itself trusts, as OpenSSH allows. */
export function parseTrustAnswer(answer: string, fingerprint: string): boolean | undefined {
	const text = answer.trim();
	const lower = text.toLowerCase();
	if (lower === 'yes' || lower === 'y' || text === fingerprint) return true;
	if (lower === 'no' || lower === 'n') return false;
	return undefined;
}

/** A thrown value as one line a person reads: never a stack trace. */
export function errorMessage(error: unknown): string {
	if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
	return String(error);
}

export function clientSessionReducer(
	state: ClientSession,
	action: ClientSessionAction,
): ClientSession {
	switch (action.type) {
		case 'trust-asked': {
			return {...state, trust: {key: action.key, answer: ''}};
		}

		case 'trust-type': {
			return state.trust && state.trust.decision === undefined
				? {
						...state,
						trust: {...state.trust, answer: state.trust.answer + action.text, error: undefined},
					}
				: state;
		}

		case 'trust-erase': {
			return state.trust
				? {...state, trust: {...state.trust, answer: [...state.trust.answer].slice(0, -1).join('')}}
				: state;
		}

		case 'trust-submit': {
			if (!state.trust || state.trust.decision !== undefined) return state;
			const decision = parseTrustAnswer(state.trust.answer, state.trust.key.fingerprint);
			return decision === undefined
				? {...state, trust: {...state.trust, answer: '', error: "Please type 'yes' or 'no'."}}
				: {...state, trust: {...state.trust, decision, error: undefined}};
		}

		case 'trust-answered': {
			return {...state, trust: undefined};
		}

		case 'started': {
			return state.phase === 'starting' ? {...state, phase: 'connected'} : state;
		}

		case 'start-failed': {
			return {
				...state,
				trust: undefined,
				failure: state.failure ?? {message: action.message, exitCode: action.exitCode},
			};
		}

		case 'ended': {
			if (state.phase === 'exiting' || state.failure) return state;
			return {...state, failure: {message: action.message, exitCode: EXIT_CONNECTION}};
		}

		case 'exiting': {
			return {...state, phase: 'exiting'};
		}

		case 'focus': {
			return {...state, focus: action.focus};
		}
	}
}

export type ClientScreen =
	| {readonly kind: 'normal'}
	| {readonly kind: 'changed-key'}
	| {
			readonly kind: 'failed';
			readonly message: string;
			readonly detail?: string;
			readonly exitCode: number;
	  };

/** What the client shows: the changed-key warning beats every other failure, then any failure. */
export function clientScreen(view: HandshakeView, session: ClientSession): ClientScreen {
	if (view.trust?.status === 'changed') return {kind: 'changed-key'};
	const fromEvents = view.failure;
	if (session.failure) {
		const detail =
			fromEvents && fromEvents.message !== session.failure.message ? fromEvents.message : undefined;
		return {
			kind: 'failed',
			message: session.failure.message,
			...(detail ? {detail} : {}),
			exitCode: session.failure.exitCode,
		};
	}

	if (fromEvents && session.phase !== 'exiting') {
		return {kind: 'failed', message: fromEvents.message, exitCode: exitCodeFor(fromEvents.code)};
	}

	return {kind: 'normal'};
}

/**
 * The client connection's effects: calls start() once on mount, stamps and reduces every event,
 * turns decideUnknownHost into the trust prompt, notices the connection ending, and exits once
 * (closing the connection first). Shared by ConnectApp and DemoApp.
 */
import {useCallback, useEffect, useReducer, useRef, useState, type Dispatch} from 'react';
import type {ClientConnectionHandle, UnknownHostKey} from '../net/api.js';
import type {ProtocolEvent} from '../protocol/events.js';
import {
	clientSessionReducer,
	errorMessage,
	exitCodeFor,
	initialClientSession,
	type ClientSession,
	type ClientSessionAction,
} from './client-session.js';
import {handshakeViewReducer, initialHandshakeView, type HandshakeView} from './handshake-view.js';

export type StartHooks = {
	readonly onEvent: (event: ProtocolEvent) => void;
	readonly decideUnknownHost: (key: UnknownHostKey) => Promise<boolean>;
};

export type StartConnection = (hooks: StartHooks) => Promise<ClientConnectionHandle>;

type StampedEvent = {readonly event: ProtocolEvent; readonly at: number};

function stampedReducer(view: HandshakeView, {event, at}: StampedEvent): HandshakeView {
	return handshakeViewReducer(view, event, at);
}

export type ClientSessionHook = {
	readonly view: HandshakeView;
	readonly session: ClientSession;
	readonly dispatch: Dispatch<ClientSessionAction>;
	readonly handle: ClientConnectionHandle | undefined;
	/** Closes the connection (if open) and calls onExit, once. */
	readonly exit: (code: number) => void;
};

export function useClientSession(
	start: StartConnection,
	onExit: (code: number) => void,
): ClientSessionHook {
	const [view, dispatchEvent] = useReducer(stampedReducer, initialHandshakeView);
	const [session, dispatch] = useReducer(clientSessionReducer, initialClientSession);
	const [handle, setHandle] = useState<ClientConnectionHandle | undefined>(undefined);
	const trustResolver = useRef<((trusted: boolean) => void) | undefined>(undefined);
	const handleRef = useRef<ClientConnectionHandle | undefined>(undefined);
	const exited = useRef(false);
	const onExitRef = useRef(onExit);
	useEffect(() => {
		onExitRef.current = onExit;
	}, [onExit]);
	const startRef = useRef(start);

	useEffect(() => {
		let mounted = true;
		startRef
			.current({
				onEvent(event) {
					if (mounted) dispatchEvent({event, at: Date.now()});
				},
				async decideUnknownHost(key) {
					return new Promise<boolean>((resolve) => {
						trustResolver.current = resolve;
						if (mounted) dispatch({type: 'trust-asked', key});
					});
				},
			})
			.then(
				(connection) => {
					if (!mounted || exited.current) {
						connection.close();
						return;
					}

					handleRef.current = connection;
					setHandle(connection);
					dispatch({type: 'started'});
					connection.closed.then(
						(reason) => {
							if (mounted) dispatch({type: 'ended', message: `connection closed: ${reason}`});
						},
						(error: unknown) => {
							if (mounted)
								dispatch({type: 'ended', message: `connection lost: ${errorMessage(error)}`});
						},
					);
				},
				(error: unknown) => {
					const code =
						typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
					if (mounted)
						dispatch({
							type: 'start-failed',
							message: errorMessage(error),
							exitCode: exitCodeFor(code),
						});
				},
			);
		return () => {
			mounted = false;
			// An unanswered question is answered "no" so the connection attempt can end.
			trustResolver.current?.(false);
			trustResolver.current = undefined;
			if (!exited.current) handleRef.current?.close();
		};
	}, []);

	// The reducer decides on Enter; the answer goes back to the connection here.
	const decision = session.trust?.decision;
	useEffect(() => {
		if (decision === undefined) return;
		const resolve = trustResolver.current;
		trustResolver.current = undefined;
		dispatch({type: 'trust-answered'});
		resolve?.(decision);
	}, [decision]);

	const exit = useCallback((code: number) => {
		if (exited.current) return;
		exited.current = true;
		dispatch({type: 'exiting'});
		handleRef.current?.close();
		onExitRef.current(code);
	}, []);

	return {view, session, dispatch, handle, exit};
}

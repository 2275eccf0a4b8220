/**
 * `securebank serve`: the listening address and host keys, the live connections (arrows select
 * one, its handshake log shows beside the list), the ledger feed and the counts. q stops
 * gracefully: "stopping…", controller.stop(), then onExit(0) (1 if stopping failed).
 */
import {Box} from 'ink';
import React, {useCallback, useEffect, useReducer, useRef, useState} from 'react';
import type {ServerController} from '../net/api.js';
import {errorMessage} from './client-session.js';
import {connectionCursorReducer} from './connection-cursor.js';
import {cycle} from './focus.js';
import {detailScrollMax} from './handshake-log-lines.js';
import {HandshakeLog} from './handshake-log.js';
import {initialHandshakeView} from './handshake-view.js';
import {Command, type Mode} from './key-bindings.js';
import {serveLayout} from './layout.js';
import {PANE_CHROME} from './pane.js';
import {ConnectionList, LedgerFeed, ServeHeader, serveHeaderLineCount} from './server-panes.js';
import {StatusBar} from './status-bar.js';
import {useTerminalSize} from './terminal-size.js';
import {useCommandKeys} from './use-command-keys.js';
import {useLogCursor, useLogKeys} from './use-log-keys.js';
import {useServerView} from './use-server-view.js';

export type ServeAppProps = {
	readonly controller: ServerController;
	readonly onExit: (code: number) => void;
};

type ServeFocus = 'connections' | 'log';

/** Stops the controller once, showing progress; resolves the exit code. */
export function useGracefulStop(
	controller: ServerController,
	onExit: (code: number) => void,
): [string | undefined, () => void] {
	const [stopping, setStopping] = useState<string | undefined>(undefined);
	const started = useRef(false);
	const onExitRef = useRef(onExit);
	useEffect(() => {
		onExitRef.current = onExit;
	}, [onExit]);
	const stop = useCallback(() => {
		if (started.current) return;
		started.current = true;
		setStopping('stopping…');
		controller.stop().then(
			() => {
				onExitRef.current(0);
			},
			(error: unknown) => {
				setStopping(`stopping failed: ${errorMessage(error)}`);
				onExitRef.current(1);
			},
		);
	}, [controller]);
	return [stopping, stop];
}

export function ServeApp({controller, onExit}: ServeAppProps) {
	const size = useTerminalSize();
	const view = useServerView(controller);
	const [selectedId, dispatchSelection] = useReducer(connectionCursorReducer, undefined);
	const [focus, setFocus] = useState<ServeFocus>('connections');
	const logCursor = useLogCursor();
	const cursor = logCursor.state;
	const [stopping, stop] = useGracefulStop(controller, onExit);
	const layout = serveLayout(size, serveHeaderLineCount(controller), {
		logExpanded: cursor.expanded,
	});
	const selected =
		view.connections.find((connection) => connection.id === selectedId) ?? view.connections.at(-1);
	const entries = selected?.handshake.entries ?? initialHandshakeView.entries;

	// A different connection starts its log at the newest entry.
	const {dispatch: dispatchLogCursor} = logCursor;
	useEffect(() => {
		dispatchLogCursor({type: 'last'});
	}, [selected?.id, dispatchLogCursor]);

	const running = stopping === undefined;
	const shownFocus: ServeFocus = cursor.expanded || layout.connections.width === 0 ? 'log' : focus;
	const ids = view.connections.map((connection) => connection.id);
	const moveFocus = (delta: number) => {
		const next = cycle<ServeFocus>(['connections', 'log'], shownFocus, delta);
		// Reading a log pins its connection, so a new arrival does not swap it away.
		if (next === 'log') dispatchSelection({type: 'pin', id: selected?.id});
		setFocus(next);
	};

	const logInner = {
		width: layout.log.width - PANE_CHROME.columns,
		height: layout.log.height - PANE_CHROME.rows,
	};
	useCommandKeys(
		running
			? ['serve', 'focus', ...(shownFocus === 'connections' ? (['connections'] as const) : [])]
			: [],
		{
			[Command.Stop]: stop,
			[Command.FocusNext]() {
				moveFocus(1);
			},
			[Command.FocusPrevious]() {
				moveFocus(-1);
			},
			[Command.ConnectionPrevious]() {
				dispatchSelection({type: 'move', delta: -1, ids});
			},
			[Command.ConnectionNext]() {
				dispatchSelection({type: 'move', delta: 1, ids});
			},
		},
	);
	useLogKeys(logCursor, {
		count: entries.length,
		pageSize: Math.max(1, logInner.height - 1),
		detailMax: detailScrollMax(entries, cursor, {...logInner, showSecrets: false}),
		isActive: running && shownFocus === 'log',
	});

	const paneModes: Mode[] =
		shownFocus === 'connections' ? ['connections'] : [cursor.expanded ? 'log-detail' : 'log'];
	const modes: Mode[] = running ? ['serve', 'focus', ...paneModes] : [];
	const listFocused = running && shownFocus === 'connections';
	const logFocused = running && shownFocus === 'log';
	const logTitle = selected ? `Handshake #${selected.id} ${selected.peer}` : 'Handshake log';
	return (
		<Box flexDirection="column" width={layout.width}>
			<ServeHeader controller={controller} view={view} width={layout.width} stopping={stopping} />
			<Box flexDirection={layout.stacked ? 'column' : 'row'} flexShrink={0}>
				{layout.connections.width > 0 ? (
					<ConnectionList
						view={view}
						selectedId={selected?.id}
						width={layout.connections.width}
						height={layout.connections.height}
						isFocused={listFocused}
					/>
				) : null}
				<HandshakeLog
					title={logTitle}
					entries={entries}
					cursor={cursor}
					width={layout.log.width}
					height={layout.log.height}
					isFocused={logFocused}
					showSecrets={false}
				/>
			</Box>
			<LedgerFeed ledger={view.ledger} width={layout.ledger.width} height={layout.ledger.height} />
			<StatusBar modes={modes} width={layout.width} />
		</Box>
	);
}

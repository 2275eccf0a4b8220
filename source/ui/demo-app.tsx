/**
 * `securebank demo`: a server and a client in one terminal. Alice's (client) and Bob's (server)
 * handshake logs side by side, so each message can be seen leaving one and reaching the other,
 * and the bank below, used as in ConnectApp. k swaps Bob's log for Alice's key details (the
 * pane ConnectApp shows) and back. Exiting stops the server, then calls onExit.
 */
import {Box, Text} from 'ink';
import React, {useCallback, useReducer, useRef, useState} from 'react';
import type {ServerController} from '../net/api.js';
import {ChangedKeyWarning} from './changed-key-warning.js';
import {ClientBottomPane, useClientApp, type FocusStop} from './client-panes.js';
import {ConnectionHeader} from './connection-header.js';
import {detailScrollMax} from './handshake-log-lines.js';
import {HandshakeLog} from './handshake-log.js';
import {initialHandshakeView} from './handshake-view.js';
import {Command, type Mode} from './key-bindings.js';
import {KeyDetails, keyDetailsScrollMax} from './key-details.js';
import {demoLayout, type Rect} from './layout.js';
import {PANE_CHROME} from './pane.js';
import {scrollReducer} from './scroll.js';
import {countsText} from './server-panes.js';
import {StatusBar} from './status-bar.js';
import {useTerminalSize} from './terminal-size.js';
import type {StartConnection} from './use-client-session.js';
import {useCommandKeys} from './use-command-keys.js';
import {useLogCursor, useLogKeys} from './use-log-keys.js';
import {useScrollKeys} from './use-scroll-keys.js';
import {useServerView} from './use-server-view.js';

export type DemoAppProps = {
	readonly controller: ServerController;
	readonly start: StartConnection;
	// eslint-disable-next-line react/boolean-prop-naming -- named after the --show-secrets flag
	readonly showSecrets?: boolean;
	readonly onExit: (code: number) => void;
	/** One line for the newcomer, e.g. the demo account's name and password. */
	readonly hint?: string;
};

const demoPanes: readonly FocusStop[] = ['log', 'server-log'];
const demoPanesWithKeys: readonly FocusStop[] = ['log', 'keys'];
const headerLines = 3;

function inner(rect: Rect | undefined): {width: number; height: number} {
	return rect
		? {width: rect.width - PANE_CHROME.columns, height: rect.height - PANE_CHROME.rows}
		: {width: 1, height: 1};
}

export function DemoApp({controller, start, showSecrets = false, onExit, hint}: DemoAppProps) {
	const size = useTerminalSize();
	// Subscribed before the client starts (effects run in order), so no server event is missed.
	const server = useServerView(controller);
	const stopped = useRef(false);
	const finish = useCallback(
		(code: number) => {
			if (stopped.current) return;
			stopped.current = true;
			controller.stop().then(
				() => {
					onExit(code);
				},
				() => {
					onExit(code);
				},
			);
		},
		[controller, onExit],
	);
	const clientLog = useLogCursor();
	const serverLog = useLogCursor();
	const clientCursor = clientLog.state;
	const serverCursor = serverLog.state;
	// The right-hand pane: Bob's log, or (k) Alice's key details.
	const [showKeys, setShowKeys] = useState(false);
	const [keysTop, dispatchKeys] = useReducer(scrollReducer, 0);
	const expanded = clientCursor.expanded
		? 'client'
		: serverCursor.expanded && !showKeys
			? 'server'
			: undefined;
	// An expanded log takes the whole row; the hidden one leaves the Tab order meanwhile.
	const panes: readonly FocusStop[] =
		expanded === 'client'
			? ['log']
			: expanded === 'server'
				? ['server-log']
				: showKeys
					? demoPanesWithKeys
					: demoPanes;
	const layout = demoLayout(size, {expanded, headerLines});
	const app = useClientApp(start, finish, panes, layout.bank.height);
	const {view, screen, focus} = app;
	const connection = server.connections.at(-1);
	const serverEntries = connection?.handshake.entries ?? initialHandshakeView.entries;
	const prompting = app.session.trust !== undefined && screen.kind === 'normal';
	const open = !prompting && screen.kind !== 'changed-key';

	const clientInner = inner(layout.clientLog);
	const serverInner = inner(layout.serverLog);
	useLogKeys(clientLog, {
		count: view.entries.length,
		pageSize: Math.max(1, clientInner.height - 1),
		detailMax: detailScrollMax(view.entries, clientCursor, {...clientInner, showSecrets}),
		isActive: open && focus === 'log' && expanded !== 'server',
	});
	useLogKeys(serverLog, {
		count: serverEntries.length,
		pageSize: Math.max(1, serverInner.height - 1),
		detailMax: detailScrollMax(serverEntries, serverCursor, {...serverInner, showSecrets}),
		isActive: open && focus === 'server-log' && expanded !== 'client',
	});

	const keysRect = showKeys ? layout.serverLog : undefined;
	useScrollKeys(dispatchKeys, {
		max: keysRect ? keyDetailsScrollMax(view, keysRect.width, keysRect.height, showSecrets) : 0,
		isActive: open && focus === 'keys',
	});

	const cursorOfFocus = focus === 'server-log' ? serverCursor : clientCursor;
	const paneModes: Mode[] =
		focus === 'keys' ? ['keys', 'demo'] : cursorOfFocus.expanded ? ['log-detail'] : ['log', 'demo'];
	const modes = app.modes(paneModes);
	useCommandKeys(open ? modes : [], {
		[Command.ToggleKeyDetails]() {
			setShowKeys((shown) => !shown);
		},
	});
	const clientFocused = open && focus === 'log';
	const serverFocused = open && focus === 'server-log';
	const keysFocused = open && focus === 'keys';
	const serverLine = `${hint ? `${hint} · ` : ''}server ${controller.address} · ${connection ? `#${connection.id} ${connection.state}` : 'no connection yet'} · ${countsText(server)}`;

	if (screen.kind === 'changed-key' && view.trust) {
		return (
			<Box flexDirection="column" width={layout.width}>
				<ChangedKeyWarning
					trust={view.trust}
					width={layout.width}
					height={Math.max(1, size.rows - 2)}
				/>
				<StatusBar modes={modes} width={layout.width} />
			</Box>
		);
	}

	return (
		<Box flexDirection="column" width={layout.width}>
			<ConnectionHeader
				target={controller.address}
				view={view}
				width={layout.width}
				label="demo: client"
				showSecrets={showSecrets}
			/>
			<Box width={layout.width}>
				<Text dimColor wrap="truncate-end">
					{serverLine}
				</Text>
			</Box>
			<Box flexDirection={layout.stacked ? 'column' : 'row'} flexShrink={0}>
				{layout.clientLog ? (
					<HandshakeLog
						title="Alice (client)"
						entries={view.entries}
						cursor={clientCursor}
						width={layout.clientLog.width}
						height={layout.clientLog.height}
						isFocused={clientFocused}
						showSecrets={showSecrets}
					/>
				) : null}
				{keysRect ? (
					<KeyDetails
						view={view}
						width={keysRect.width}
						height={keysRect.height}
						top={keysTop}
						isFocused={keysFocused}
						showSecrets={showSecrets}
					/>
				) : layout.serverLog ? (
					<HandshakeLog
						title={connection ? `Bob (server) #${connection.id}` : 'Bob (server)'}
						entries={serverEntries}
						cursor={serverCursor}
						width={layout.serverLog.width}
						height={layout.serverLog.height}
						isFocused={serverFocused}
						showSecrets={showSecrets}
					/>
				) : null}
			</Box>
			<ClientBottomPane app={app} rect={layout.bank} target={controller.address} />
			<StatusBar modes={modes} width={layout.width} />
		</Box>
	);
}

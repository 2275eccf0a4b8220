/**
 * `securebank connect`: the handshake as it happens (header, log, key details), the trust prompt
 * or the changed-key warning when the host key calls for one, then the bank over the secure
 * channel. Composition only: state and keys live in the hooks it calls.
 *
 * Exit codes (onExit): 0 after Exit, 3 host key rejected / changed / not accepted, 5 any other
 * connection failure.
 */
import {Box} from 'ink';
import React, {useReducer} from 'react';
import {ChangedKeyWarning} from './changed-key-warning.js';
import {ClientBottomPane, useClientApp, type FocusStop} from './client-panes.js';
import {ConnectionHeader} from './connection-header.js';
import {detailScrollMax} from './handshake-log-lines.js';
import {HandshakeLog} from './handshake-log.js';
import {KeyDetails, keyDetailsScrollMax} from './key-details.js';
import {connectLayout} from './layout.js';
import {PANE_CHROME} from './pane.js';
import {scrollReducer} from './scroll.js';
import {StatusBar} from './status-bar.js';
import {useTerminalSize} from './terminal-size.js';
import type {StartConnection} from './use-client-session.js';
import {useLogCursor, useLogKeys} from './use-log-keys.js';
import {useScrollKeys} from './use-scroll-keys.js';

export type ConnectAppProps = {
	/** The server address as the user typed it ("127.0.0.1:6001"). */
	readonly target: string;
	/** Connects and runs the handshake; called once, on mount. */
	readonly start: StartConnection;
	/** Whether raw secrets may be shown (they are only present in events with --show-secrets). */
	// eslint-disable-next-line react/boolean-prop-naming -- named after the --show-secrets flag
	readonly showSecrets: boolean;
	readonly onExit: (code: number) => void;
};

export function ConnectApp({target, start, showSecrets, onExit}: ConnectAppProps) {
	const size = useTerminalSize();
	const logCursor = useLogCursor();
	const cursor = logCursor.state;
	const [keysTop, dispatchKeys] = useReducer(scrollReducer, 0);
	const layout = connectLayout(size, {logExpanded: cursor.expanded});
	const panes: FocusStop[] = layout.keys ? ['log', 'keys'] : ['log'];
	const app = useClientApp(start, onExit, panes, layout.bank.height);
	const {view, screen, focus} = app;
	const prompting = app.session.trust !== undefined && screen.kind === 'normal';

	const logInner = {
		width: layout.log.width - PANE_CHROME.columns,
		height: layout.log.height - PANE_CHROME.rows,
	};
	useLogKeys(logCursor, {
		count: view.entries.length,
		pageSize: Math.max(1, logInner.height - 1),
		detailMax: detailScrollMax(view.entries, cursor, {...logInner, showSecrets}),
		isActive: focus === 'log' && !prompting && screen.kind !== 'changed-key',
	});
	useScrollKeys(dispatchKeys, {
		max: layout.keys
			? keyDetailsScrollMax(view, layout.keys.width, layout.keys.height, showSecrets)
			: 0,
		isActive: focus === 'keys' && !prompting && screen.kind !== 'changed-key',
	});

	const paneModes =
		focus === 'keys'
			? (['keys'] as const)
			: cursor.expanded
				? (['log-detail'] as const)
				: (['log'] as const);
	const modes = app.modes(paneModes);

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

	const logFocused = focus === 'log' && !prompting;
	const keysFocused = focus === 'keys' && !prompting;
	const log = (
		<HandshakeLog
			title="Handshake log"
			entries={view.entries}
			cursor={cursor}
			width={layout.log.width}
			height={layout.log.height}
			isFocused={logFocused}
			showSecrets={showSecrets}
		/>
	);
	const keys = layout.keys ? (
		<KeyDetails
			view={view}
			width={layout.keys.width}
			height={layout.keys.height}
			top={keysTop}
			isFocused={keysFocused}
			showSecrets={showSecrets}
		/>
	) : null;

	return (
		<Box flexDirection="column" width={layout.width}>
			<ConnectionHeader
				target={target}
				view={view}
				width={layout.width}
				showSecrets={showSecrets}
			/>
			<Box flexDirection={layout.stacked ? 'column' : 'row'} flexShrink={0}>
				{log}
				{keys}
			</Box>
			<ClientBottomPane app={app} rect={layout.bank} target={target} />
			<StatusBar modes={modes} width={layout.width} />
		</Box>
	);
}
